// ConfigValue: one value tree for both forms of the watcher configuration (JSON files and the YAML file),
// and `ConfigNode`/`ConfigObject`, which read it with type checks that name the file, queue and key.
import Foundation
import Yams

/// A JSON or YAML value as xqueue-watcher sees it after `json.load` or `yaml.safe_load`.
public enum ConfigValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case list([ConfigValue])
    /// Keys in file order for YAML; in sorted order for JSON (Foundation's decoder does not keep the order).
    case object([ConfigEntry])

    /// The value in words, for "expected a number, found a string".
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .list: "a list"
        case .object: "an object"
        }
    }
}

/// One key and its value.
public struct ConfigEntry: Sendable, Equatable {
    public var key: String
    public var value: ConfigValue
    public init(_ key: String, _ value: ConfigValue) { self.key = key; self.value = value }
}

extension ConfigValue: Decodable {
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: AnyKey.self) {
            self = .object(try keyed.allKeys.map(\.stringValue).sorted().map {
                ConfigEntry($0, try keyed.decode(ConfigValue.self, forKey: AnyKey(stringValue: $0)))
            })
        } else if var unkeyed = try? decoder.unkeyedContainer() {
            var items: [ConfigValue] = []
            while !unkeyed.isAtEnd { items.append(try unkeyed.decode(ConfigValue.self)) }
            self = .list(items)
        } else {
            let single = try decoder.singleValueContainer()
            // Bool first: the decoder does not turn 1 into true, nor true into 1.
            if single.decodeNil() { self = .null }
            else if let b = try? single.decode(Bool.self) { self = .bool(b) }
            else if let i = try? single.decode(Int.self) { self = .integer(i) }
            else if let d = try? single.decode(Double.self) { self = .number(d) }
            else { self = .string(try single.decode(String.self)) }
        }
    }

    /// Parses a JSON file's bytes; `file` names it in the error.
    static func parseJSON(_ data: Data, file: String) throws -> ConfigValue {
        do {
            return try JSONDecoder().decode(ConfigValue.self, from: data)
        } catch {
            throw ConfigError.syntax(file: file, format: "JSON", message: jsonProblem(data) ?? "\(error)")
        }
    }

    /// Where the JSON goes wrong: the decoder does not say, JSONSerialization gives "around character N",
    /// which is turned into a line and column.
    private static func jsonProblem(_ data: Data) -> String? {
        if data.allSatisfy({ [0x20, 0x0a, 0x0d, 0x09].contains($0) }) { return "the file is empty" }
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)
            return nil
        } catch {
            guard var text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String else { return nil }
            if let range = text.range(of: "around character "), let offset = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                let before = data.prefix(offset)
                let line = before.filter { $0 == 0x0a }.count + 1
                let column = before.count - (before.lastIndex(of: 0x0a).map { $0 + 1 } ?? 0) + 1
                text = "line \(line), column \(column): " + text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            return text
        }
    }

    /// Parses a YAML document the way PyYAML's `safe_load` types its scalars (YAML 1.1: `yes` is true).
    static func parseYAML(_ text: String, file: String) throws -> ConfigValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError.syntax(file: file, format: "YAML", message: Self.describe(error))
        } catch {
            throw ConfigError.syntax(file: file, format: "YAML", message: "\(error)")
        }
        guard let node else { return .null }
        return try ConfigValue(yaml: node, file: file)
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)"
        case let .duplicatedKeysInMapping(duplicates, context):
            return "line \(context.mark.line): duplicate key \(duplicates.sorted().joined(separator: ", "))"
        default:
            return "\(error)"
        }
    }

    private init(yaml node: Node, file: String) throws {
        switch node {
        case .scalar(let scalar):
            let tag = node.tag.rawValue
            if tag == Tag.Name.null.rawValue { self = .null }
            else if tag == Tag.Name.bool.rawValue, let b = node.bool { self = .bool(b) }
            else if tag == Tag.Name.int.rawValue, let i = node.int { self = .integer(i) }
            else if tag == Tag.Name.float.rawValue, let d = node.float { self = .number(d) }
            else { self = .string(scalar.string) }
        case .sequence(let sequence):
            self = .list(try sequence.map { try ConfigValue(yaml: $0, file: file) })
        case .mapping(let mapping):
            self = .object(try mapping.map { key, value in
                guard case .scalar(let k) = key else {
                    throw ConfigError.syntax(file: file, format: "YAML", message: "line \(key.mark?.line ?? 0): a key is not a string")
                }
                return ConfigEntry(k.string, try ConfigValue(yaml: value, file: file))
            })
        case .alias:
            // Yams resolves aliases while composing; an unresolved one means a document we cannot read.
            throw ConfigError.syntax(file: file, format: "YAML", message: "line \(node.mark?.line ?? 0): unresolved alias")
        }
    }
}

/// A value and where it sits; the typed readers throw `ConfigError.invalid` naming that place.
struct ConfigNode {
    let value: ConfigValue
    let location: ConfigLocation

    func fail(_ message: String) -> ConfigError { .invalid(location, message) }

    var isNull: Bool { value == .null }

    func string() throws -> String {
        guard case .string(let s) = value else { throw fail("expected a string, found \(value.kind)") }
        return s
    }

    /// A string, or a number as Python's `str()` writes it: YAML types `AUTH: [lms, 12345]` and `QUEUE_NAME: 123`
    /// as numbers, and xqueue-watcher sends them as text without complaint.
    func text() throws -> String {
        switch value {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        default: throw fail("expected a string, found \(value.kind)")
        }
    }

    /// A string that is not empty (names, paths, URLs).
    func nonEmptyString() throws -> String {
        let s = try string()
        if s.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("must not be empty") }
        return s
    }

    func bool() throws -> Bool {
        guard case .bool(let b) = value else { throw fail("expected true or false, found \(value.kind)") }
        return b
    }

    func integer(min: Int) throws -> Int {
        guard case .integer(let i) = value else { throw fail("expected a whole number, found \(value.kind)") }
        if i < min { throw fail("must be at least \(min)") }
        return i
    }

    /// A number of seconds (or bytes): whole or not, finite, at least `min`.
    func number(min: Double = 0) throws -> Double {
        let d: Double
        switch value {
        case .integer(let i): d = Double(i)
        case .number(let n): d = n
        default: throw fail("expected a number, found \(value.kind)")
        }
        if !d.isFinite { throw fail("must be a finite number") }
        if d < min { throw fail("must be at least \(Self.show(min))") }
        return d
    }

    func list() throws -> [ConfigNode] {
        guard case .list(let items) = value else { throw fail("expected a list, found \(value.kind)") }
        return items.enumerated().map { ConfigNode(value: $1, location: location.item($0)) }
    }

    func object() throws -> ConfigObject {
        guard case .object(let entries) = value else { throw fail("expected an object, found \(value.kind)") }
        return ConfigObject(entries: entries, location: location)
    }

    /// `[user, password]`, as `AUTH` and `HTTP_BASIC_AUTH` are written; null means none.
    func credentialPair() throws -> (String, String)? {
        if isNull { return nil }
        let items = try list()
        guard items.count == 2 else { throw fail("expected [user, password]") }
        if items.allSatisfy(\.isNull) { return nil }   // xqueue-watcher's own default, (None, None)
        return (try items[0].text(), try items[1].text())
    }

    /// A number without a needless ".0".
    static func show(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }
}

/// An object being read. Keys are taken one by one; what is left is unknown: a warning in xqueue-watcher's
/// files (they are read as xqueue-watcher reads them), an error in our own `POLYGRADER` blocks.
final class ConfigObject {
    let location: ConfigLocation
    private let entries: [ConfigEntry]
    private var taken: Set<String> = []

    init(entries: [ConfigEntry], location: ConfigLocation) {
        self.entries = entries; self.location = location
    }

    /// The keys in order.
    var keys: [String] { entries.map(\.key) }

    /// The value of `key`, or nil when it is absent or null (`config.get(KEY, default)` then gives the default).
    func optional(_ key: String) -> ConfigNode? {
        taken.insert(key)
        guard let entry = entries.last(where: { $0.key == key }), entry.value != .null else { return nil }
        return ConfigNode(value: entry.value, location: location.child(key))
    }

    /// The value of `key`, which may be null but must be present.
    func present(_ key: String) -> ConfigNode? {
        taken.insert(key)
        return entries.last(where: { $0.key == key }).map { ConfigNode(value: $0.value, location: location.child(key)) }
    }

    /// The value of `key`; absent or null is an error.
    func required(_ key: String) throws -> ConfigNode {
        guard let node = optional(key) else { throw ConfigError.invalid(location.child(key), "missing") }
        return node
    }

    /// Marks keys as read without reading them (accepted and ignored).
    func ignore(_ keys: [String]) { taken.formUnion(keys) }

    /// The keys nobody asked for, in order.
    var unknownKeys: [String] { entries.map(\.key).filter { !taken.contains($0) } }

    /// One warning per unknown key.
    func warnUnknown(_ warnings: inout [ConfigWarning], what: String = "unknown key, ignored") {
        for key in unknownKeys { warnings.append(ConfigWarning(location.child(key), what)) }
    }

    /// Throws on the first unknown key, listing the known ones.
    func rejectUnknown(known: [String]) throws {
        if let key = unknownKeys.first {
            throw ConfigError.invalid(location.child(key), "unknown key (known: \(known.joined(separator: ", ")))")
        }
    }
}
