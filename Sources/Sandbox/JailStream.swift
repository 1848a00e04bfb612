// JailStream: one long-lived jailed program that answers request after request over a byte stream
// (`polyjail run --stream`, docs/polyjail.md "Streams"): a warm compiler (docs/java-compile-service.md).
// It runs under a sandbox profile and limits like any run, on a slot of its own; its stdin and stdout are
// two pipes (data only) and nothing else of ours. Every read and write has a deadline; whatever goes
// wrong, the caller stops the stream and does the work the cold way.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A running jailed service and its two pipes.
public final class JailStream: @unchecked Sendable {
    /// What it was started for (the pool hands it only to requests with the same key).
    public let key: String
    /// Requests answered so far (the caller recycles it after its limit).
    public var uses = 0
    /// When it started: a service near its own wall limit is not handed out any more.
    public let started = Date()
    /// Its wall limit in seconds.
    public let wall: Double
    private let supervisor: pid_t
    private var toProgram: Int32
    private var fromProgram: Int32
    private let dir: PrivateDirectory
    private let queue = DispatchQueue(label: "polygrader.jail-stream")
    private var stopped = false
    private let lock = NSLock()
    /// Called once when it is stopped (the pool's count of services alive).
    var onStop: (@Sendable () -> Void)?

    init(key: String, wall: Double, supervisor: pid_t, toProgram: Int32, fromProgram: Int32, dir: PrivateDirectory) {
        self.key = key; self.wall = wall; self.supervisor = supervisor
        self.toProgram = toProgram; self.fromProgram = fromProgram; self.dir = dir
    }

    /// Runs `body` (writes and reads on the stream) off the cooperative pool, with one deadline for the
    /// whole exchange. Any error leaves the stream unusable: the caller stops it.
    public func exchange<T: Sendable>(timeout: Double, _ body: @escaping @Sendable (StreamIO) throws -> T) async throws -> T {
        let io = StreamIO(input: fromProgram, output: toProgram, deadline: Date().addingTimeInterval(timeout))
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
            queue.async { c.resume(with: Result { try body(io) }) }
        }
    }

    /// Ends the service: SIGTERM to its supervisor, which stops the run like a limit would (pid 1
    /// kills everything and the cgroup is removed); SIGKILL if it has not ended within 5 s. Reaped in
    /// the background: the caller goes on at once.
    public func stop() {
        let already = lock.withLock { () -> Bool in let s = stopped; stopped = true; return s }
        if already { return }
        onStop?()
        if toProgram >= 0 { close(toProgram); toProgram = -1 }
        let pid = supervisor, dir = self.dir, from = fromProgram
        fromProgram = -1
        kill(pid, SIGTERM)
        DispatchQueue.global().async {
            var st: Int32 = 0
            for _ in 0..<500 {
                let w = waitpid(pid, &st, WNOHANG)
                if w == pid || (w < 0 && errno != EINTR) { close(from); dir.remove(); return }
                usleep(10_000)
            }
            kill(pid, SIGKILL)
            while waitpid(pid, &st, 0) < 0 && errno == EINTR {}
            close(from)
            dir.remove()
        }
    }

    /// Ends the service and waits until its supervisor has exited (its jail and cgroup are gone).
    func stopAndWait() {
        let pid = supervisor
        stop()
        // The background reaper owns the reap; here we only wait (at most 7 s) for the process to disappear.
        var waited = 0
        while kill(pid, 0) == 0 && waited < 700 { usleep(10_000); waited += 1 }
    }

    deinit { stop() }
}

/// Blocking reads and writes on a stream's pipes, each bounded by the exchange's deadline.
public struct StreamIO: Sendable {
    let input: Int32
    let output: Int32
    let deadline: Date

    /// Writes every byte, or throws (the service died, stopped reading, or the deadline passed).
    public func write(_ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            try wait(output, events: Int16(POLLOUT))
            let w = bytes[off...].withUnsafeBytes { Glibc.write(output, $0.baseAddress, min($0.count, 65536)) }
            if w < 0 { if errno == EINTR || errno == EAGAIN { continue }; throw SandboxError.streamFailed("write: \(String(cString: strerror(errno)))") }
            off += w
        }
    }

    /// Reads exactly `count` bytes, or throws (EOF: the service ended).
    public func read(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            try wait(input, events: Int16(POLLIN))
            let r = out[got...].withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if r < 0 { if errno == EINTR || errno == EAGAIN { continue }; throw SandboxError.streamFailed("read: \(String(cString: strerror(errno)))") }
            if r == 0 { throw SandboxError.streamFailed("the service ended") }
            got += r
        }
        return out
    }

    private func wait(_ fd: Int32, events: Int16) throws {
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { throw SandboxError.streamFailed("no answer in time") }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let r = poll(&p, 1, Int32(min(left * 1000, 60_000).rounded(.up)))
            if r < 0 { if errno == EINTR { continue }; throw SandboxError.streamFailed("poll: \(String(cString: strerror(errno)))") }
            if r > 0 { return } // readable, writable, or HUP/ERR: the read or write says which
        }
    }
}

/// Idle streams by key; a borrowed stream is out of the pool until it is given back.
final class StreamPool: @unchecked Sendable {
    private var idle: [String: [JailStream]] = [:]
    private let lock = NSLock()
    /// Services on `auto` slots alive (idle or busy). Each holds one of polyjail's 32 auto slots for its
    /// life, so they are bounded: past the bound a compilation simply goes cold.
    private var autoAlive = 0
    static let maxAuto = 4

    /// Counts a new auto-slot service, or false when the bound is reached.
    func reserveAuto() -> Bool {
        lock.withLock {
            if autoAlive >= Self.maxAuto { return false }
            autoAlive += 1
            return true
        }
    }

    func releaseAuto() { lock.withLock { autoAlive -= 1 } }

    func take(_ key: String) -> JailStream? {
        lock.withLock {
            while let s = idle[key]?.popLast() {
                // Near its own wall limit the jail would end it mid-request: a fresh one instead.
                if Date().timeIntervalSince(s.started) < s.wall * 0.8 { return s }
                s.stop()
            }
            return nil
        }
    }

    func give(_ s: JailStream) { lock.withLock { idle[s.key, default: []].append(s) } }

    /// Stops every idle stream and waits until they are gone.
    func drain() {
        let all = lock.withLock { () -> [JailStream] in let a = idle.values.flatMap { $0 }; idle = [:]; return a }
        for s in all { s.stopAndWait() }
    }
}

/// A jail that can also run long-lived streamed services (docs/java-compile-service.md).
public protocol StreamingJail: Jail {
    /// An idle service started under `key` (from an equal request), or a new one from `request`.
    func borrowStream(key: String, request: RunRequest) throws -> JailStream
    /// Gives a healthy service back for the next request with its key.
    func returnStream(_ stream: JailStream)
}

extension PolyjailRunner: StreamingJail {
    public func borrowStream(key: String, request: RunRequest) throws -> JailStream {
        let fullKey = "\(request.slot.map(String.init) ?? "auto")|\(key)"
        if let s = streams.take(fullKey) { return s }
        guard request.slot == nil else { return try startStream(key: fullKey, request: request) }
        guard streams.reserveAuto() else { throw SandboxError.streamFailed("\(StreamPool.maxAuto) services on auto slots are running already") }
        do {
            let s = try startStream(key: fullKey, request: request)
            let pool = streams
            s.onStop = { pool.releaseAuto() }
            return s
        } catch {
            streams.releaseAuto()
            throw error
        }
    }

    public func returnStream(_ stream: JailStream) { streams.give(stream) }

    /// Spawns `polyjail run --stream SPEC` with the request's profile, limits and binds. Its
    /// descriptors: 0 and 2 /dev/null, 1 /dev/null (the record is not needed: any end is an anomaly
    /// for the caller), 3 the read end of our request pipe, 4 the write end of its reply pipe.
    func startStream(key: String, request: RunRequest) throws -> JailStream {
        if request.profile.minIsolation > level {
            throw SandboxError.isolationTooLow(required: request.profile.minIsolation, available: level, missing: probe.missing)
        }
        let dir = try PrivateDirectory.make(prefix: "polygrader-stream")
        var request = request
        if request.uidBase == RunRequest.defaultUIDBase { request.uidBase = instance.uidBase }
        do {
            try BoxStager.stage(request.box, into: dir.path + "/box")
            let spec = try RunSpec(request: request, level: level, boxDir: dir.path + "/box", stdinPath: nil,
                                   stdoutPath: dir.path + "/stdout", stderrPath: dir.path + "/stderr", cgroupRoot: instance.cgroupRoot).text
            guard FileManager.default.createFile(atPath: dir.path + "/spec", contents: Data(spec.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw SandboxError.staging(path: dir.path + "/spec", reason: "cannot write")
            }
            var req: [Int32] = [-1, -1], rep: [Int32] = [-1, -1]
            // Swift's Glibc has no pipe2: close-on-exec right after (every spawn of ours also closes
            // descriptors above its own, SpawnActions).
            guard pipe(&req) == 0 else { throw SandboxError.spawnFailed(path: helper, errno: errno) }
            guard pipe(&rep) == 0 else { close(req[0]); close(req[1]); throw SandboxError.spawnFailed(path: helper, errno: errno) }
            for fd in req + rep { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            // The child's ends above 4 first, so that no dup2 below overwrites another.
            let childIn = fcntl(req[0], F_DUPFD_CLOEXEC, 16), childOut = fcntl(rep[1], F_DUPFD_CLOEXEC, 16)
            close(req[0]); close(rep[1])
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, childIn, 3)
            posix_spawn_file_actions_adddup2(&actions, childOut, 4)
            SpawnActions.closeFrom(5, in: &actions)
            let spawned = SpawnActions.spawnHelper(helper, ["run", "--stream", dir.path + "/spec"], actions: &actions)
            close(childIn); close(childOut)
            let child: pid_t
            switch spawned {
            case .success(let pid): child = pid
            case .failure(let error): close(req[1]); close(rep[0]); throw error
            }
            for fd in [req[1], rep[0]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
            return JailStream(key: key, wall: request.limits.wall, supervisor: child, toProgram: req[1], fromProgram: rep[0], dir: dir)
        } catch {
            dir.remove()
            throw error
        }
    }
}

extension SlotJail: StreamingJail {
    /// Service slot N + 500 belongs to grading slot N (slots 0–499): two instances whose slot ranges do not
    /// overlap get service slots that do not overlap either, with no new setting.
    public static let serviceSlotOffset = 500

    /// A slot's service runs on a slot of its own, `slot + 500`: never the uid of the slot's runs
    /// (RLIMIT_NPROC counts per uid), its lock or its cgroups.
    public func borrowStream(key: String, request: RunRequest) throws -> JailStream {
        guard slot < Self.serviceSlotOffset else { throw SandboxError.streamFailed("slot \(slot) has no service slot (only slots below 500 do)") }
        var r = request
        r.slot = slot + Self.serviceSlotOffset
        return try base.borrowStream(key: key, request: r)
    }

    public func returnStream(_ stream: JailStream) { base.returnStream(stream) }
}
