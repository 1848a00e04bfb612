// ToolRun: one jailed run of a toolchain the caller names per call, outside any profile's compile or
// run step. Legacy gradelib mode needs it: a JailedGrader handler's CODEJAIL block chooses the Python
// and its limits per handler, and each run mounts grader_support read-only (docs/reference/gradelib.md, "The flow in
// polygrader").
import Foundation
import Sandbox

/// What the caller decides for one run: the command, sandbox profile, limits, box, stdin and binds.
public struct ToolRun: Sendable {
    /// Arguments after the executable.
    public var arguments: [String]
    public var sandbox: String
    public var limits: Limits
    /// `RLIMIT_AS` in bytes (codejail's VMEM), or nil for the cgroup limit only.
    public var addressSpace: UInt64?
    /// The whole environment: nothing of the host's or of a profile's is added.
    public var environment: [String: String]
    public var box: [BoxEntry] = []
    public var stdin: StdinSource = .empty
    /// Host directories bound read-only at the same path for this run only.
    public var readOnly: [String] = []

    public init(arguments: [String], sandbox: String, limits: Limits, environment: [String: String]) {
        self.arguments = arguments; self.sandbox = sandbox; self.limits = limits; self.environment = environment
    }
}

extension LanguageRunner {
    /// Runs `tool` in the jail as `call` says; the jail's own failure is status IE, as for any run.
    public func run(_ tool: ResolvedTool, _ call: ToolRun) async throws -> RunResult {
        guard let profile = sandboxes[call.sandbox] else {
            throw SandboxError.unknownProfile(call.sandbox, available: Array(sandboxes.profiles.keys))
        }
        var req = RunRequest(argv: [tool.exec] + call.arguments, environment: call.environment, profile: profile, limits: call.limits)
        req.box = call.box
        req.stdin = call.stdin
        req.addressSpace = call.addressSpace
        // A directory the profile or the tool already binds is not bound again (a bind below a read-only
        // bind could not even be created).
        let toolBinds = ResolvedLanguage.binds(of: [tool], excluding: profile.binds)
        let covered = (profile.binds + toolBinds).map(\.path)
        req.extraBinds = toolBinds + call.readOnly.filter { dir in !covered.contains { dir == $0 || dir.hasPrefix($0 + "/") } }
            .map { .init(path: $0, optional: false) }
        return try await jail.run(req)
    }
}

extension ToolchainResolver {
    /// An interpreter named by path (a handler's `CODEJAIL.bin_path`), resolved like a profile's tool:
    /// `resolve` prints the executable and directories (a venv's prefix and base prefix) the jail must
    /// bind. The path itself stays the executable, so that a venv keeps finding its `pyvenv.cfg`.
    public static func interpreter(_ path: String, resolve: [String]) async throws -> ResolvedTool {
        guard path.hasPrefix("/"), FileManager.default.isExecutableFile(atPath: path) else {
            throw LanguageError.toolchainMissing(file: "legacy toolchain", key: "python", tried: [path])
        }
        let argv = [path] + resolve
        let r = try await HostCommand.run(argv, timeout: 10)
        let lines = r.stdoutText.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard r.status == 0, !lines.isEmpty else {
            throw LanguageError.resolveFailed(file: "legacy toolchain", key: "python", command: argv, output: r.stderrText + r.stdoutText)
        }
        var dirs = [(path as NSString).deletingLastPathComponent, (realpath(path) as NSString).deletingLastPathComponent]
        dirs += lines.dropFirst().filter { FileManager.default.fileExists(atPath: $0) }.map(realpath)
        let prefix = ((realpath(path) as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        return ResolvedTool(exec: path, prefix: prefix, extraBinds: dirs)
    }
}

extension ResolvedLanguage {
    /// The read-only binds `tools` need beyond the sandbox's own.
    static func binds(of tools: [ResolvedTool], excluding existing: [SandboxProfile.Bind]) -> [SandboxProfile.Bind] {
        var out: [SandboxProfile.Bind] = []
        let covered = existing.map(\.path)
        for t in tools.sorted(by: { $0.exec < $1.exec }) {
            for dir in [t.prefix] + t.extraBinds where !dir.isEmpty && dir != "/" {
                let isCovered = covered.contains { dir == $0 || dir.hasPrefix($0 + "/") }
                if !isCovered && !out.contains(where: { $0.path == dir }) { out.append(.init(path: dir, optional: false)) }
            }
        }
        return out
    }
}

extension ResolvedTool {
    /// A tool resolved elsewhere (tests, a configuration that already knows its paths).
    public init(exec: String, prefix: String, binds: [String] = []) { self.init(exec: exec, prefix: prefix, extraBinds: binds) }
}
