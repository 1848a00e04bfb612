// WatcherConfiguration: everything `polygrader -d CONFIG` reads, from an xqueue-watcher config directory
// (the JSON form) or a YAML file (`-d FILE.yml`, `-f FILE.yml`), unchanged (docs/watcher-config.md).
import Foundation

/// What the loader needs from the host: cores (the default slot count) and the directory that relative
/// `grader_root` paths are taken from, as xqueue-watcher does.
public struct ConfigEnvironment: Sendable {
    public var processorCount: Int
    public var currentDirectory: String

    public init(processorCount: Int, currentDirectory: String) {
        self.processorCount = processorCount; self.currentDirectory = currentDirectory
    }

    /// This process's.
    public static var current: ConfigEnvironment {
        ConfigEnvironment(processorCount: ProcessInfo.processInfo.activeProcessorCount,
                          currentDirectory: FileManager.default.currentDirectoryPath)
    }
}

/// A whole watcher configuration.
public struct WatcherConfiguration: Sendable {
    /// Which form it was read from.
    public enum Form: Sendable, Equatable {
        /// `CONFIG_ROOT/` with `logging.json`, `xqwatcher.json`, `xqueue_servers.json`, `conf.d/*.json`.
        case directory
        /// One YAML file with `CLIENTS`, `MANAGER`, `LOGGING`, `POLYGRADER`.
        case yaml
    }

    /// The form.
    public var form: Form
    /// The path given to `load`.
    public var path: String
    /// xqueue-watcher's manager settings.
    public var manager = ManagerSettings()
    /// The log level and format.
    public var logging = LoggingSettings()
    /// polygrader's own global settings.
    public var polygrader: PolygraderSettings
    /// The queues, in the order read (conf.d files sorted by name, keys sorted within a file; CLIENTS in order).
    /// Empty is allowed: `-e` is the caller's ("exit when no queue is configured").
    public var queues: [QueueConfiguration] = []
    /// What was read differently or not at all, for the caller to log at start-up.
    public var warnings: [ConfigWarning] = []

    /// Reads a configuration: a directory is the JSON form, a file the YAML form. Throws `ConfigError`,
    /// whose text names the file, the queue and the key; the caller prints it and exits 2.
    public static func load(path: String, environment: ConfigEnvironment = .current) throws -> WatcherConfiguration {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ConfigError.notFound(path: path) }
        return isDirectory.boolValue ? try loadDirectory(path, environment: environment)
                                     : try loadYAML(path, environment: environment)
    }

    init(form: Form, path: String, environment: ConfigEnvironment) {
        self.form = form; self.path = path
        polygrader = PolygraderSettings(processorCount: environment.processorCount)
    }

    /// Reads the shared parts once the manager block and the global POLYGRADER block are known.
    mutating func readGlobal(manager managerObject: ConfigObject?, polygrader node: ConfigNode?,
                             logging loggingNode: ConfigNode?, environment: ConfigEnvironment) throws {
        if let managerObject { manager = try ManagerSettings.read(managerObject, warnings: &warnings) }
        let (settings, format) = try PolygraderSettings.read(node, manager: manager, environment: environment)
        polygrader = settings
        if let loggingNode { logging = try LoggingSettings.read(loggingNode, warnings: &warnings) }
        logging.format = format
    }

    /// Adds a queue, refusing a name already used (two pollers of one name would be a configuration mistake,
    /// and metrics and logs key on the name).
    mutating func add(_ node: ConfigNode, name: String, servers: [String: NamedServer]?, environment: ConfigEnvironment,
                      warnedUser: inout Bool) throws {
        if let first = queues.first(where: { $0.name == name }) {
            throw ConfigError.duplicateQueue(ConfigLocation(file: node.location.file, queue: name), firstFile: first.file)
        }
        queues.append(try QueueConfiguration.read(node, name: name, servers: servers, defaults: polygrader.queueDefaults,
                                                  environment: environment, warnedUser: &warnedUser, warnings: &warnings))
    }

    /// A file's bytes; `name` is how errors call it.
    static func read(_ path: String, name: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            throw ConfigError.unreadable(file: name, reason: reason)
        }
    }
}
