// RunResult: what one run did, decoded from polyjail's record (docs/reference/results.md, "grade --json" run record).
import Foundation

/// The jail's status of one run. Precedence IE > TLE > MLE > OLE > RE/SV is decided in polyjail.
public enum RunStatus: String, Sendable, Codable {
    case OK, TLE, MLE, OLE, RE, SV, IE
}

/// One run record.
public struct RunResult: Sendable, Codable, Equatable {
    public var status: RunStatus
    public var limit: String?
    public var exitCode: Int?
    public var signal: Int?
    public var signalName: String?
    public var syscall: String?
    public var exception: String?
    public var cpuS: Double
    public var cpuUserS: Double
    public var cpuSystemS: Double
    public var wallS: Double
    public var memoryPeakBytes: UInt64
    public var cgroupMemoryPeakBytes: UInt64?
    public var oomKilled: Bool
    public var stdoutBytes: UInt64
    public var stderrBytes: UInt64
    public var stdoutTruncated: Bool
    public var stderrTruncated: Bool
    public var execError: String?
    public var collectTruncated: Bool
    public var isolation: String
    public var cgroup: String
    public var slot: Int
    public var uid: Int?
    public var error: String?
    /// The captured output (the first bytes, up to the caps).
    public var stdout: Data = Data()
    public var stderr: Data = Data()

    enum CodingKeys: String, CodingKey {
        case status, limit, exitCode = "exit_code", signal, signalName = "signal_name", syscall, exception
        case cpuS = "cpu_s", cpuUserS = "cpu_user_s", cpuSystemS = "cpu_system_s", wallS = "wall_s"
        case memoryPeakBytes = "memory_peak_bytes", cgroupMemoryPeakBytes = "cgroup_memory_peak_bytes"
        case oomKilled = "oom_killed", stdoutBytes = "stdout_bytes", stderrBytes = "stderr_bytes"
        case stdoutTruncated = "stdout_truncated", stderrTruncated = "stderr_truncated"
        case execError = "exec_error", collectTruncated = "collect_truncated", isolation, cgroup, slot, uid, error
    }

    /// A successful run that no jail record describes: a compilation a warm service answered
    /// (docs/java-compile-service.md). Exit 0, nothing on stdout or stderr.
    public init(succeededWith cpuS: Double, wallS: Double, isolation: String, slot: Int) {
        status = .OK; exitCode = 0; self.cpuS = cpuS; cpuUserS = cpuS; cpuSystemS = 0; self.wallS = wallS
        memoryPeakBytes = 0; oomKilled = false; stdoutBytes = 0; stderrBytes = 0; stdoutTruncated = false; stderrTruncated = false
        collectTruncated = false; self.isolation = isolation; cgroup = "none"; self.slot = slot
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(RunStatus.self, forKey: .status)
        limit = try c.decodeIfPresent(String.self, forKey: .limit)
        exitCode = try c.decodeIfPresent(Int.self, forKey: .exitCode)
        signal = try c.decodeIfPresent(Int.self, forKey: .signal)
        signalName = try c.decodeIfPresent(String.self, forKey: .signalName)
        syscall = try c.decodeIfPresent(String.self, forKey: .syscall)
        exception = try c.decodeIfPresent(String.self, forKey: .exception)
        cpuS = try c.decode(Double.self, forKey: .cpuS)
        cpuUserS = try c.decode(Double.self, forKey: .cpuUserS)
        cpuSystemS = try c.decode(Double.self, forKey: .cpuSystemS)
        wallS = try c.decode(Double.self, forKey: .wallS)
        memoryPeakBytes = try c.decode(UInt64.self, forKey: .memoryPeakBytes)
        cgroupMemoryPeakBytes = try c.decodeIfPresent(UInt64.self, forKey: .cgroupMemoryPeakBytes)
        oomKilled = try c.decodeIfPresent(Bool.self, forKey: .oomKilled) ?? false
        stdoutBytes = try c.decode(UInt64.self, forKey: .stdoutBytes)
        stderrBytes = try c.decode(UInt64.self, forKey: .stderrBytes)
        stdoutTruncated = try c.decode(Bool.self, forKey: .stdoutTruncated)
        stderrTruncated = try c.decode(Bool.self, forKey: .stderrTruncated)
        execError = try c.decodeIfPresent(String.self, forKey: .execError)
        collectTruncated = try c.decodeIfPresent(Bool.self, forKey: .collectTruncated) ?? false
        isolation = try c.decodeIfPresent(String.self, forKey: .isolation) ?? "full"
        cgroup = try c.decodeIfPresent(String.self, forKey: .cgroup) ?? "none"
        slot = try c.decodeIfPresent(Int.self, forKey: .slot) ?? -1
        uid = try c.decodeIfPresent(Int.self, forKey: .uid)
        error = try c.decodeIfPresent(String.self, forKey: .error)
    }

    /// Encodes every key, nulls included, in the documented order; stdout and stderr as text.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: RecordKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(limit, forKey: .limit)
        try c.encode(exitCode, forKey: .exit_code)
        try c.encode(signal, forKey: .signal)
        try c.encode(signalName, forKey: .signal_name)
        try c.encode(syscall, forKey: .syscall)
        try c.encode(exception, forKey: .exception)
        try c.encode(cpuS, forKey: .cpu_s)
        try c.encode(cpuUserS, forKey: .cpu_user_s)
        try c.encode(cpuSystemS, forKey: .cpu_system_s)
        try c.encode(wallS, forKey: .wall_s)
        try c.encode(memoryPeakBytes, forKey: .memory_peak_bytes)
        try c.encode(stdoutBytes, forKey: .stdout_bytes)
        try c.encode(stderrBytes, forKey: .stderr_bytes)
        try c.encode(stdoutText, forKey: .stdout)
        try c.encode(stderrText, forKey: .stderr)
        try c.encode(stdoutTruncated, forKey: .stdout_truncated)
        try c.encode(stderrTruncated, forKey: .stderr_truncated)
        try c.encode(cgroupMemoryPeakBytes, forKey: .cgroup_memory_peak_bytes)
        try c.encode(oomKilled, forKey: .oom_killed)
        try c.encode(execError, forKey: .exec_error)
        try c.encode(isolation, forKey: .isolation)
        try c.encode(cgroup, forKey: .cgroup)
        try c.encode(slot, forKey: .slot)
        try c.encode(error, forKey: .error)
    }

    enum RecordKeys: String, CodingKey {
        case status, limit, exit_code, signal, signal_name, syscall, exception, cpu_s, cpu_user_s, cpu_system_s, wall_s
        case memory_peak_bytes, stdout_bytes, stderr_bytes, stdout, stderr, stdout_truncated, stderr_truncated
        case cgroup_memory_peak_bytes, oom_killed, exec_error, isolation, cgroup, slot, error
    }

    /// stdout as text: invalid UTF-8 replaced by U+FFFD.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// stderr as text: invalid UTF-8 replaced by U+FFFD.
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}
