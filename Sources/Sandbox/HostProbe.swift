// HostProbe: asks polyjail what this host offers (root, namespaces, seccomp, cgroups) once.
import Foundation

/// The host's isolation capabilities, as `polyjail probe` reports them.
public struct HostProbe: Sendable, Codable {
    public var root: Bool
    public var namespaces: Bool
    public var seccomp: Bool
    public var openat2: Bool
    public var cgroup: String
    public var cgroupDetail: String
    public var kernel: String
    public var level: String
    public var missing: [String]

    enum CodingKeys: String, CodingKey {
        case root, namespaces, seccomp, openat2, cgroup, cgroupDetail = "cgroup_detail", kernel, level, missing
    }

    /// The best level reachable here, or nil when not even `minimal` is (nothing may run).
    public var isolation: IsolationLevel? { IsolationLevel(rawValue: level) }

    /// Runs the probe.
    public static func run(helper: String) throws -> HostProbe {
        let r = try HostCommand.runBlocking([helper, "probe"], environment: [:], stdinFile: nil, timeout: 10, outputCap: 64 << 10)
        guard r.status == 0, let probe = try? JSONDecoder().decode(HostProbe.self, from: r.stdout) else {
            throw SandboxError.helperFailed(exitStatus: r.status, stderr: r.stderrText + r.stdoutText)
        }
        return probe
    }

    /// Checks that `required` is reachable; otherwise a refusal saying what is missing.
    public func require(_ required: IsolationLevel) throws -> IsolationLevel {
        guard let have = isolation, have >= required else {
            throw SandboxError.isolationTooLow(required: required, available: isolation ?? .minimal, missing: missing)
        }
        return have
    }
}
