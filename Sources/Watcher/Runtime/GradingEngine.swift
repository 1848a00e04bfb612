// GradingEngine: the composition root. Finds the profiles, probes the host, starts the jail and loads
// the language registry; the watcher, `grade`, `run`, `demo` and the tests all build this one object,
// so a one-shot command grades exactly as the watcher does.
import Foundation
import Grading
import Languages
import Logging
import Sandbox

/// Where the profiles live, how strictly to isolate, and which share of the host's jail to use.
public struct EngineSettings: Sendable {
    /// `sandboxes/*.yml` (nil: ./sandboxes or the installed copy).
    public var sandboxesDir: String?
    /// `languages/*.yml` (nil: ./languages or the installed copy).
    public var languagesDir: String?
    /// The lowest isolation level to run at; the engine refuses to start below it.
    public var minIsolation: IsolationLevel = .full
    /// This process's slots, slot uids and cgroup root.
    public var instance: JailInstance = .fromEnvironment
    /// Where passed self-tests are remembered (nil: self-test every time).
    public var selfTestCache: SelfTestCache? = .standard

    public init(sandboxesDir: String? = nil, languagesDir: String? = nil, minIsolation: IsolationLevel = .full,
                instance: JailInstance = .fromEnvironment, selfTestCache: SelfTestCache? = .standard) {
        self.sandboxesDir = sandboxesDir; self.languagesDir = languagesDir; self.minIsolation = minIsolation
        self.instance = instance; self.selfTestCache = selfTestCache
    }
}

/// Why the engine could not start: bad profiles (the operator's files: exit 2) or a host that cannot
/// jail at the required level (exit 1).
public enum EngineError: Error, Sendable, CustomStringConvertible {
    case profiles(String)
    case jail(String)

    public var description: String {
        switch self {
        case let .profiles(text): return text
        case let .jail(text): return "polygrader: \(text)"
        }
    }
}

/// The objects every grading shares: profiles, the jail, the language runner.
public struct GradingEngine: Sendable {
    public let settings: EngineSettings
    public let sandboxes: SandboxCatalog
    public let jail: PolyjailRunner
    public let runner: LanguageRunner
    public let languagesDir: String

    public init(_ settings: EngineSettings) throws(EngineError) {
        self.settings = settings
        let sandboxDir = ResourcePaths.dataDirectory("sandboxes", explicit: settings.sandboxesDir)
        do { sandboxes = try SandboxCatalog.load(directory: sandboxDir) } catch { throw .profiles("\(error)") }
        do { jail = try PolyjailRunner(minimum: settings.minIsolation, instance: settings.instance) } catch { throw .jail("\(error)") }
        runner = LanguageRunner(jail: jail, sandboxes: sandboxes)
        languagesDir = ResourcePaths.dataDirectory("languages", explicit: settings.languagesDir)
    }

    /// The registry: every profile validated and resolved; self-tests run unless the cache holds a
    /// pass for the same profile, toolchain and helper. `only` loads just those languages (a one-shot
    /// command that knows its language); `recheck` forgets the cache first.
    public func registry(only: Set<String>? = nil, recheck: Bool = false, logger: Logger = Logger(label: "polygrader.languages")) async -> LanguageRegistry {
        let policy: SelfTestPolicy
        if let cache = settings.selfTestCache {
            if recheck { cache.clear() }
            policy = .cached(cache)
        } else {
            policy = .always
        }
        return await LanguageRegistry.load(directory: languagesDir, sandboxes: sandboxes, runner: runner,
                                           parallel: min(2, ProcessInfo.processInfo.activeProcessorCount),
                                           selfTest: policy, only: only, logger: logger)
    }

    /// The grader of one handler (its legacy Python and limits), on the shared jail.
    public func grader(registry: LanguageRegistry, legacy: LegacySettings = LegacySettings(),
                       logger: Logger = Logger(label: "polygrader.grading")) -> Grader {
        Grader(runner: runner, registry: registry, legacy: legacy, logger: logger)
    }
}
