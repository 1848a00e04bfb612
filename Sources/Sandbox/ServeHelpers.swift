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
    /// Helpers that take the first free slot, alive at most (busy or idle). Each owns a host-wide slot
    /// lock for its life, so without a bound concurrent runs could outnumber the free slots, and a new
    /// helper would wait forever on a slot that an idle one holds.
    private let keep: Int
    private var autoAlive = 0
    private var autoWaiters: [CheckedContinuation<Void, Never>] = []

    init(path: String, keep: Int = 8) {
        self.path = path
        self.keep = keep
        // A helper that died must not kill us with SIGPIPE when we write its next spec.
        signal(SIGPIPE, SIG_IGN)
    }

    /// Sends one spec (without its `id` line: added here) on a helper of `slot` (nil: any free
    /// slot) and returns the record line, after checking that it answers this request. No thread
    /// waits for the run: the record arrives through a dispatch source. Cancelling the task kills
    /// the helper (and with it the run's pid 1): the run ends at once and the helper is not reused.
    func run(spec: String, slot: Int?, timeout: Double) async throws -> Data {
        let id = takeRequestID()
        let helper = try await checkout(slot: slot)
        do {
            try Task.checkCancellation()
            let line = try await helper.exchange("id \(id)\n" + spec, timeout: timeout)
            try Self.check(record: line, answers: id)
            checkin(helper)
            return line
        } catch {
            retire(helper)
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
    }

    /// Starts the helper of each fixed slot ahead of the first run, so that its first jail is
    /// prepared before a submission needs it.
    func prewarm(slots: [Int]) throws {
        for slot in slots {
            lock.lock()
            let have = idleFixed[slot] != nil
            lock.unlock()
            if !have { checkin(try ServeHelper(path: path, slot: slot)) }
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

    private func checkout(slot: Int?) async throws -> ServeHelper {
        if let slot {
            let h = lock.withLock { idleFixed.removeValue(forKey: slot) }
            return try h ?? ServeHelper(path: path, slot: slot)
        }
        enum Step { case reuse(ServeHelper), spawn, wait }
        while true {
            let step: Step = lock.withLock {
                if let h = idle.popLast() { return .reuse(h) }
                if autoAlive < keep { autoAlive += 1; return .spawn }
                return .wait
            }
            switch step {
            case .reuse(let h): return h
            case .spawn:
                do { return try ServeHelper(path: path, slot: nil) } catch {
                    autoEnded()
                    throw error
                }
            case .wait:
                // Every allowed helper is busy: wait for one to come back (or to end).
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let ready = lock.withLock {
                        if !idle.isEmpty || autoAlive < keep { return true }
                        autoWaiters.append(c)
                        return false
                    }
                    if ready { c.resume() }
                }
            }
        }
    }

    private func checkin(_ h: ServeHelper) {
        lock.lock()
        if let slot = h.fixedSlot {
            if idleFixed[slot] == nil { idleFixed[slot] = h; lock.unlock() } else { lock.unlock(); h.finish() }
            return
        }
        idle.append(h)
        let waiter = autoWaiters.isEmpty ? nil : autoWaiters.removeFirst()
        lock.unlock()
        waiter?.resume()
    }

    /// Ends a helper that failed and is never reused.
    private func retire(_ h: ServeHelper) {
        h.terminate()
        if h.fixedSlot == nil { autoEnded() }
    }

    private func autoEnded() {
        lock.lock()
        autoAlive -= 1
        let waiter = autoWaiters.isEmpty ? nil : autoWaiters.removeFirst()
        lock.unlock()
        waiter?.resume()
    }

    /// Ends every idle helper (their prepared jails go with them).
    func drain() {
        lock.lock()
        let all = idle + Array(idleFixed.values)
        autoAlive -= idle.count
        idle = []
        idleFixed = [:]
        let waiters = autoWaiters
        autoWaiters = []
        lock.unlock()
        for w in waiters { w.resume() }
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
        // The helper's own diagnostics ("polyjail: …": a jail it could not prepare or tear down, a slot held
        // by another process) go to polygrader's stderr: the service's journal, never a learner.
        // A long-lived helper must not hold copies of the process's sockets (SwiftNIO's are not
        // close-on-exec): a connection the watcher closes would stay open on the server.
        SpawnActions.closeFrom(3, in: &actions)
        let spawned = SpawnActions.spawnHelper(path, ["serve", "--slot", slot.map(String.init) ?? "auto"], actions: &actions)
        close(sv[1])
        let child: pid_t
        switch spawned {
        case .success(let pid): child = pid
        case .failure(let error): close(sv[0]); throw error
        }
        var sendTimeout = timeval(tv_sec: 30, tv_usec: 0)
        guard setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            let e = errno
            kill(child, SIGKILL)
            var st: Int32 = 0
            while waitpid(child, &st, 0) < 0 && errno == EINTR {}
            close(sv[0])
            throw SandboxError.spawnFailed(path: path, errno: e)
        }
        pid = child
        toHelper = sv[0]
        fromHelper = sv[0]
    }

    /// Writes the spec (ended by `end`) and waits for one record line, within `timeout` seconds.
    func exchange(_ spec: String, timeout: Double) async throws -> Data {
        let bytes = Array((spec + "end\n").utf8)
        var off = 0
        // A helper that stops reading cannot hold this thread: the socket has a send timeout.
        while off < bytes.count {
            let w = bytes[off...].withUnsafeBytes { write(toHelper, $0.baseAddress, $0.count) }
            if w < 0 { if errno == EINTR { continue }; throw SandboxError.helperFailed(exitStatus: -1, stderr: "writing to polyjail serve: \(String(cString: strerror(errno)))") }
            off += w
        }
        let reader = RecordReader(fd: fromHelper, timeout: timeout)
        let pid = self.pid
        return try await withTaskCancellationHandler {
            try await reader.line()
        } onCancel: {
            // The helper's death closes its end: the reader sees EOF and returns.
            kill(pid, SIGKILL)
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

/// Reads one newline-ended record from a helper's socket without holding a thread: a dispatch
/// source wakes it when bytes arrive, a timer ends the wait. The continuation is resumed only from
/// the source's cancel handler, so the descriptor is no longer watched when the caller closes it.
private final class RecordReader: @unchecked Sendable {
    private let fd: Int32
    private let timeout: Double
    private let queue = DispatchQueue(label: "polygrader.polyjail-record")
    private var buffer: [UInt8] = []
    private var outcome: Result<Data, Error>?
    private var source: DispatchSourceRead?
    private var timer: DispatchSourceTimer?

    init(fd: Int32, timeout: Double) { self.fd = fd; self.timeout = timeout }

    func line() async throws -> Data {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data, Error>) in
            queue.async { self.start(continuation) }
        }
    }

    private func start(_ continuation: CheckedContinuation<Data, Error>) {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        self.source = source
        self.timer = timer
        source.setEventHandler { [unowned self] in self.readAvailable() }
        source.setCancelHandler { [unowned self] in
            continuation.resume(with: self.outcome ?? .failure(SandboxError.helperFailed(exitStatus: -1, stderr: "polyjail serve: no record")))
        }
        timer.setEventHandler { [unowned self] in
            self.finish(.failure(SandboxError.helperFailed(exitStatus: -1, stderr: "polyjail serve gave no record within \(Int(self.timeout)) s")))
        }
        timer.schedule(deadline: .now() + timeout)
        timer.resume()
        source.resume()
    }

    private func readAvailable() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let r = read(fd, &chunk, chunk.count)
        if r < 0 {
            if errno == EINTR || errno == EAGAIN { return }
            finish(.failure(SandboxError.helperFailed(exitStatus: -1, stderr: "reading from polyjail serve: \(String(cString: strerror(errno)))")))
            return
        }
        if r == 0 { finish(.failure(SandboxError.helperFailed(exitStatus: -1, stderr: "polyjail serve exited"))); return }
        buffer.append(contentsOf: chunk[0..<r])
        // One request, one record: bytes after the newline would mean the stream is out of step,
        // which the id check of the next request would catch; the helper is retired on any error.
        if let nl = buffer.firstIndex(of: 0x0a) { finish(.success(Data(buffer[..<nl]))) }
    }

    private func finish(_ result: Result<Data, Error>) {
        guard outcome == nil else { return }
        outcome = result
        timer?.cancel()
        source?.cancel()
    }
}
