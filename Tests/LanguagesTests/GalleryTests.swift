// The language gallery (examples/languages/*.yml): every profile is valid against the shipped sandboxes,
// and every profile whose toolchain is on this host installs with the real `add-language` path (resolve,
// version, self-test in the jail). Where a toolchain is missing, that case is cancelled with the reason,
// so a run shows which languages it proved; where it is present, any failure fails the test.
import Foundation
import Languages
import Sandbox
import Testing

@Suite("Language gallery")
struct GalleryTests {
    static let directory = Env.root + "/examples/languages"

    /// Every profile in the gallery, by file name (a new file is tested without touching this test).
    static let files: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        .filter { $0.hasSuffix(".yml") }.sorted()

    @Test("the gallery covers the languages courses teach")
    func coverage() {
        let names = Set(Self.files.map { String($0.dropLast(4)) })
        let required: Set<String> = ["rust", "cpp", "go", "javascript", "haskell", "ocaml", "ruby", "php", "perl",
                                     "lua", "fortran", "pascal", "csharp", "r"]
        #expect(required.subtracting(names).isEmpty, "missing: \(required.subtracting(names).sorted())")
        #expect(!names.isDisjoint(with: ["kotlin", "scala"]), "a JVM language besides Java")
    }

    @Test("every gallery profile loads and validates, with or without its toolchain", arguments: files)
    func validates(_ file: String) throws {
        let p = try ProfileLoader.load(path: Self.directory + "/" + file, sandboxes: Env.sandboxes)
        #expect(p.name + ".yml" == file)
        #expect(!p.selfTest.source.isEmpty)
        // Only the shipped sandboxes: a gallery language needs no new sandbox.
        for step in [p.compile, p.run].compactMap({ $0 }) {
            #expect(["compiler", "native", "interpreter", "jvm"].contains(step.sandbox), "\(file): sandbox \(step.sandbox)")
        }
    }

    @Test("every gallery profile whose toolchain is here installs with add-language and passes its self-test in the jail",
          arguments: files)
    func installs(_ file: String) async throws {
        try #require(Env.jail != nil, "the jail cannot run on this host")
        let path = Self.directory + "/" + file
        let profile = try ProfileLoader.load(path: path, sandboxes: Env.sandboxes)
        do {
            _ = try await ToolchainResolver.resolve(profile)
        } catch let LanguageError.toolchainMissing(_, key, tried) {
            let reason = "skipped \(profile.name): toolchain \(key) not found (tried \(tried.prefix(3).joined(separator: ", "))…)"
            print("GalleryTests: \(reason)")
            try Test.cancel(Comment(rawValue: reason))
        }
        let dir = try PrivateDirectory.make(prefix: "gallery")
        defer { dir.remove() }
        let line = try await LanguageInstaller.install(file: path, into: dir.path, replace: false, sandboxes: Env.sandboxes, runner: Env.runner)
        print("GalleryTests: \(line)")
        #expect(line.hasPrefix("installed \(profile.name) "))
        #expect(line.contains("sandbox \(profile.run.sandbox),"))
        // Installed byte for byte, and the registry enables it from there.
        #expect(FileManager.default.contents(atPath: dir.path + "/" + file) == FileManager.default.contents(atPath: path))
        let reg = await LanguageRegistry.load(directory: dir.path, sandboxes: Env.sandboxes, runner: Env.runner)
        let status = try #require(reg.languages.first { $0.name == profile.name })
        #expect(status.enabled, "\(status.status): \(status.reason ?? "")")
    }
}
