// `polygrader -d CONFIG` / `polygrader watch -d CONFIG`: the main job. Reads an xqueue-watcher
// configuration unchanged (a directory of JSON files, or a YAML file), then watches every queue until
// SIGTERM or SIGINT (docs/watcher.md). Exit 0 after a graceful stop, 1 when a queue gives up or the
// host cannot jail, 2 for a configuration error (the message names the file, the queue and the key).
import ArgumentParser
import Foundation
import Logging
import Watcher

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch the queues of an xqueue-watcher configuration and grade what arrives (the default command).")

    @Option(name: .customShort("d"), help: "The configuration: a directory (conf.d/*.json, xqwatcher.json, …) or a YAML file.")
    var configRoot: String?
    @Option(name: .customShort("f"), help: "A YAML configuration file (the same as -d FILE.yml).")
    var file: String?
    @Flag(name: .customShort("e"), help: "Exit when no queue is configured.")
    var exitWhenEmpty = false

    func run() async throws {
        guard let path = configRoot ?? file else {
            printError("polygrader: give the configuration with -d CONFIG_ROOT (or -f FILE.yml)")
            throw Exit.usage
        }
        let (configuration, logger) = try loadConfiguration(path, label: "polygrader.watcher")
        if configuration.queues.isEmpty {
            logger.notice("no queue is configured", metadata: ["config": "\(path)"])
            if exitWhenEmpty { return }
        }
        let engine = try makeEngine(configuration)
        do {
            try await Watch.run(configuration: configuration, engine: engine, logger: logger)
        } catch {
            logger.critical("the watcher stopped", metadata: ["error": "\(error)"])
            throw Exit.failure
        }
    }
}

/// Reads a watcher configuration (exit 2 with the message naming file, queue and key), starts logging as
/// it says, and logs its warnings.
func loadConfiguration(_ path: String, label: String) throws -> (WatcherConfiguration, Logger) {
    let configuration: WatcherConfiguration
    do { configuration = try WatcherConfiguration.load(path: path) } catch {
        printError("polygrader: \(error)")
        throw Exit.usage
    }
    WatcherLogging.bootstrap(format: configuration.logging.format, level: configuration.logging.level)
    let logger = Logger(label: label)
    for warning in configuration.warnings { logger.warning("\(warning)") }
    return (configuration, logger)
}

/// The engine of a configuration: bad profiles exit 2, a host that cannot jail at its level exits 1.
func makeEngine(_ configuration: WatcherConfiguration) throws -> GradingEngine {
    do { return try GradingEngine(configuration.engineSettings()) } catch {
        printError("\(error)")
        if case .profiles = error { throw Exit.usage }
        throw Exit.failure
    }
}
