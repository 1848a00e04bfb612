// File names as compiler options (issue 14, item 2), for real in the compile jail: learner paths
// reach tools as ./PATH, and names with a part starting with "-" or "@" are refused before any tool
// sees them (gcc would read "@r.c" as a response file, and even as ./@r.c it hands the base name to
// cc1 as -dumpbase, where cc1 expands it again). A refusal names the file in the learner's words.
import Foundation
import Languages
import Sandbox
import Testing

@Suite("Hostile file names at compile time")
struct HostileNamesTests {
    init() throws { try #require(Env.jail != nil, "the jail cannot run on this host") }

    static let hasRustc = ["/root/.cargo/bin/rustc", "/usr/local/bin/rustc", "/usr/bin/rustc"].contains { FileManager.default.isExecutableFile(atPath: $0) }
        || (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/rustc") }

    /// An example language (examples/languages/NAME.yml) installed with add-language into a scratch directory.
    static func example(_ name: String) async throws -> (ResolvedLanguage, PrivateDirectory) {
        let dir = try PrivateDirectory.make(prefix: "languages")
        let text = try String(contentsOfFile: Env.root + "/examples/languages/\(name).yml", encoding: .utf8)
        let (src, path) = try Env.writeProfile(text, name: name)
        defer { src.remove() }
        _ = try await LanguageInstaller.install(file: path, into: dir.path, replace: false, sandboxes: Env.sandboxes, runner: Env.runner)
        let reg = await LanguageRegistry.load(directory: dir.path, sandboxes: Env.sandboxes, runner: Env.runner)
        return (try #require(reg.find(name)?.resolved), dir)
    }

    /// Builds `files` and expects a refusal naming `named`; had the tool run, `marker` must not be in its output.
    static func expectRefused(_ lang: ResolvedLanguage, _ files: [SourceFile], main: String? = nil, named: String, marker: String) async {
        do {
            let b = try await Env.runner.build(lang, sources: files, main: main)
            Issue.record("the build ran instead of refusing \(named): \(b.output.prefix(400))")
            #expect(!b.output.contains(marker))
        } catch let r as BuildRejection {
            #expect(r.message.contains("\"\(named)\""), "\(r.message)")
            #expect(r.message.contains("may start with \"-\" or \"@\""))
        } catch {
            Issue.record("unexpected error: \(error)")
        }
    }

    static func file(_ path: String, _ text: String, executable: Bool = false) -> SourceFile {
        SourceFile(path: path, data: Data(text.utf8), executable: executable)
    }

    @Test("gcc: @r.c beside an r.c holding -wrapper is refused; a tar entry -Bp/.c with a learner cc1 too")
    func gcc() async throws {
        let c = try await Env.language("c")
        await Self.expectRefused(c, [Self.file("@r.c", "int main(void){return 0;}\n"), Self.file("r.c", "-wrapper /bin/echo,PWNED\n")],
                                 named: "@r.c", marker: "PWNED")
        await Self.expectRefused(c, [Self.file("main.c", "int main(void){return 0;}\n"), Self.file("-Bp/.c", ""),
                                     Self.file("p/.c/cc1", "#!/bin/sh\necho PWNED >&2\nexit 1\n", executable: true)],
                                 named: "-Bp/.c", marker: "PWNED")
    }

    @Test("g++ (examples/languages/cpp.yml): @r.cpp beside an r.cpp holding -wrapper is refused")
    func gxx() async throws {
        let (cpp, dir) = try await Self.example("cpp")
        defer { dir.remove() }
        await Self.expectRefused(cpp, [Self.file("@r.cpp", "int main(){return 0;}\n"), Self.file("r.cpp", "-wrapper /bin/echo,PWNED\n")],
                                 named: "@r.cpp", marker: "PWNED")
    }

    @Test("javac: @a.java beside an a.java holding options is refused")
    func javac() async throws {
        let java = try await Env.language("java")
        await Self.expectRefused(java, [Self.file("Main.java", "public class Main { public static void main(String[] a) {} }\n"),
                                        Self.file("@a.java", "class A {}\n"), Self.file("a.java", "-verbose\n")],
                                 named: "@a.java", marker: "[parsing started")
    }

    @Test("rustc (examples/languages/rust.yml): an entry @a.rs whose a.rs names a learner linker is refused",
          .enabled(if: HostileNamesTests.hasRustc, "rustc is not installed: the Rust example cannot be tested here"))
    func rustc() async throws {
        let (rust, dir) = try await Self.example("rust")
        defer { dir.remove() }
        await Self.expectRefused(rust, [Self.file("@a.rs", "fn main() {}\n"), Self.file("a.rs", "-Clinker=/box/evil\n"),
                                        Self.file("evil", "#!/bin/sh\necho PWNED >&2\nexit 1\n", executable: true)],
                                 main: "@a.rs", named: "@a.rs", marker: "PWNED")
    }

    /// A shell "language" whose compile step echoes its arguments, to see exactly what tools receive.
    static func echoLanguage() async throws -> (ResolvedLanguage, PrivateDirectory) {
        let dir = try PrivateDirectory.make(prefix: "languages")
        let text = Env.shellProfile(name: "echo", extra: """
            compile:
              command: ["/bin/echo", "{sources}"]
              sandbox: interpreter
              artifacts: ["{sources}"]
            """)
        try text.write(toFile: dir.path + "/echo.yml", atomically: true, encoding: .utf8)
        let reg = await LanguageRegistry.load(directory: dir.path, sandboxes: Env.sandboxes, runner: Env.runner)
        let status = try #require(reg.find("echo"))
        return (try #require(status.resolved, "\(status.reason ?? status.status)"), dir)
    }

    @Test("every learner path reaches the tools as ./PATH: {sources} and {main}")
    func dotSlash() async throws {
        let (echo, dir) = try await Self.echoLanguage()
        defer { dir.remove() }
        let b = try await Env.runner.build(echo, sources: [Self.file("a.sh", "echo \"$0\"\n"), Self.file("sub/b.sh", "")], main: "a.sh")
        #expect(b.succeeded, "\(b.output)")
        #expect(b.output == "./a.sh ./sub/b.sh\n")
        let r = try await Env.runner.run(b)
        #expect(r.stdoutText == "./a.sh\n")
    }

    @Test("clashing, overlong and reserved names are refused before staging, naming the file",
          arguments: [(["a", "a/b.c"], "\"a\" is also used as a folder"), ([String(repeating: "n", count: 256) + ".c"], "too long"),
                      ([".report/x.c"], "reserved")])
    func layout(_ paths: [String], _ message: String) async throws {
        let c = try await Env.language("c")
        await #expect {
            _ = try await Env.runner.build(c, sources: paths.map { Self.file($0, "int x;\n") })
        } throws: { ($0 as? BuildRejection)?.message.contains(message) == true }
    }

    /// A jail whose every run fails, to see what a failed build leaves behind.
    struct FailingJail: Jail {
        let seen = Seen()
        var level: IsolationLevel { .full }
        func run(_ request: RunRequest) async throws -> RunResult {
            seen.add(request.collectInto)
            throw SandboxError.staging(path: "box", reason: "refused for the test")
        }
        final class Seen: @unchecked Sendable {
            private let lock = NSLock()
            private var paths: [String] = []
            func add(_ p: String?) { lock.lock(); if let p { paths.append(p) }; lock.unlock() }
            var all: [String] { lock.lock(); defer { lock.unlock() }; return paths }
        }
    }

    @Test("a build whose jail run fails leaves no build directory behind")
    func noLeftoverBuildDirectory() async throws {
        let c = try await Env.language("c")
        let jail = FailingJail()
        let runner = LanguageRunner(jail: jail, sandboxes: Env.sandboxes)
        await #expect(throws: SandboxError.self) { _ = try await runner.build(c, sources: [Self.file("m.c", "int main(void){return 0;}\n")]) }
        let dirs = jail.seen.all
        #expect(dirs.count == 1)
        for d in dirs { #expect(!FileManager.default.fileExists(atPath: d), "\(d) was left behind") }
    }
}
