// ExitCodes: 0 ok, 1 failure of the job, 2 bad usage or configuration (docs/reference/common.md, "Exit codes").
import ArgumentParser
import Foundation
import Languages
import Sandbox
import Watcher

enum Exit {
    static let failure = ExitCode(1)
    static let usage = ExitCode(2)
}

/// Writes a line to stderr.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// Common options: where profiles live and the minimum isolation level.
struct EnvironmentOptions: ParsableArguments {
    @Option(name: .customLong("sandboxes"), help: "Directory of sandbox profiles (default: ./sandboxes or the installed copy).")
    var sandboxesDir: String?

    @Option(name: .customLong("languages"), help: "Directory of language profiles (default: ./languages or the installed copy).")
    var languagesDir: String?

    @Option(name: .customLong("min-isolation"), help: "Lowest isolation level to run at: full, no-cgroup or minimal.")
    var minIsolation: String = "full"

    func level() throws -> IsolationLevel {
        guard let l = IsolationLevel(rawValue: minIsolation) else {
            printError("--min-isolation: unknown level \"\(minIsolation)\" (full, no-cgroup or minimal)")
            throw Exit.usage
        }
        return l
    }

    /// The engine (profiles, jail, runner); bad profiles exit 2, a host below the level exits 1.
    func engine(selfTestCache: SelfTestCache? = .standard) throws -> GradingEngine {
        do {
            return try GradingEngine(EngineSettings(sandboxesDir: sandboxesDir, languagesDir: languagesDir, minIsolation: try level(),
                                                    selfTestCache: selfTestCache))
        } catch let e as EngineError {
            printError("\(e)")
            if case .profiles = e { throw Exit.usage }
            throw Exit.failure
        }
    }
}

/// JSON for stdout: stable, readable, no escaped slashes.
func jsonText<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
