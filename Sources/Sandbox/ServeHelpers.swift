// ServeHelpers: long-lived `polyjail serve --slot` processes, reused run after run (docs/polyjail.md):
// no fork+exec of the helper per run, the seccomp filter compiled once, an empty network namespace
// reused for a while, and the next run's jail prepared while the helper waits. Each helper owns its
// slot for its life. Every spec carries a fresh request id that the record must echo: a helper whose
// reply does not match, that dies or that hangs is killed and never reused (its run fails as an
// error, never as a verdict), so one request's record can never answer another.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A pool of idle `polyjail serve` helpers; each run borrows one for its duration.
final class ServeHelpers: @unchecked Sendable {
    private let path: String
    /// Idle helpers that took the first free slot, and those asked for one fixed slot each.
    private var idle: [ServeHelper] = []
    private var idleFixed: [Int: ServeHelper] = [:]
    private var nextRequestID: UInt64 = 0
    private let lock = NSLock()
    /// Helpers kept idle at most; more concurrent runs get helpers that exit when returned.
    private let keep: Int

    init(path: String, keep: Int = 8) {
        self.path = path
        self.keep = keep
        // A helper that died must not kill us with SIGPIPE when we write its next spec.
        signal(SIGPIPE, SIG_IGN)
    }

    /// Sends one spec (without its `id` line: added here) on a helper of `slot` (nil: any free
    /// slot) and returns the record line, after checking that it answers this request.
    func run(spec: String, slot: Int?, timeout: Double) throws -> Data {
        let id = takeRequestID()
        let helper = try checkout(slot: slot)
        do {
            let line = try helper.exchange("id \(id)\n" + spec, timeout: timeout)
            try Self.check(record: line, answers: id)
            checkin(helper)
            return line
        } catch {
            helper.terminate()
            throw error
        }
    }

    /// The record must carry the request's id; anything else means the stream is out of step.
    static func check(record: Data, answers id: String) throws {
        struct Echo: Decodable { let id: String? }
        guard let echo = try? JSONDecoder().decode(Echo.self, from: record) else { throw SandboxError.badRecord(String(decoding: record, as: UTF8.self)) }
        guard echo.id == id else {
            throw SandboxError.protocolOutOfStep(expected: id, got: echo.id ?? "none")
        }
    }

    private func takeRequestID() -> String {
        lock.lock()
        defer { lock.unlock() }
        nextRequestID += 1
        return "\(getpid())-\(nextRequestID)"
    }

    private func checkout(slot: Int?) throws -> ServeHelper {
        lock.lock()
        let h = slot.map { idleFixed.removeValue(forKey: $0) } ?? idle.popLast()
        lock.unlock()
        return try h ?? ServeHelper(path: path, slot: slot)
    }

    private func checkin(_ h: ServeHelper) {
        lock.lock()
        if let slot = h.fixedSlot {
            if idleFixed[slot] == nil { idleFixed[slot] = h; lock.unlock() } else { lock.unlock(); h.finish() }
        } else if idle.count < keep { idle.append(h); lock.unlock() } else { lock.unlock(); h.finish() }
    }

    /// Ends every idle helper (their prepared jails go with them).
    func drain() {
        lock.lock()
        let all = idle + Array(idleFixed.values)
        idle = []
        idleFixed = [:]
        lock.unlock()
        for h in all { h.finish() }
    }

    deinit { drain() }
}

/// One `polyjail serve --slot` process over one socket pair (its stdin and stdout).
final class ServeHelper {
    let pid: pid_t
    /// The slot it was asked for, or nil when it took the first free one.
    let fixedSlot: Int?
    private var toHelper: Int32
    private var fromHelper: Int32
    private var buffer = Data()

    init(path: String, slot: Int?) throws {
        fixedSlot = slot
        // One socket pair, close-on-exec from birth: no other spawn can inherit it.
        var sv: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &sv) == 0 else {
            throw SandboxError.spawnFailed(path: path, errno: errno)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, sv[1], 0)
        posix_spawn_file_actions_adddup2(&actions, sv[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // A long-lived helper must not hold copies of the process's sockets (SwiftNIO's are not
        // close-on-exec): a connection the watcher closes would stay open on the server.
        SpawnActions.closeFrom(3, in: &actions)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty); sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let rc = withCStrings([path, "serve", "--slot", slot.map(String.init) ?? "auto"]) { argv in withCStrings([]) { env in posix_spawn(&child, path, &actions, &attr, argv, env) } }
        close(sv[1])
        guard rc == 0 else {
            close(sv[0])
            throw SandboxError.spawnFailed(path: path, errno: rc)
        }
        pid = child
        toHelper = sv[0]
        fromHelper = sv[0]
    }

    /// Writes the spec (ended by `end`) and reads one record line, within `timeout` seconds.
    func exchange(_ spec: String, timeout: Double) throws -> Data {
        let bytes = Array((spec + "end\n").utf8)
        var off = 0
        while off < bytes.count {
            let w = bytes[off...].withUnsafeBytes { write(toHelper, $0.baseAddress, $0.count) }
            if w < 0 { if errno == EINTR { continue }; throw SandboxError.helperFailed(exitStatus: -1, stderr: "writing to polyjail serve: \(String(cString: strerror(errno)))") }
            off += w
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let nl = buffer.firstIndex(of: 0x0a) {
                let line = buffer[buffer.startIndex..<nl]
                buffer.removeSubrange(buffer.startIndex...nl)
                return Data(line)
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { throw SandboxError.helperFailed(exitStatus: -1, stderr: "polyjail serve gave no record within \(Int(timeout)) s") }
            var pfd = pollfd(fd: fromHelper, events: Int16(POLLIN), revents: 0)
            let pr = poll(&pfd, 1, Int32(min(left, 1) * 1000) + 1)
            if pr < 0 && errno != EINTR { throw SandboxError.helperFailed(exitStatus: -1, stderr: "poll: \(String(cString: strerror(errno)))") }
            if pr <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let r = read(fromHelper, &chunk, chunk.count)
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { throw SandboxError.helperFailed(exitStatus: -1, stderr: "polyjail serve exited") }
            buffer.append(contentsOf: chunk[0..<r])
        }
    }

    /// Ends an idle helper: EOF on its stdin, then reap it.
    func finish() {
        if toHelper >= 0 { close(toHelper) }
        toHelper = -1
        fromHelper = -1
        var st: Int32 = 0
        while waitpid(pid, &st, 0) < 0 && errno == EINTR {}
    }

    /// Ends a helper that failed: kill it (pid 1 of its run dies with it) and reap it.
    func terminate() {
        kill(pid, SIGKILL)
        finish()
    }
}
