// ConfigError: what is wrong in an xqueue-watcher configuration, named by file, queue and key, so that an
// operator can fix it without reading our code (docs/watcher-config.md). The caller exits 2.

/// Where a value sits: the file (relative to the config root in the directory form), the queue, the key path.
public struct ConfigLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file, e.g. `conf.d/course.json` or the YAML file as given.
    public var file: String
    /// The queue's name as written in the file (its key, or `QUEUE_NAME`), when the value belongs to a queue.
    public var queue: String?
    /// The key path, e.g. `HANDLERS[0].KWARGS.grader_root`; empty for the file (or queue) as a whole.
    public var key: String

    /// A location.
    public init(file: String, queue: String? = nil, key: String = "") {
        self.file = file; self.queue = queue; self.key = key
    }

    /// The location of `key` below this one.
    func child(_ name: String) -> ConfigLocation {
        ConfigLocation(file: file, queue: queue, key: key.isEmpty ? name : "\(key).\(name)")
    }

    /// The location of list item `index` below this one.
    func item(_ index: Int) -> ConfigLocation {
        ConfigLocation(file: file, queue: queue, key: "\(key)[\(index)]")
    }

    /// `FILE: queue "Q": KEY`, leaving out the parts that are empty.
    public var description: String {
        var parts = [file]
        if let queue { parts.append("queue \"\(queue)\"") }
        if !key.isEmpty { parts.append(key) }
        return parts.joined(separator: ": ")
    }
}

/// Why a configuration cannot be used.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `-d`/`-f` names nothing.
    case notFound(path: String)
    /// A file exists but cannot be read (permissions, not UTF-8, a directory where a file should be).
    case unreadable(file: String, reason: String)
    /// A file is not valid JSON or YAML; `message` is the parser's, with its position when it gives one.
    case syntax(file: String, format: String, message: String)
    /// A value is missing, of the wrong type or out of range.
    case invalid(ConfigLocation, String)
    /// Two queues with the same name (across `conf.d` files, or twice in `CLIENTS`).
    case duplicateQueue(ConfigLocation, firstFile: String)
    /// A handler xqueue-watcher has but polygrader deliberately does not offer.
    case unsupportedHandler(ConfigLocation, name: String)
    /// A handler name that is neither xqueue-watcher's nor ours.
    case unknownHandler(ConfigLocation, name: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file or directory"
        case .unreadable(let file, let reason):
            return "\(file): cannot read: \(reason)"
        case .syntax(let file, let format, let message):
            return "\(file): not valid \(format): \(message)"
        case .invalid(let location, let message):
            return "\(location): \(message)"
        case .duplicateQueue(let location, let firstFile):
            return "\(location): defined twice (first in \(firstFile))"
        case .unsupportedHandler(let location, let name):
            return "\(location): \(name) is not supported: polygrader grades in its own jail, not in containers; "
                + "use xqueue_watcher.grader.Grader or polygrader"
        case .unknownHandler(let location, let name):
            return "\(location): unknown handler \"\(name)\" (use xqueue_watcher.jailedgrader.JailedGrader, "
                + "xqueue_watcher.grader.Grader or polygrader)"
        }
    }
}

/// Something in an xqueue-watcher file that polygrader reads differently or not at all; logged at start-up.
public struct ConfigWarning: Sendable, Equatable, CustomStringConvertible {
    /// Where.
    public var location: ConfigLocation
    /// What, and what polygrader does instead.
    public var message: String

    /// A warning.
    public init(_ location: ConfigLocation, _ message: String) {
        self.location = location; self.message = message
    }

    /// `FILE: queue "Q": KEY: message`.
    public var description: String { "\(location): \(message)" }
}
