// StrictYAML: reads YAML files where unknown keys, wrong types and bad units are errors that
// name the file, line, column and key path (docs/reference/common.md, "Files"; "Error messages"). Shared by every
// schema.
import Foundation
import Yams

/// One validation problem, printed as `FILE:LINE:COLUMN: KEY.PATH: what is wrong (hint: …)`.
public struct ConfigIssue: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var column: Int
    public var path: String
    public var message: String
    public var hint: String?

    public var description: String {
        let key = path.isEmpty ? "" : "\(path): "
        return "\(file):\(line):\(column): \(key)\(message)" + (hint.map { " (hint: \($0))" } ?? "")
    }
}

/// Every issue found in one or more files, sorted by file and line.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var issues: [ConfigIssue]
    public init(_ issues: [ConfigIssue]) {
        self.issues = issues.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
    }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// A parsed YAML document that collects issues while typed values are read from it.
public final class YAMLDocument: @unchecked Sendable {
    public let file: String
    public private(set) var issues: [ConfigIssue] = []

    /// Parses `text`; a syntax error or duplicate key becomes an issue.
    public init(file: String, text: String) {
        self.file = file
        var parsed: Node?
        do {
            parsed = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            parsed = nil
            issues.append(Self.issue(from: error, file: file))
        } catch {
            parsed = nil
            issues.append(ConfigIssue(file: file, line: 1, column: 1, path: "", message: "\(error)"))
        }
        if let parsed { rootStorage = YValue(node: parsed, path: "", doc: self) }
    }

    private var rootStorage: YValue?
    /// The top-level value, if the document parsed.
    public var top: YValue? { rootStorage }

    /// Reads a file (at most 1 MiB, UTF-8) into a document.
    public static func load(path: String, displayName: String? = nil) throws -> YAMLDocument {
        let name = displayName ?? path
        let url = URL(fileURLWithPath: path)
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? UInt64, size > 1 << 20 {
            throw ConfigErrors([ConfigIssue(file: name, line: 1, column: 1, path: "", message: "file is larger than 1 MiB")])
        }
        guard let data = try? Data(contentsOf: url) else {
            throw ConfigErrors([ConfigIssue(file: name, line: 1, column: 1, path: "", message: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigErrors([ConfigIssue(file: name, line: 1, column: 1, path: "", message: "the file is not valid UTF-8")])
        }
        return YAMLDocument(file: name, text: text)
    }

    static func issue(from error: YamlError, file: String) -> ConfigIssue {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return ConfigIssue(file: file, line: mark.line, column: mark.column, path: "", message: problem)
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.sorted().joined(separator: ", ")
            return ConfigIssue(file: file, line: context.mark.line, column: context.mark.column, path: keys, message: "duplicate key")
        default:
            return ConfigIssue(file: file, line: 1, column: 1, path: "", message: "\(error)")
        }
    }

    /// Records an issue at `node` (or line 1 when there is none).
    public func report(_ node: Node?, _ path: String, _ message: String, hint: String? = nil) {
        let mark = node?.mark
        issues.append(ConfigIssue(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, path: path,
                                  message: message, hint: hint))
    }

    /// Throws every collected issue, if any.
    public func check() throws {
        if !issues.isEmpty { throw ConfigErrors(issues) }
    }
}

/// A YAML value with its key path, read with type checks that report into its document.
public struct YValue: @unchecked Sendable {
    public let node: Node
    public let path: String
    unowned let doc: YAMLDocument

    init(node: Node, path: String, doc: YAMLDocument) {
        self.node = node
        self.path = path
        self.doc = doc
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Reports an issue about this value.
    public func report(_ message: String, hint: String? = nil) { doc.report(node, path, message, hint: hint) }

    /// The value as a mapping whose keys must be among `keys` (plus `x-` keys, which are ignored).
    public func mapping(keys: [String]) -> YMapping? {
        guard case let .mapping(m) = node else { report("expected a mapping"); return nil }
        var values: [String: YValue] = [:]
        var order: [String] = []
        for (k, v) in m {
            guard let key = k.string else { doc.report(k, path, "keys must be strings"); continue }
            if key.hasPrefix("x-") { continue }
            if !keys.contains(key) {
                let hint = Self.closest(to: key, in: keys).map { "did you mean \"\($0)\"?" }
                doc.report(k, child(key), "unknown key", hint: hint)
                continue
            }
            values[key] = YValue(node: v, path: child(key), doc: doc)
            order.append(key)
        }
        return YMapping(value: self, values: values, order: order)
    }

    /// The value as a mapping with free-form keys (e.g. `env`, `per_language`).
    public func freeMapping() -> [(key: String, value: YValue)]? {
        guard case let .mapping(m) = node else { report("expected a mapping"); return nil }
        var out: [(String, YValue)] = []
        for (k, v) in m {
            guard let key = k.string else { doc.report(k, path, "keys must be strings"); continue }
            out.append((key, YValue(node: v, path: child(key), doc: doc)))
        }
        return out
    }

    public var isNull: Bool { node.null != nil && node.tag.description.hasSuffix("null") }

    /// A scalar string (numbers and booleans are accepted as their text only where asked).
    public func string() -> String? {
        guard case let .scalar(s) = node else { report("expected a string"); return nil }
        return s.string
    }

    public func bool() -> Bool? {
        if let b = node.bool { return b }
        report("expected true or false"); return nil
    }

    public func int(min: Int = 0) -> Int? {
        guard case .scalar = node, let i = node.int else { report("expected an integer"); return nil }
        if i < min { report("must be at least \(min)"); return nil }
        return i
    }

    public func number() -> Double? {
        guard case .scalar = node, let d = node.float ?? node.int.map(Double.init) else { report("expected a number"); return nil }
        return d
    }

    /// A list of strings; a single string is accepted as a one-element list only if `allowSingle`.
    public func stringList(allowSingle: Bool = false) -> [String]? {
        if allowSingle, case let .scalar(s) = node { return [s.string] }
        guard case let .sequence(seq) = node else { report("expected a list"); return nil }
        var out: [String] = []
        for (i, item) in seq.enumerated() {
            guard case let .scalar(s) = item else {
                doc.report(item, "\(path)[\(i)]", "expected a string"); continue
            }
            out.append(s.string)
        }
        return out
    }

    public func list() -> [YValue]? {
        guard case let .sequence(seq) = node else { report("expected a list"); return nil }
        return seq.enumerated().map { YValue(node: $1, path: "\(path)[\($0)]", doc: doc) }
    }

    /// Picks the closest known key for a "did you mean" hint.
    static func closest(to key: String, in keys: [String]) -> String? {
        let scored = keys.map { ($0, editDistance($0, key)) }.min { $0.1 < $1.1 }
        guard let best = scored, best.1 <= max(2, key.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// A checked mapping: only known keys, in file order.
public struct YMapping: Sendable {
    public let value: YValue
    let values: [String: YValue]
    public let order: [String]

    public subscript(_ key: String) -> YValue? { values[key] }
    public func has(_ key: String) -> Bool { values[key] != nil }

    /// Reports a missing required key.
    @discardableResult
    public func require(_ key: String) -> YValue? {
        if let v = values[key] { return v }
        value.doc.report(value.node, value.child(key), "missing required key")
        return nil
    }
}
