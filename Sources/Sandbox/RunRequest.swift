// RunRequest: everything one jailed run needs. Sandbox knows nothing of languages or problems.
import Foundation

/// A command to run in the jail with limits, a sandbox profile, box contents and stdin.
public struct RunRequest: Sendable {
    public var argv: [String]
    public var environment: [String: String]
    public var profile: SandboxProfile
    public var limits: Limits
    /// `RLIMIT_AS` (memory_enforcement: rlimit-as); nil means cgroup-only.
    public var addressSpace: UInt64?
    /// Added to the cgroup limit only (the JVM's metaspace and stacks).
    public var memoryOverhead: UInt64 = 0
    public var extraBinds: [SandboxProfile.Bind] = []
    public var box: [BoxEntry] = []
    public var stdin: StdinSource = .empty
    /// Box-relative paths (files or directories) copied out after the run into `collectInto`.
    public var collect: [String] = []
    /// An empty directory of the caller's, filled with the collected paths.
    public var collectInto: String?
    public var collectMax: UInt64 = 64 << 20
    public var slot: Int?
    /// Slot N runs as uid and gid `uidBase + N`; polyjail refuses (IE) a slot id that is a host user or
    /// group. Operators move it where no host account lives (systemd-homed takes 60001–60513).
    public var uidBase: Int = RunRequest.defaultUIDBase
    public static let defaultUIDBase = 60000

    public init(argv: [String], environment: [String: String] = RunRequest.baseEnvironment, profile: SandboxProfile,
                limits: Limits) {
        self.argv = argv
        self.environment = environment
        self.profile = profile
        self.limits = limits
    }

    /// The environment every step starts from (docs/reference/language-profiles.md, "Environment inside a jail"):
    /// nothing of ours leaks in.
    public static let baseEnvironment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/box", "TMPDIR": "/tmp",
                                         "LANG": "C.UTF-8"]
}

/// Something to place in `/box` before the run.
public enum BoxEntry: Sendable, Equatable {
    /// A file with these bytes at a box-relative path.
    case file(path: String, contents: Data, executable: Bool = false)
    /// A host file or directory of ours (never a box) copied to a box-relative path.
    case copy(hostPath: String, to: String)
    /// Every entry of a host directory of ours, copied to the box root.
    case contentsOf(hostDirectory: String)
}

/// Where the program's stdin comes from.
public enum StdinSource: Sendable, Equatable {
    case empty
    case data(Data)
    case file(String)
}

/// Checks a box-relative path: plain components only, no `..`, no absolute paths.
public func isSafeRelativePath(_ path: String) -> Bool {
    guard !path.isEmpty, !path.hasPrefix("/"), path.utf8.count < 1024 else { return false }
    for part in path.split(separator: "/", omittingEmptySubsequences: false) {
        if part.isEmpty || part == "." || part == ".." { return false }
        if part.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { return false }
    }
    return true
}
