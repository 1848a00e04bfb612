// WatcherLogHandler: swift-log lines as JSON (one object per line, for log shippers) or as text (for people).
// Metadata such as submission_id, queue, language, verdict and durations become fields. docs/operations.md §Logs.
import Foundation
import Logging

/// How log lines are written.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}

/// A LogHandler writing one line per message to a sink (standard error in the watcher).
public struct WatcherLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let format: LogFormat
    let write: @Sendable (String) -> Void

    /// The fields every line has; metadata keys with these names are written with a `meta.` prefix.
    static let reserved: Set<String> = ["ts", "level", "label", "message"]

    public init(label: String, format: LogFormat, level: Logger.Level,
                metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let ts = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        let line = switch format {
        case .json: Self.jsonLine(ts: ts, level: event.level, label: label, message: "\(event.message)", metadata: merged)
        case .text: Self.textLine(ts: ts, level: event.level, label: label, message: "\(event.message)", metadata: merged)
        }
        write(line + "\n")
    }

    /// `{"ts":…,"level":…,"label":…,"message":…,<metadata sorted by key>}`.
    static func jsonLine(ts: String, level: Logger.Level, label: String, message: String,
                         metadata: Logger.Metadata) -> String {
        var out = "{\"ts\":\(jsonString(ts)),\"level\":\(jsonString(level.rawValue)),\"label\":\(jsonString(label))"
        out += ",\"message\":\(jsonString(message))"
        for key in metadata.keys.sorted() {
            let name = reserved.contains(key) ? "meta." + key : key
            out += ",\(jsonString(name)):\(jsonValue(metadata[key]!))"
        }
        return out + "}"
    }

    /// `TS LEVEL LABEL: MESSAGE key=value …`, values quoted when they contain spaces.
    static func textLine(ts: String, level: Logger.Level, label: String, message: String,
                         metadata: Logger.Metadata) -> String {
        var out = "\(ts) \(level.rawValue) \(label): \(message)"
        for key in metadata.keys.sorted() {
            let value = "\(metadata[key]!)"
            let needsQuotes = value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline })
            out += " \(key)=" + (needsQuotes ? jsonString(value) : value)
        }
        return out
    }

    /// Numbers and booleans logged as `.stringConvertible` stay JSON numbers and booleans (durations, scores).
    static func jsonValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case let .string(s):
            return jsonString(s)
        case let .stringConvertible(v):
            switch v {
            case let b as Bool: return b ? "true" : "false"
            case let i as any BinaryInteger: return "\(i)"
            case let d as Double where d.isFinite: return "\(d)"
            case let f as Float where f.isFinite: return "\(f)"
            default: return jsonString("\(v)")
            }
        case let .array(items):
            return "[" + items.map(jsonValue).joined(separator: ",") + "]"
        case let .dictionary(dict):
            return "{" + dict.keys.sorted().map { "\(jsonString($0)):\(jsonValue(dict[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal (RFC 8259 escapes; control characters as \u00XX).
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
