// `polygrader serve --listen ADDR -d CONFIG`: the passive (push) grader. XQueue POSTs each submission and
// reads the graded reply from the response (docs/push-mode.md). The configuration is the watcher's
// (queues, handlers, slots, limits, metrics address); the push endpoint's own settings are flags, and
// its credential is read from a file so that it never shows in the process list.
import ArgumentParser
import Foundation
import Logging
import Watcher

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Grade submissions that XQueue pushes (passive grader mode).")

    @Option(help: "Where to listen: HOST:PORT, [IPV6]:PORT or PORT (on 127.0.0.1).")
    var listen: String
    @Option(name: .customShort("d"), help: "The configuration: a directory (conf.d/*.json, xqwatcher.json, …) or a YAML file.")
    var configRoot: String
    @Option(help: "A file whose first line is USER:PASSWORD (HTTP basic auth) or secret:TEXT (the X-Polygrader-Secret header).")
    var authFile: String?
    @Flag(help: "Accept requests without authentication (only for an address nobody else can reach).")
    var noAuth = false
    @Option(help: "The largest request body accepted, in bytes (413 beyond).")
    var maxRequestBytes = 1 << 20
    @Option(help: "Seconds a request waits for a free grading slot before 503 with Retry-After.")
    var slotWait = 10.0

    func run() async throws {
        let authentication: PushSettings.Authentication
        switch (authFile, noAuth) {
        case let (path?, false):
            do { authentication = try PushSettings.authentication(fromFile: path) } catch {
                printError("polygrader: \(error)")
                throw Exit.usage
            }
        case (nil, true): authentication = .none
        default:
            printError("polygrader: give exactly one of --auth-file FILE or --no-auth")
            throw Exit.usage
        }
        guard maxRequestBytes > 0, slotWait >= 0 else {
            printError("polygrader: --max-request-bytes must be positive and --slot-wait not negative")
            throw Exit.usage
        }
        do { _ = try OperationsServer.parseAddress(listen) } catch {
            printError("polygrader: --listen: \(error)")
            throw Exit.usage
        }
        let (configuration, logger) = try loadConfiguration(configRoot, label: "polygrader.push")
        guard !configuration.queues.isEmpty else {
            printError("polygrader: the configuration has no queue: a pushed submission would have no handler")
            throw Exit.usage
        }
        let engine = try makeEngine(configuration)
        let settings = PushSettings(listen: listen, authentication: authentication, maxRequestBytes: maxRequestBytes, slotWait: slotWait)
        do {
            try await Serve.run(configuration: configuration, engine: engine, settings: settings, logger: logger)
        } catch {
            logger.critical("the push grader stopped", metadata: ["error": "\(error)"])
            throw Exit.failure
        }
    }
}
