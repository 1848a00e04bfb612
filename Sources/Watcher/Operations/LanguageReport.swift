// LanguageReport: one language as `/languages` shows it, in the same shape as `polygrader languages --json`,
// plus the watcher's own "pending" state while the background self-test has not finished.
import Languages

/// A language's self-test state in the watcher.
public enum SelfTestState: Sendable, Equatable {
    case pending
    case ok(version: String)
    case failed(reason: String)
}

/// One language of the registry, as `/languages` and `polygrader languages --json` print it.
public struct LanguageReport: Sendable, Equatable, Encodable {
    public var name: String
    public var display_name: String
    public var aliases: [String]
    public var extensions: [String]
    public var version: String?
    public var enabled: Bool
    /// The registry's status (`ok`, `invalid`, `toolchain-missing`, ...), or `pending` before the self-test.
    public var status: String
    public var reason: String?
    public var file: String
    public var frameworks: [String: String]

    public init(name: String, display_name: String, aliases: [String] = [], extensions: [String] = [],
                version: String? = nil, enabled: Bool, status: String, reason: String? = nil, file: String,
                frameworks: [String: String] = [:]) {
        self.name = name
        self.display_name = display_name
        self.aliases = aliases
        self.extensions = extensions
        self.version = version
        self.enabled = enabled
        self.status = status
        self.reason = reason
        self.file = file
        self.frameworks = frameworks
    }

    /// A language whose profile is known but whose self-test has not finished.
    public static func pending(name: String, file: String) -> LanguageReport {
        LanguageReport(name: name, display_name: name, enabled: false, status: "pending", file: file)
    }

    /// The registry's result for one language, mapped as `polygrader languages --json` maps it.
    public init(_ s: LanguageStatus) {
        self.init(name: s.name, display_name: s.profile?.displayName ?? s.name, aliases: s.profile?.aliases ?? [],
                  extensions: s.profile?.extensions ?? [], version: s.resolved?.version, enabled: s.enabled,
                  status: s.status, reason: s.reason, file: s.file, frameworks: s.resolved?.frameworkStatus ?? [:])
    }

    /// Pending, OK with its version, or failed with the reason (the status when there is no reason).
    public var selfTest: SelfTestState {
        if status == "pending" { return .pending }
        if enabled { return .ok(version: version ?? "") }
        return .failed(reason: reason ?? status)
    }
}

/// The body of `/languages`: the same object as `polygrader languages --json`.
public struct LanguageListing: Sendable, Encodable {
    public var isolation: String
    public var languages: [LanguageReport]
}
