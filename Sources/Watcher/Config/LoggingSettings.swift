// LoggingSettings: `logging.json` / `LOGGING` is a Python `logging.dictConfig`; polygrader takes from it only
// the level that reaches the output, and logs to standard error in its own format (docs/watcher-config.md).
import Logging

/// The log level and format of the watcher.
public struct LoggingSettings: Sendable, Equatable {
    /// The lowest level logged. Without a logging config: `.info`.
    public var level: Logger.Level = .info
    /// `POLYGRADER.log_format`: text (default) or JSON lines.
    public var format: LogFormat = .text

    /// The defaults.
    public init() {}

    /// Python's level names and numbers.
    static let pythonLevels: [String: Int] = ["CRITICAL": 50, "FATAL": 50, "ERROR": 40, "WARNING": 30, "WARN": 30,
                                              "INFO": 20, "DEBUG": 10, "NOTSET": 0]

    /// Reads a dictConfig. A message is written when it passes the root logger's level and the level of at
    /// least one of the root's handlers, so the threshold is max(root level, lowest handler level). The root
    /// is `root`, else `loggers[""]`; its level defaults to WARNING, as in Python. Everything else (formatters,
    /// filters, named loggers, file handlers) is ignored; one warning says so for handlers that are not streams.
    static func read(_ node: ConfigNode, warnings: inout [ConfigWarning]) throws -> LoggingSettings {
        let config = try node.object()
        var root = config.optional("root")
        if root == nil, let loggers = try config.optional("loggers")?.object() { root = loggers.optional("") }
        var threshold = 30
        var handlerNames: [String] = []
        if let root {
            let r = try root.object()
            if let level = r.optional("level") { threshold = try pythonLevel(level) }
            handlerNames = try r.optional("handlers")?.list().map { try $0.string() } ?? []
        }
        var handlerLevels: [Int] = []
        if let handlers = try config.optional("handlers")?.object() {
            var notStreams: [String] = []
            for name in handlerNames {
                guard let h = try handlers.optional(name)?.object() else { continue }   // dictConfig would refuse it
                handlerLevels.append(try h.optional("level").map(pythonLevel) ?? 0)
                let cls = try h.optional("class")?.string() ?? ""
                if !cls.hasSuffix("StreamHandler") { notStreams.append(name) }
            }
            if !notStreams.isEmpty {
                warnings.append(ConfigWarning(handlers.location, "only the level of \(notStreams.joined(separator: ", ")) is used: "
                                              + "polygrader writes its log to standard error"))
            }
        }
        if let lowest = handlerLevels.min() { threshold = max(threshold, lowest) }
        var settings = LoggingSettings()
        settings.level = swiftLevel(python: threshold)
        return settings
    }

    /// A level as dictConfig takes it: a name (any case here; Python wants upper case) or a number.
    static func pythonLevel(_ node: ConfigNode) throws -> Int {
        switch node.value {
        case .integer(let i): return i
        case .string(let s):
            if let level = pythonLevels[s.uppercased()] { return level }
            if let i = Int(s) { return i }
            throw node.fail("unknown level \"\(s)\" (CRITICAL, ERROR, WARNING, INFO, DEBUG or NOTSET)")
        default:
            throw node.fail("expected a level name, found \(node.value.kind)")
        }
    }

    /// The swift-log level that lets through what a Python threshold lets through: the smallest level whose
    /// Python equivalent (trace 5, debug 10, info 20, notice 25, warning 30, error 40, critical 50) is at least it.
    static func swiftLevel(python threshold: Int) -> Logger.Level {
        switch threshold {
        case ...5: .trace
        case ...10: .debug
        case ...20: .info
        case ...25: .notice
        case ...30: .warning
        case ...40: .error
        default: .critical
        }
    }
}
