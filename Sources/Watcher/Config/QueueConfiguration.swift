// QueueConfiguration: one queue of `conf.d/*.json` (a top-level key) or of the YAML `CLIENTS` list: its
// server, account, connections and handlers, with our per-queue `POLYGRADER` settings resolved.
import Foundation
import XQueue

/// A named server of `xqueue_servers.json`, for `SERVER_REF`.
public struct NamedServer: Sendable, Equatable {
    public var server: URL
    public var credentials: XQueueConfiguration.Credentials?
}

/// A queue to poll.
public struct QueueConfiguration: Sendable, Equatable {
    /// The queue's name in the configuration (its key, or `QUEUE_NAME`); metrics and logs use it.
    public var name: String
    /// The queue name sent to the server: `NAME_OVERRIDE`, else `name`.
    public var queueName: String
    /// The file it was read from, for log lines.
    public var file: String
    /// `SERVER` (default http://localhost:18040) or the `SERVER_REF` entry's.
    public var server: URL
    /// `SERVER_REF`, when the server came from `xqueue_servers.json`.
    public var serverReference: String?
    /// `AUTH`; nil: no login.
    public var credentials: XQueueConfiguration.Credentials?
    /// `CONNECTIONS` (default 1): how many pollers this queue has.
    public var connections: Int
    /// `HANDLERS`, at least one, in order: the runtime grades with the first whose course directory holds the
    /// payload's grader (one reply per submission, where xqueue-watcher posts one per handler).
    public var handlers: [HandlerConfiguration]
    /// Our per-queue settings, the global ones as defaults.
    public var settings: QueueSettings

    /// The first handler (the only one in most configurations).
    public var handler: HandlerConfiguration { handlers[0] }
    /// What relative `xqueue_files` values are resolved against: `files_base_url`, else `SERVER`.
    public var filesBaseURL: URL { settings.filesBaseURL ?? server }

    static let defaultServer = URL(string: "http://localhost:18040")!
    static let keys = ["SERVER", "AUTH", "SERVER_REF", "NAME_OVERRIDE", "CONNECTIONS", "CLASS", "HANDLERS", "POLYGRADER"]

    /// Reads a queue whose location already names it (`location.queue`).
    static func read(_ node: ConfigNode, name: String, servers: [String: NamedServer]?, defaults: QueueSettings,
                     environment: ConfigEnvironment, warnedUser: inout Bool, warnings: inout [ConfigWarning]) throws -> QueueConfiguration {
        let o = try node.object()
        var server = defaultServer
        var credentials: XQueueConfiguration.Credentials?
        var reference: String?
        let serverNode = o.optional("SERVER"), authNode = o.optional("AUTH")
        if let ref = o.optional("SERVER_REF") {
            if let other = serverNode ?? authNode {
                throw ref.fail("cannot be given with \(other.location.key): SERVER_REF names both the server and its account")
            }
            let refName = try ref.nonEmptyString()
            guard let servers else { throw ref.fail("unknown server \"\(refName)\": there is no xqueue_servers.json") }
            guard let named = servers[refName] else {
                throw ref.fail("unknown server \"\(refName)\" (xqueue_servers.json defines: \(servers.keys.sorted().joined(separator: ", ")))")
            }
            server = named.server; credentials = named.credentials; reference = refName
        } else {
            if let serverNode { server = try readURL(serverNode) }
            credentials = try authNode?.credentialPair().map { .init(username: $0.0, password: $0.1) }
        }
        var queueName = name
        if let override = o.optional("NAME_OVERRIDE") {
            queueName = try override.text()
            if queueName.isEmpty { throw override.fail("must not be empty") }
        }
        let connections = try o.optional("CONNECTIONS")?.integer(min: 1) ?? 1
        o.ignore(["CLASS"])
        let handlerNodes = try o.required("HANDLERS").list()
        if handlerNodes.isEmpty { throw ConfigError.invalid(o.location.child("HANDLERS"), "empty: a queue needs a handler") }
        let handlers = try handlerNodes.map {
            try HandlerConfiguration.read($0, environment: environment, warnedUser: &warnedUser, warnings: &warnings)
        }
        let settings = try o.optional("POLYGRADER").map { try QueueSettings.readQueue($0, over: defaults) } ?? defaults
        o.warnUnknown(&warnings)
        return QueueConfiguration(name: name, queueName: queueName, file: o.location.file, server: server,
                                  serverReference: reference, credentials: credentials, connections: connections,
                                  handlers: handlers, settings: settings)
    }

    /// Reads `xqueue_servers.json`: `{"name": {"SERVER": url, "AUTH": [user, pass]}}`.
    static func readServers(_ node: ConfigNode, warnings: inout [ConfigWarning]) throws -> [String: NamedServer] {
        let o = try node.object()
        var servers: [String: NamedServer] = [:]
        for name in o.keys {
            let entry = try o.required(name).object()
            let url = try readURL(try entry.required("SERVER"))
            let auth = try entry.optional("AUTH")?.credentialPair().map { XQueueConfiguration.Credentials(username: $0.0, password: $0.1) }
            entry.warnUnknown(&warnings)
            servers[name] = NamedServer(server: url, credentials: auth)
        }
        return servers
    }
}

extension QueueConfiguration: CustomStringConvertible {
    /// For log lines: never the password.
    public var description: String {
        let polled = queueName == name ? "" : " (polled as \"\(queueName)\")"
        let account = credentials.map { " as \($0.username)" } ?? ""
        return "queue \"\(name)\"\(polled) on \(server.absoluteString)\(account), \(connections) connection\(connections == 1 ? "" : "s")"
    }
}

extension WatcherConfiguration {
    /// The XQueue client configuration of a queue: its server and account, the manager's basic auth and
    /// `REQUESTS_TIMEOUT` (raised to the floors by `Timeouts`), the queue's TLS switch.
    public func xqueueConfiguration(for queue: QueueConfiguration) -> XQueueConfiguration {
        XQueueConfiguration(server: queue.server, credentials: queue.credentials, basicAuth: manager.httpBasicAuth,
                            verifyTLS: queue.settings.verifyTLS, timeouts: Timeouts(requested: manager.requestsTimeout))
    }
}
