// LanguageInstaller: `add-language` (docs/reference/language-profiles.md, "add-language"): validate, resolve, version,
// self-test in
// the jail, and only then install atomically. Nothing is installed on any failure.
import Foundation
import Sandbox

/// The steps of `polygrader add-language`, each with its exit code on failure.
public enum LanguageInstaller {
    public struct Failure: Error, CustomStringConvertible {
        public let exitCode: Int32
        public let message: String
        public var description: String { message }
    }

    /// Installs `file` into `directory`; returns the success line.
    public static func install(file: String, into directory: String, replace: Bool, sandboxes: SandboxCatalog,
                               runner: LanguageRunner) async throws -> String {
        // 1 validate (exit 2)
        let profile: LanguageProfile
        do { profile = try ProfileLoader.load(path: file, sandboxes: sandboxes) } catch { throw Failure(exitCode: 2, message: "\(error)") }
        let target = (directory as NSString).appendingPathComponent("\(profile.name).yml")
        if FileManager.default.fileExists(atPath: target) && !replace {
            throw Failure(exitCode: 2, message: "\(LanguageError.alreadyInstalled(name: profile.name, path: target))")
        }
        let others = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".yml") && !$0.hasPrefix(".") && $0 != "\(profile.name).yml" }
        let mine = Set([profile.name] + profile.aliases)
        for o in others {
            guard let other = try? ProfileLoader.load(path: (directory as NSString).appendingPathComponent(o), sandboxes: sandboxes) else { continue }
            let clash = mine.intersection([other.name] + other.aliases)
            if !clash.isEmpty {
                throw Failure(exitCode: 2, message: "\(file): name or aliases \(clash.sorted().joined(separator: ", ")) clash with \(other.file)")
            }
        }
        for stepSandbox in [profile.compile?.sandbox, profile.run.sandbox].compactMap({ $0 }) {
            if let sb = sandboxes[stepSandbox], sb.minIsolation > runner.jail.level {
                throw Failure(exitCode: 1, message: "\(file): sandbox \(stepSandbox) needs isolation level \(sb.minIsolation.rawValue); this host gives \(runner.jail.level.rawValue)")
            }
        }
        // 2 resolve, 3 version, 4 self-test (exit 1)
        let tools: [String: ResolvedTool]
        let version: String
        do {
            tools = try await ToolchainResolver.resolve(profile)
            version = try await ToolchainResolver.version(profile, tools: tools)
            try await SelfTest.run(ResolvedLanguage(profile: profile, tools: tools, version: version, frameworkStatus: [:]), runner: runner)
        } catch {
            throw Failure(exitCode: 1, message: "\(error)")
        }
        // 5 install: byte for byte (comments kept), temp file then rename.
        let tmp = (directory as NSString).appendingPathComponent(".\(profile.name).yml.tmp")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            try? FileManager.default.removeItem(atPath: tmp)
            guard FileManager.default.createFile(atPath: tmp, contents: data, attributes: [.posixPermissions: 0o644]) else {
                throw LanguageError.install(path: tmp, reason: "cannot write")
            }
            guard Glibc.rename(tmp, target) == 0 else { throw LanguageError.install(path: target, reason: String(cString: strerror(errno))) }
        } catch {
            try? FileManager.default.removeItem(atPath: tmp)
            throw Failure(exitCode: 1, message: "\(error)")
        }
        let sandbox = profile.run.sandbox
        return "installed \(profile.name) \(version) (self-test passed, sandbox \(sandbox), level \(runner.jail.level.rawValue))"
    }
}
