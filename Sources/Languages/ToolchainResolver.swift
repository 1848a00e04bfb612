// ToolchainResolver: finds each toolchain binary on the host and sees through shims (pyenv
// shims, rustup proxies) to the real binary and its prefix, which the jail then binds read-only.
import Foundation
import Sandbox

/// A toolchain key resolved on this host.
public struct ResolvedTool: Sendable, Equatable {
    public var exec: String
    public var prefix: String
    public var extraBinds: [String]
}

/// A profile whose toolchain was found and whose version was read.
public struct ResolvedLanguage: Sendable {
    public var profile: LanguageProfile
    public var tools: [String: ResolvedTool]
    public var version: String
    /// Frameworks usable here, and why the others are not.
    public var frameworkStatus: [String: String]

    /// Scalars for placeholder expansion: `{KEY}` and `{prefix:KEY}`.
    public var toolScalars: [String: String] {
        var s: [String: String] = [:]
        for (k, t) in tools { s[k] = t.exec; s["prefix:\(k)"] = t.prefix }
        return s
    }

    /// Read-only binds every step needs: prefixes and extra directories outside the sandbox's binds.
    public func binds(excluding existing: [SandboxProfile.Bind]) -> [SandboxProfile.Bind] {
        Self.binds(of: Array(tools.values), excluding: existing)
    }
}

/// Resolution of toolchains (docs/reference/language-profiles.md, "Toolchain resolution") and version detection
/// (docs/reference/language-profiles.md, "Version").
public enum ToolchainResolver {
    static let hostPath = "/usr/local/bin:/usr/bin:/bin"

    /// Resolves every toolchain key; a missing optional tool is left out.
    public static func resolve(_ p: LanguageProfile) async throws -> [String: ResolvedTool] {
        var out: [String: ResolvedTool] = [:]
        for key in p.toolOrder {
            guard let tool = p.toolchain[key] else { continue }
            guard let hit = search(tool.search) else {
                if tool.optional { continue }
                throw LanguageError.toolchainMissing(file: p.file, key: key, tried: searchedPaths(tool.search))
            }
            var exec = realpath(hit)
            var prefix = ((exec as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
            var extra: [String] = []
            if let resolveArgv = tool.resolve {
                let argv = Placeholders.expand(resolveArgv, scalars: [key: hit])
                let r = try await HostCommand.run(argv, timeout: 10)
                let lines = r.stdoutText.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard r.status == 0, let first = lines.first else {
                    throw LanguageError.resolveFailed(file: p.file, key: key, command: argv, output: r.stderrText + r.stdoutText)
                }
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: first, isDirectory: &isDir) else {
                    throw LanguageError.resolveFailed(file: p.file, key: key, command: argv, output: "printed \(first), which does not exist")
                }
                if isDir.boolValue { prefix = realpath(first) } else {
                    exec = realpath(first)
                    prefix = ((exec as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
                }
                extra = lines.dropFirst().filter { FileManager.default.fileExists(atPath: $0) }.map(realpath)
            } else if isScript(hit) {
                throw LanguageError.shim(file: p.file, key: key, path: hit)
            }
            if let template = tool.exec {
                exec = Placeholders.expand(template, scalars: ["prefix:\(key)": prefix, key: exec])
                guard FileManager.default.isExecutableFile(atPath: exec) else {
                    throw LanguageError.toolchainMissing(file: p.file, key: key, tried: [exec])
                }
            }
            out[key] = ResolvedTool(exec: exec, prefix: prefix, extraBinds: extra.filter { $0 != prefix })
        }
        return out
    }

    /// Runs the version command on the host and applies the regex (group 1 is the version).
    public static func version(_ p: LanguageProfile, tools: [String: ResolvedTool]) async throws -> String {
        var scalars: [String: String] = [:]
        for (k, t) in tools { scalars[k] = t.exec; scalars["prefix:\(k)"] = t.prefix }
        let argv = Placeholders.expand(p.version.command, scalars: scalars)
        let r = try await HostCommand.run(argv, timeout: 10)
        let text = p.version.from == "stdout" ? r.stdoutText : p.version.from == "stderr" ? r.stderrText : r.stdoutText + "\n" + r.stderrText
        let re = try NSRegularExpression(pattern: p.version.regex, options: [.anchorsMatchLines])
        guard let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), m.numberOfRanges > 1,
              let range = Range(m.range(at: 1), in: text) else {
            let first = text.split(separator: "\n").first.map(String.init) ?? ""
            throw LanguageError.versionMismatch(file: p.file, regex: p.version.regex, firstLine: first)
        }
        return String(text[range])
    }

    /// First hit of a search list: names through PATH then the standard directories; `~/` is home.
    static func search(_ entries: [String]) -> String? {
        // A name must be an executable on PATH; an explicit path may be any readable file (a .jar).
        let explicit = Set(entries.filter { $0.hasPrefix("/") || $0.hasPrefix("~/") }.flatMap { searchedPaths([$0]) })
        for candidate in searchedPaths(entries) {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue else { continue }
            if FileManager.default.isExecutableFile(atPath: candidate) || (explicit.contains(candidate) && FileManager.default.isReadableFile(atPath: candidate)) {
                return candidate
            }
        }
        return nil
    }

    static func searchedPaths(_ entries: [String]) -> [String] {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":" + hostPath
        var out: [String] = []
        for e in entries {
            if e.hasPrefix("~/") { out.append(home + "/" + e.dropFirst(2)) }
            else if e.hasPrefix("/") { out.append(e) }
            else { for dir in path.split(separator: ":") where !dir.isEmpty { out.append("\(dir)/\(e)") } }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }

    static func realpath(_ path: String) -> String {
        guard let r = Glibc.realpath(path, nil) else { return path }
        defer { free(r) }
        return String(cString: r)
    }

    static func isScript(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path), let head = try? h.read(upToCount: 2) else { return false }
        try? h.close()
        return head == Data("#!".utf8)
    }
}
