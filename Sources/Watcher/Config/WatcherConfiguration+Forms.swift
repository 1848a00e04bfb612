// The two forms of the watcher configuration: xqueue-watcher's JSON directory and the YAML file.
import Foundation

extension WatcherConfiguration {
    /// `CONFIG_ROOT/`: every file optional; `conf.d/*.json` loaded in sorted order, each top-level key a queue.
    static func loadDirectory(_ root: String, environment: ConfigEnvironment) throws -> WatcherConfiguration {
        var config = WatcherConfiguration(form: .directory, path: root, environment: environment)
        func file(_ name: String) throws -> ConfigNode? {
            let path = (root as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return ConfigNode(value: try ConfigValue.parseJSON(try read(path, name: name), file: name),
                              location: ConfigLocation(file: name))
        }
        let logging = try file("logging.json")
        var manager: ConfigObject?, polygrader: ConfigNode?
        if let node = try file("xqwatcher.json") {
            let object = try node.object()
            polygrader = object.optional("POLYGRADER")
            manager = object
        }
        try config.readGlobal(manager: manager, polygrader: polygrader, logging: logging, environment: environment)
        let servers = try file("xqueue_servers.json").map { try QueueConfiguration.readServers($0, warnings: &config.warnings) }

        var warnedUser = false
        for name in try confFiles(root) {
            guard let node = try file("conf.d/" + name) else { continue }
            let object = try node.object()
            for queue in object.keys {
                let location = ConfigLocation(file: node.location.file, queue: queue)
                guard let value = object.present(queue)?.value else { continue }
                try config.add(ConfigNode(value: value, location: location), name: queue, servers: servers,
                               environment: environment, warnedUser: &warnedUser)
            }
        }
        return config
    }

    /// The `*.json` files of `conf.d`, sorted by name as Python sorts `glob` results (by code point);
    /// hidden files are skipped, as `glob` skips them. No `conf.d`: no queues.
    static func confFiles(_ root: String) throws -> [String] {
        let dir = (root as NSString).appendingPathComponent("conf.d")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else { return [] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: dir) } catch {
            throw ConfigError.unreadable(file: "conf.d", reason: (error as NSError).localizedDescription)
        }
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
            .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: dir + "/" + $0, isDirectory: &d) && !d.boolValue }
            .sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
    }

    /// One YAML file: `CLIENTS` (a list of queues, each with `QUEUE_NAME`), `MANAGER`, `LOGGING`, `POLYGRADER`.
    static func loadYAML(_ path: String, environment: ConfigEnvironment) throws -> WatcherConfiguration {
        var config = WatcherConfiguration(form: .yaml, path: path, environment: environment)
        guard let text = String(data: try read(path, name: path), encoding: .utf8) else {
            throw ConfigError.unreadable(file: path, reason: "not valid UTF-8")
        }
        let top = ConfigNode(value: try ConfigValue.parseYAML(text, file: path), location: ConfigLocation(file: path))
        let object = try top.object()
        let manager = try object.optional("MANAGER")?.object()
        try config.readGlobal(manager: manager, polygrader: object.optional("POLYGRADER"),
                              logging: object.optional("LOGGING"), environment: environment)
        var warnedUser = false
        for client in try object.optional("CLIENTS")?.list() ?? [] {
            let entries = try client.object()
            let nameNode = try entries.required("QUEUE_NAME")
            let name = try nameNode.text()
            if name.isEmpty { throw nameNode.fail("must not be empty") }
            guard case .object(let fields) = client.value else { continue }
            // QUEUE_NAME names the queue here, as the key does in conf.d; the rest reads as a conf.d queue.
            let queue = ConfigNode(value: .object(fields.filter { $0.key != "QUEUE_NAME" }),
                                   location: ConfigLocation(file: path, queue: name))
            try config.add(queue, name: name, servers: nil, environment: environment, warnedUser: &warnedUser)
        }
        object.warnUnknown(&config.warnings)
        return config
    }
}
