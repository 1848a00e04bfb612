// Shared setup for language tests: the real jail, the shipped profiles, a registry loaded once.
import Foundation
import Languages
import Sandbox

enum Env {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let sandboxes = try! SandboxCatalog.load(directory: root + "/sandboxes")
    static let jail: PolyjailRunner? = try? PolyjailRunner(minimum: .noCgroup)
    static var runner: LanguageRunner { LanguageRunner(jail: jail!, sandboxes: sandboxes) }
    static let registry = Task { await LanguageRegistry.load(directory: root + "/languages", sandboxes: sandboxes, runner: runner) }

    static func language(_ tag: String) async throws -> ResolvedLanguage {
        guard let l = await registry.value.find(tag)?.resolved else {
            throw LanguageError.unknownLanguage(tag, known: await registry.value.languages.map { "\($0.name): \($0.reason ?? $0.status)" })
        }
        return l
    }

    /// Writes `text` as a YAML file named NAME.yml in a fresh private directory.
    static func writeProfile(_ text: String, name: String) throws -> (PrivateDirectory, String) {
        let dir = try PrivateDirectory.make(prefix: "lang")
        let path = dir.path + "/\(name).yml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (dir, path)
    }

    /// A small valid profile (a shell "language") to mutate in tests.
    static func shellProfile(name: String = "sh", search: String = "/bin/sh", extra: String = "") -> String {
        """
        schema: polygrader.language/v1
        name: \(name)
        extensions: [".sh"]
        toolchain:
          sh: {search: [\(search)]}
        version: {command: ["/bin/echo", "sh 1.0"], regex: 'sh (\\d+\\.\\d+)'}
        source: {default_filename: main.sh}
        run:
          command: ["{sh}", "{main}", "{args}"]
          sandbox: interpreter
          limits: {cpu: 1s, memory: 64MiB}
          max_limits: {cpu: 10s, memory: 512MiB}
        self_test:
          source: |
            exec cat
        \(extra)
        """
    }
}
