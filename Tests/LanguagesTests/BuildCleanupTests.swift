// A build's private artifacts directory never outlives a build that failed: an IE record from the jail,
// a throw from it, or a compile error. The real jail runs underneath; a wrapper only notes the directory.
import Foundation
import Languages
import Sandbox
import Testing

/// The real jail, noting the `collectInto` directory of each request.
final class NotingJail: Jail, @unchecked Sendable {
    let inner: any Jail
    private let lock = NSLock()
    private var noted: [String] = []
    init(_ inner: any Jail) { self.inner = inner }
    var level: IsolationLevel { inner.level }
    var directories: [String] { lock.withLock { noted } }
    func run(_ request: RunRequest) async throws -> RunResult {
        if let dir = request.collectInto { lock.withLock { noted.append(dir) } }
        return try await inner.run(request)
    }
}

@Suite("Build directories are cleaned up")
struct BuildCleanupTests {
    init() throws { try #require(Env.jail != nil, "the jail cannot run on this host") }

    static let source = SourceFile(path: "main.c", data: Data("int main(void) { return 0; }\n".utf8))

    /// Builds with `lang` on a noting jail; returns the build's outcome and the directories it used.
    static func build(_ lang: ResolvedLanguage, jail: any Jail = Env.jail!,
                      sources: [SourceFile] = [source]) async -> (Result<Build, Error>, [String]) {
        let noting = NotingJail(jail)
        let runner = LanguageRunner(jail: noting, sandboxes: Env.sandboxes)
        var outcome: Result<Build, Error>
        do { outcome = .success(try await runner.build(lang, sources: sources)) } catch { outcome = .failure(error) }
        return (outcome, noting.directories)
    }

    @Test("a compile step the jail ends IE leaves no directory behind")
    func ieRecord() async throws {
        var c = try await Env.language("c")
        // A bind that does not exist: polyjail cannot build the jail and answers IE.
        c.profile.compile?.readable = [SandboxProfile.Bind(path: "/nonexistent-polygrader-cleanup-test", optional: false)]
        let (outcome, dirs) = await Self.build(c)
        guard case .failure(let error) = outcome, "\(error)".contains("nonexistent-polygrader-cleanup-test") else {
            Issue.record("expected an internal error from the jail, got \(outcome)"); return
        }
        #expect(dirs.count == 1)
        for d in dirs { #expect(!FileManager.default.fileExists(atPath: d), "\(d) was left behind") }
    }

    @Test("a compile step the jail refuses to run (a throw) leaves no directory behind")
    func jailThrows() async throws {
        // Capped below the `full` level the jvm sandbox needs: the jail throws before running anything.
        let capped = try PolyjailRunner(minimum: .noCgroup, cap: .noCgroup)
        let java = try await Env.language("java")
        let (outcome, dirs) = await Self.build(java, jail: capped,
                                               sources: [SourceFile(path: "Main.java", data: Data("public class Main {}\n".utf8))])
        guard case .failure(let error as SandboxError) = outcome, case .isolationTooLow = error else {
            Issue.record("expected isolationTooLow, got \(outcome)"); return
        }
        #expect(dirs.count == 1)
        for d in dirs { #expect(!FileManager.default.fileExists(atPath: d), "\(d) was left behind") }
    }

    @Test("a compile error leaves no directory behind")
    func compileError() async throws {
        let c = try await Env.language("c")
        let (outcome, dirs) = await Self.build(c, sources: [SourceFile(path: "main.c", data: Data("int main(void) { return x; }\n".utf8))])
        guard case .success(let build) = outcome else { Issue.record("\(outcome)"); return }
        #expect(!build.succeeded)
        #expect(dirs.count == 1)
        for d in dirs { #expect(!FileManager.default.fileExists(atPath: d), "\(d) was left behind") }
    }

    @Test("a successful build keeps its directory while the build lives, and removes it after")
    func successKeepsThenRemoves() async throws {
        let c = try await Env.language("c")
        /// Returns the directory of a successful build that was there while the build lived.
        func liveDirectory() async -> String? {
            let (outcome, dirs) = await Self.build(c)
            guard case .success(let build) = outcome, build.succeeded, dirs.count == 1,
                  FileManager.default.fileExists(atPath: dirs[0]) else { return nil }
            return dirs[0]
        }
        let dir = try #require(await liveDirectory())
        #expect(!FileManager.default.fileExists(atPath: dir))
    }
}
