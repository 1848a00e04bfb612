// The registry disables broken profiles without failing; add-language installs only after its
// self-test passes in the jail, atomically, and refuses with one clear message otherwise.
import Foundation
import Languages
import Sandbox
import Testing

@Suite("Registry and add-language")
struct RegistryAndInstallTests {
    init() throws { try #require(Env.jail != nil, "the jail cannot run on this host") }

    func languagesDir() throws -> PrivateDirectory {
        let dir = try PrivateDirectory.make(prefix: "languages")
        for f in ["python.yml", "c.yml", "java.yml"] {
            try FileManager.default.copyItem(atPath: Env.root + "/languages/" + f, toPath: dir.path + "/" + f)
        }
        return dir
    }

    func install(_ text: String, name: String, into dir: PrivateDirectory, replace: Bool = false) async throws -> String {
        let (src, path) = try Env.writeProfile(text, name: name)
        defer { src.remove() }
        return try await LanguageInstaller.install(file: path, into: dir.path, replace: replace, sandboxes: Env.sandboxes, runner: Env.runner)
    }

    @Test("a profile with a broken toolchain path is disabled with its reason, and the others stay enabled")
    func brokenDisabled() async throws {
        let dir = try languagesDir()
        defer { dir.remove() }
        try Env.shellProfile(name: "broken", search: "/opt/missing/sh").write(toFile: dir.path + "/broken.yml", atomically: true, encoding: .utf8)
        let reg = await LanguageRegistry.load(directory: dir.path, sandboxes: Env.sandboxes, runner: Env.runner)
        let broken = try #require(reg.languages.first { $0.name == "broken" })
        #expect(!broken.enabled)
        #expect(broken.status == "toolchain-missing")
        #expect(broken.reason?.contains("/opt/missing/sh") == true)
        #expect(reg.find("python")?.enabled == true)
    }

    @Test("a failing self-test disables the language")
    func selfTestFails() async throws {
        let dir = try languagesDir()
        defer { dir.remove() }
        try Env.shellProfile(name: "liar").replacingOccurrences(of: "exec cat", with: "echo wrong")
            .write(toFile: dir.path + "/liar.yml", atomically: true, encoding: .utf8)
        let reg = await LanguageRegistry.load(directory: dir.path, sandboxes: Env.sandboxes, runner: Env.runner)
        let liar = try #require(reg.languages.first { $0.name == "liar" })
        #expect(liar.status == "self-test-failed")
        #expect(liar.reason?.contains("unexpected output: wrong") == true)
    }

    @Test("add-language installs after the self-test and the language runs")
    func installs() async throws {
        let dir = try languagesDir()
        defer { dir.remove() }
        let line = try await install(Env.shellProfile(), name: "sh", into: dir)
        #expect(line == "installed sh 1.0 (self-test passed, sandbox interpreter, level \(Env.jail!.level.rawValue))")
        #expect(FileManager.default.fileExists(atPath: dir.path + "/sh.yml"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/.sh.yml.tmp"))
        #expect(try String(contentsOfFile: dir.path + "/sh.yml", encoding: .utf8) == Env.shellProfile())
    }

    @Test("add-language failures: invalid (2), clash (2), installed without --replace (2), missing toolchain (1), self-test (1); nothing installed",
          arguments: [
            ("invalid", Env.shellProfile().replacingOccurrences(of: "extensions", with: "extensionz"), 2, "unknown key"),
            ("clash", Env.shellProfile().replacingOccurrences(of: "extensions: [\".sh\"]", with: "extensions: [\".sh\"]\naliases: [py]"), 2, "clash"),
            ("missing", Env.shellProfile(search: "/opt/missing/sh"), 1, "/opt/missing/sh"),
            ("selftest", Env.shellProfile().replacingOccurrences(of: "exec cat", with: "exit 3"), 1, "self-test failed"),
          ])
    func failures(_ label: String, _ text: String, _ code: Int32, _ message: String) async throws {
        let dir = try languagesDir()
        defer { dir.remove() }
        let before = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        await #expect {
            _ = try await install(text, name: "sh", into: dir)
        } throws: { e in
            guard let f = e as? LanguageInstaller.Failure else { return false }
            return f.exitCode == code && f.message.contains(message)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == before)
    }

    @Test("an installed language needs --replace")
    func replace() async throws {
        let dir = try languagesDir()
        defer { dir.remove() }
        _ = try await install(Env.shellProfile(), name: "sh", into: dir)
        await #expect { _ = try await install(Env.shellProfile(), name: "sh", into: dir) } throws: {
            ($0 as? LanguageInstaller.Failure)?.exitCode == 2 && "\($0)".contains("--replace")
        }
        _ = try await install(Env.shellProfile(), name: "sh", into: dir, replace: true)
    }

    @Test("the Rust and C++ examples install and compile and run a program", arguments: [
        ("rust", "hello.rs", "use std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); print!(\"hi {}\", s); }\n"),
        ("cpp", "hello.cpp", "#include <iostream>\n#include <string>\nint main() { std::string s; std::getline(std::cin, s); std::cout << \"hi \" << s << \"\\n\"; }\n"),
    ])
    func examples(_ name: String, _ file: String, _ code: String) async throws {
        let dir = try languagesDir()
        defer { dir.remove() }
        let text = try String(contentsOfFile: Env.root + "/examples/languages/\(name).yml", encoding: .utf8)
        let line = try await install(text, name: name, into: dir)
        #expect(line.hasPrefix("installed \(name) "))
        let reg = await LanguageRegistry.load(directory: dir.path, sandboxes: Env.sandboxes, runner: Env.runner)
        let lang = try #require(reg.find(name)?.resolved)
        let build = try await Env.runner.build(lang, sources: [SourceFile(path: file, data: Data(code.utf8))])
        #expect(build.succeeded, "\(build.output)")
        let r = try await Env.runner.run(build, stdin: .data(Data("there\n".utf8)))
        #expect(r.status == .OK)
        #expect(r.stdoutText == "hi there\n")
    }
}
