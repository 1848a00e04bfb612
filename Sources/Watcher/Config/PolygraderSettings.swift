// PolygraderSettings: our own keys, under `POLYGRADER` in xqwatcher.json or the YAML file (global) and in a
// queue (per queue). Unlike xqueue-watcher's keys these are strict: an unknown key or a bad value is an error,
// because nobody's existing file holds them and a typo must not silently change grading (docs/watcher-config.md).
import Foundation
import Intake
import Sandbox

/// How the reply's `score` is expressed (docs/reference/results.md, "Score and reply").
public enum ScoreMode: String, Sendable, Equatable, CaseIterable {
    /// A 0...1 fraction: what xqueue-watcher sends and what edx-submissions 4.0.2 expects.
    case fraction
    /// A whole number of points out of the problem's `max_points`, for servers that want points.
    case points
}

/// A `host:port` to listen on.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// A host name or address, without brackets.
    public var host: String
    /// 0 asks the system for a free port (tests).
    public var port: Int
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Parses `127.0.0.1:9464`, `[::1]:9464` or `localhost:9464`.
    init?(_ text: String) {
        var host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = text[..<colon]; port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let p = Int(port), (0...65535).contains(p) else { return nil }
        self.host = String(host); self.port = p
    }
}

/// Where to POST alerts, and after how long a queue's continuous failure is worth one.
public struct AlertWebhook: Sendable, Equatable {
    /// An http or https URL that receives a JSON POST when a queue starts failing and when it recovers.
    public var url: URL
    /// How long a queue must have failed without a break before the alert is sent (default 300 s).
    public var afterSeconds: Double = 300
}

/// polygrader's own global settings; every one has a default, so an unchanged xqueue-watcher config works.
public struct PolygraderSettings: Sendable, Equatable {
    /// `slots`: how many submissions are graded at once (default: the number of cores).
    public var slots: Int
    /// `uid_base`: slot N runs as uid `uid_base + N` (default 60000).
    public var uidBase: Int = RunRequest.defaultUIDBase
    /// `first_slot`: this process uses jail slots `first_slot ..< first_slot + slots` (default 0). Two polygrader
    /// processes on one host (or two containers on one node) need ranges that do not overlap: slot locks, slot
    /// uids and slot cgroups are named by the slot number.
    public var firstSlot = 0
    /// `cgroup_root`: cgroup v2 only, a delegated directory (a systemd unit's own cgroup with `Delegate=yes`)
    /// under which slot cgroups are made; nil: `POLYGRADER_CGROUP_ROOT`, else polyjail's default.
    public var cgroupRoot: String?
    /// `instance`: this watcher's name in alerts; nil: the host name.
    public var instance: String?
    /// `metrics_address`: where `/healthz`, `/readyz`, `/metrics` and `/languages` listen; nil (default) is off.
    public var metricsAddress: ListenAddress?
    /// `alert_webhook`: {url, after_seconds}; nil (default) is off.
    public var alertWebhook: AlertWebhook?
    /// `idle_poll_interval` (else the manager's `IDLE_POLL_INTERVAL`): the longest pause between two polls of an
    /// idle queue, for the queue as a whole, not per connection. Default 30 s: at most 2 requests a minute.
    public var idlePollInterval: Double = 30
    /// `login_failure_exit_after`: a queue whose login is refused this long makes the process exit non-zero so
    /// that its supervisor restarts it (default 600 s); nil (`null`) never exits.
    public var loginFailureExitAfter: Double? = 600
    /// `shutdown_grace`: after SIGTERM/SIGINT, how long in-flight submissions may take to finish and be posted.
    /// Default 25 s: inside Kubernetes' default 30 s termination grace period.
    public var shutdownGrace: Double = 25
    /// `download_addresses`: loopback, link-local or private addresses (or CIDR blocks) downloads may reach.
    public var downloadAddresses: [String] = []
    /// `min_isolation`: refuse to grade below this isolation level (default full).
    public var minIsolation: IsolationLevel = .full
    /// `languages_dir`: where the language profiles are; nil: the installed data directory.
    public var languagesDirectory: String?
    /// `sandboxes_dir`: where the sandbox profiles are; nil: the installed data directory.
    public var sandboxesDirectory: String?
    /// Defaults for every queue (`score`, `files_base_url`, `download_hosts`, `verify_tls`), which a queue's
    /// own `POLYGRADER` block overrides (its `download_hosts` add to these).
    public var queueDefaults = QueueSettings()

    /// The defaults, with one slot per core.
    public init(processorCount: Int) { slots = min(max(1, processorCount), Self.maxSlots) }

    /// polyjail's fixed slots are 0 to 999.
    static let maxSlots = 1000
    static let queueKeys = ["score", "files_base_url", "download_hosts", "verify_tls"]
    static let globalKeys = ["slots", "uid_base", "first_slot", "cgroup_root", "instance", "metrics_address", "alert_webhook", "idle_poll_interval",
                             "login_failure_exit_after", "shutdown_grace", "download_addresses", "min_isolation",
                             "languages_dir", "sandboxes_dir", "log_format"] + queueKeys

    /// Reads the global block; returns the log format too, which belongs to `LoggingSettings`.
    static func read(_ node: ConfigNode?, manager: ManagerSettings, environment: ConfigEnvironment)
        throws -> (PolygraderSettings, LogFormat) {
        var s = PolygraderSettings(processorCount: environment.processorCount)
        if let idle = manager.idlePollInterval { s.idlePollInterval = idle }
        guard let node else { return (s, .text) }
        let o = try node.object()
        if let v = o.optional("slots") { s.slots = try v.integer(min: 1) }
        if let v = o.optional("first_slot") {
            s.firstSlot = try v.integer(min: 0)
        }
        if s.firstSlot + s.slots > maxSlots {
            throw ConfigError.invalid(o.location.child(o.keys.contains("first_slot") ? "first_slot" : "slots"),
                                      "first_slot + slots is \(s.firstSlot + s.slots): polyjail's slots are 0 to \(maxSlots - 1)")
        }
        if let v = o.optional("uid_base") {
            s.uidBase = try v.integer(min: 1000)
            // The last slot's uid must fit in a uid_t and stay below (uid_t)-1, which means "no change" to setresuid.
            if s.uidBase + s.firstSlot + s.slots > Int(UInt32.max) - 1 { throw v.fail("uid_base + first_slot + slots must stay below 4294967295") }
        }
        if let v = o.optional("cgroup_root") {
            s.cgroupRoot = try v.nonEmptyString()
            if !s.cgroupRoot!.hasPrefix("/") { throw v.fail("\"\(s.cgroupRoot!)\" is not an absolute path") }
        }
        if let v = o.optional("instance") {
            let name = try v.nonEmptyString()
            if name.count > 64 || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw v.fail("use at most 64 printable characters")
            }
            s.instance = name
        }
        if let v = o.optional("metrics_address") {
            let text = try v.string()
            guard let address = ListenAddress(text) else { throw v.fail("\"\(text)\" is not host:port (e.g. 127.0.0.1:9464)") }
            s.metricsAddress = address
        }
        if let v = o.optional("alert_webhook") { s.alertWebhook = try readWebhook(v) }
        if let v = o.optional("idle_poll_interval") { s.idlePollInterval = try v.number(min: 1) }
        if let v = o.present("login_failure_exit_after") { s.loginFailureExitAfter = v.isNull ? nil : try v.number(min: 1) }
        if let v = o.optional("shutdown_grace") { s.shutdownGrace = try v.number() }
        if let v = o.optional("download_addresses") {
            s.downloadAddresses = try v.list().map { try $0.nonEmptyString() }
            if let bad = DownloadPolicy(hosts: [], allowedAddresses: s.downloadAddresses).invalidAddresses.first {
                throw v.fail("\"\(bad)\" is not an IP address or CIDR block")
            }
        }
        if let v = o.optional("min_isolation") {
            let text = try v.string()
            guard let level = IsolationLevel(rawValue: text) else { throw v.fail("unknown level \"\(text)\" (full, no-cgroup or minimal)") }
            s.minIsolation = level
        }
        if let v = o.optional("languages_dir") { s.languagesDirectory = try v.nonEmptyString() }
        if let v = o.optional("sandboxes_dir") { s.sandboxesDirectory = try v.nonEmptyString() }
        var format = LogFormat.text
        if let v = o.optional("log_format") { format = try readEnum(v, LogFormat.self) }
        s.queueDefaults = try QueueSettings.read(o, over: QueueSettings())
        try o.rejectUnknown(known: globalKeys)
        return (s, format)
    }

    private static func readWebhook(_ node: ConfigNode) throws -> AlertWebhook {
        let o = try node.object()
        var hook = AlertWebhook(url: try readURL(try o.required("url")))
        if let v = o.optional("after_seconds") { hook.afterSeconds = try v.number(min: 1) }
        try o.rejectUnknown(known: ["url", "after_seconds"])
        return hook
    }
}

/// The settings a queue's `POLYGRADER` block may set; the global block gives their defaults.
public struct QueueSettings: Sendable, Equatable {
    /// `score`: fraction (default) or points.
    public var score = ScoreMode.fraction
    /// `files_base_url`: what relative `xqueue_files` values are resolved against; nil: the queue's `SERVER`.
    public var filesBaseURL: URL?
    /// `download_hosts`: hosts downloads may reach besides `SERVER` and the files base URL (`*.example.com` allowed).
    public var downloadHosts: [String] = []
    /// `verify_tls`: check the server's certificate (default true; false only for test servers).
    public var verifyTLS = true

    /// The defaults.
    public init() {}

    /// Reads the queue keys of `o` on top of `base`; `download_hosts` adds to the base's.
    static func read(_ o: ConfigObject, over base: QueueSettings) throws -> QueueSettings {
        var s = base
        if let v = o.optional("score") { s.score = try readEnum(v, ScoreMode.self) }
        if let v = o.optional("files_base_url") { s.filesBaseURL = try readURL(v) }
        if let v = o.optional("download_hosts") { s.downloadHosts = base.downloadHosts + (try v.list().map { try $0.nonEmptyString() }) }
        if let v = o.optional("verify_tls") { s.verifyTLS = try v.bool() }
        return s
    }

    /// A queue's own block.
    static func readQueue(_ node: ConfigNode, over base: QueueSettings) throws -> QueueSettings {
        let o = try node.object()
        let s = try read(o, over: base)
        try o.rejectUnknown(known: PolygraderSettings.queueKeys)
        return s
    }
}

/// One of an enum's raw values, or an error listing them.
func readEnum<E: RawRepresentable & CaseIterable>(_ node: ConfigNode, _: E.Type) throws -> E where E.RawValue == String {
    let text = try node.string()
    if let value = E(rawValue: text) { return value }
    throw node.fail("\"\(text)\" is not one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
}

/// An absolute http or https URL with a host.
func readURL(_ node: ConfigNode) throws -> URL {
    let text = try node.nonEmptyString()
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
          let host = url.host, !host.isEmpty else {
        throw node.fail("\"\(text)\" is not an http or https URL")
    }
    return url
}
