// ReplayJail: the jail's in-memory twin (hummingbird's MemoryPersistDriver beside its real driver).
// It answers each request with a recorded RunResult and remembers the requests, so that grading,
// scoring, checkers and feedback are tested without root, and a test can make the jail fail on cue.
import Foundation

/// A `Jail` that replays recorded run results instead of running anything.
public actor ReplayJail: Jail {
    /// One recorded answer: the run result and the files the run "wrote" into `collectInto`.
    public struct Answer: Sendable {
        public var result: RunResult?
        public var files: [String: Data]
        /// Throw this instead of answering (a helper that could not be spawned, a bad record).
        public var error: SandboxError?
        public init(_ result: RunResult, files: [String: Data] = [:]) { self.result = result; self.files = files; self.error = nil }
        public init(throwing error: SandboxError) { self.result = nil; self.files = [:]; self.error = error }
    }

    private let answer: @Sendable (RunRequest) -> Answer
    /// Every request received, in order.
    public private(set) var requests: [RunRequest] = []
    public nonisolated let level: IsolationLevel

    /// Answers every request with `answer(request)`.
    public init(level: IsolationLevel = .full, answer: @escaping @Sendable (RunRequest) -> Answer) {
        self.level = level; self.answer = answer
    }

    public func run(_ request: RunRequest) async throws -> RunResult {
        requests.append(request)
        let a = answer(request)
        if let error = a.error { throw error }
        if let dir = request.collectInto {
            for (path, data) in a.files where isSafeRelativePath(path) && request.collect.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) {
                let full = dir + "/" + path
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: full, contents: data) else { throw SandboxError.staging(path: full, reason: "cannot write") }
            }
        }
        return a.result!
    }
}

extension RunResult {
    /// A run record as the jail would write it (for replays): a status, output, and what ended it.
    public init(status: RunStatus, exitCode: Int? = 0, stdout: Data = Data(), stderr: Data = Data(), limit: String? = nil,
                execError: String? = nil, error: String? = nil, cpuS: Double = 0.01) {
        self.status = status; self.limit = limit; self.exitCode = exitCode; self.signal = nil; self.signalName = nil
        self.syscall = nil; self.exception = nil; self.cpuS = cpuS; self.cpuUserS = cpuS; self.cpuSystemS = 0; self.wallS = cpuS
        self.memoryPeakBytes = 1 << 20; self.cgroupMemoryPeakBytes = nil; self.oomKilled = false
        self.stdoutBytes = UInt64(stdout.count); self.stderrBytes = UInt64(stderr.count)
        self.stdoutTruncated = false; self.stderrTruncated = false; self.execError = execError; self.collectTruncated = false
        self.isolation = "full"; self.cgroup = "none"; self.slot = 0; self.uid = nil; self.error = error
        self.stdout = stdout; self.stderr = stderr
    }
}
