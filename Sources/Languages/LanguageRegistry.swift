// LanguageRegistry: every profile of a languages/ directory, validated, resolved, versioned and
// self-tested in the real jail. A failing profile is disabled with its reason, never fatal.
import Foundation
import Logging
import Sandbox

/// The state of one language on this host.
public struct LanguageStatus: Sendable {
    public var name: String
    public var file: String
    public var profile: LanguageProfile?
    public var resolved: ResolvedLanguage?
    public var enabled: Bool { resolved != nil && status == "ok" }
    /// `ok`, `invalid`, `toolchain-missing`, `version-mismatch`, `self-test-failed`, `sandbox-unavailable`.
    public var status: String
    public var reason: String?
    /// What a passed self-test is cached under (SelfTestCache.key).
    public var selfTestKey: String?
}

/// Lookup by tag, alias or extension among enabled languages.
public struct LanguageRegistry: Sendable {
    public var languages: [LanguageStatus]
    public let directory: String

    /// Loads, resolves and self-tests every `*.yml` of `directory` (at most `parallel` at once).
    /// `only` keeps the named profiles (file stems) and leaves the others out: a one-shot command
    /// checks only the language it needs. `selfTest` says whether self-tests run, or come from a cache.
    public static func load(directory: String, sandboxes: SandboxCatalog, runner: LanguageRunner, parallel: Int = 2,
                            selfTest: SelfTestPolicy = .always, only: Set<String>? = nil,
                            logger: Logger = Logger(label: "polygrader.languages")) async -> LanguageRegistry {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".yml") && !$0.hasPrefix(".") }
            .filter { only == nil || only!.contains(String($0.dropLast(4))) }.sorted()
        var cache: SelfTestCache?
        var known: [String: String] = [:]
        if case .cached(let c) = selfTest { cache = c; known = c.load() }
        let passedBefore = known
        var results: [LanguageStatus] = []
        await withTaskGroup(of: LanguageStatus.self) { group in
            var pending = files.makeIterator()
            func addNext() -> Bool {
                guard let f = pending.next() else { return false }
                let path = (directory as NSString).appendingPathComponent(f)
                let stem = String(f.dropLast(4))
                let mode: SelfTestMode
                switch selfTest {
                case .always: mode = .run
                case .never: mode = .skip
                case .cached: mode = .unlessKey(passedBefore[stem])
                }
                group.addTask { await check(path: path, sandboxes: sandboxes, runner: runner, mode: mode) }
                return true
            }
            for _ in 0..<max(1, parallel) { if !addNext() { break } }
            for await status in group {
                if !status.enabled { logger.warning("language \(status.name) disabled: \(status.reason ?? status.status)") }
                results.append(status)
                _ = addNext()
            }
        }
        if let cache {
            for r in results { if r.enabled, let key = r.selfTestKey { known[r.name] = key } else { known.removeValue(forKey: r.name) } }
            if known != passedBefore { cache.store(known) }
        }
        return LanguageRegistry(languages: results.sorted { $0.name < $1.name }, directory: directory)
    }

    /// Whether one profile's self-test runs.
    public enum SelfTestMode: Sendable {
        case run, skip
        /// Skipped if the language's current key is this one (a cached pass), else run.
        case unlessKey(String?)
    }

    /// Validates, resolves, probes the version and runs the self-test of one profile file.
    public static func check(path: String, sandboxes: SandboxCatalog, runner: LanguageRunner, mode: SelfTestMode = .run) async -> LanguageStatus {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var s = LanguageStatus(name: stem, file: path, status: "invalid")
        do {
            let p = try ProfileLoader.load(path: path, sandboxes: sandboxes)
            s.profile = p
            for stepSandbox in [p.compile?.sandbox, p.run.sandbox].compactMap({ $0 }) {
                if let sb = sandboxes[stepSandbox], sb.minIsolation > runner.jail.level {
                    s.status = "sandbox-unavailable"
                    s.reason = "sandbox \(stepSandbox) needs isolation level \(sb.minIsolation.rawValue); this host gives \(runner.jail.level.rawValue)"
                    return s
                }
            }
            s.status = "toolchain-missing"
            let tools = try await ToolchainResolver.resolve(p)
            s.status = "version-mismatch"
            let version = try await ToolchainResolver.version(p, tools: tools)
            var lang = ResolvedLanguage(profile: p, tools: tools, version: version, frameworkStatus: [:])
            for (name, f) in p.frameworks {
                if let missing = f.requires.first(where: { tools[$0] == nil }) { lang.frameworkStatus[name] = "missing \(missing)"; continue }
                if let probe = f.probe {
                    let r = try? await HostCommand.run(Placeholders.expand(probe, scalars: lang.toolScalars), timeout: 10)
                    if r?.status != 0 { lang.frameworkStatus[name] = "probe failed"; continue }
                }
                lang.frameworkStatus[name] = "ok"
            }
            s.status = "self-test-failed"
            let sandboxFiles = [p.compile?.sandbox, p.run.sandbox].compactMap { $0 }.compactMap { sandboxes[$0]?.file }
            let key = SelfTestCache.key(profileFile: path, sandboxFiles: sandboxFiles, version: version,
                                        tools: tools.mapValues(\.exec), helper: (runner.jail as? PolyjailRunner)?.helper ?? "")
            s.selfTestKey = key
            switch mode {
            case .run: try await SelfTest.run(lang, runner: runner)
            case .skip: break
            case .unlessKey(let cached): if cached != key { try await SelfTest.run(lang, runner: runner) }
            }
            s.resolved = lang
            s.status = "ok"
        } catch {
            s.reason = "\(error)"
        }
        return s
    }

    /// The enabled language with this tag or alias (case-insensitive).
    public func find(_ tag: String) -> LanguageStatus? {
        let t = tag.lowercased()
        return languages.first { $0.name == t || ($0.profile?.aliases.contains(t) ?? false) }
    }

    /// Enabled languages.
    public var enabled: [ResolvedLanguage] { languages.compactMap { $0.enabled ? $0.resolved : nil } }

    /// The language for a set of file names: most extension matches, then priority (docs/reference/problem-yml.md,
    /// "Choosing the language").
    public func detect(fileNames: [String], among allowed: [String]? = nil) -> ResolvedLanguage? {
        let candidates = enabled.filter { allowed == nil || allowed!.contains($0.profile.name) }
        let scored = candidates.map { lang in
            (lang, fileNames.filter { name in lang.profile.extensions.contains { name.lowercased().hasSuffix($0) } }.count)
        }.filter { $0.1 > 0 }
        let order = allowed ?? candidates.map(\.profile.name)
        return scored.sorted {
            if $0.1 != $1.1 { return $0.1 > $1.1 }
            if $0.0.profile.priority != $1.0.profile.priority { return $0.0.profile.priority > $1.0.profile.priority }
            return (order.firstIndex(of: $0.0.profile.name) ?? 0) < (order.firstIndex(of: $1.0.profile.name) ?? 0)
        }.first?.0
    }
}

/// The self-test (docs/reference/language-profiles.md, "Self-test"): compile and run an echo program in the real jail.
public enum SelfTest {
    public static func run(_ lang: ResolvedLanguage, runner: LanguageRunner) async throws {
        let p = lang.profile
        let t = p.selfTest
        let name = t.filename ?? Placeholders.expand(p.source.defaultFilename,
                                                     scalars: ["mainclass": MainClassDetector.detect([SourceFile(path: "x.java", data: Data(t.source.utf8))], profile: p)])
        let build = try await runner.build(lang, sources: [SourceFile(path: name, data: Data(t.source.utf8))])
        guard build.succeeded else {
            throw LanguageError.selfTestFailed(name: p.name, verdict: "CE", detail: (build.failureReason ?? "") + ": " + String(build.output.prefix(500)))
        }
        let limits = LimitLayer(cpu: 10, wall: 30).overlaid(by: t.limits)
        let r = try await runner.run(build, stdin: .data(Data(t.stdin.utf8)), limits: limits)
        let expected = t.expectStdout ?? t.stdin
        if r.status != .OK || r.stdoutText != expected || (t.expectStderrEmpty && !r.stderr.isEmpty) {
            let firstLines = (r.stdoutText + r.stderrText).split(separator: "\n").prefix(5).joined(separator: " | ")
            throw LanguageError.selfTestFailed(name: p.name, verdict: r.status.rawValue,
                                               detail: r.status == .OK ? "unexpected output: \(firstLines)" : "\(r.error ?? firstLines)")
        }
    }
}
