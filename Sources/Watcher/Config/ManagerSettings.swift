// ManagerSettings: xqueue-watcher's manager keys (`xqwatcher.json`, or `MANAGER` in the YAML form), read
// as xqueue-watcher reads them: its defaults, its old names, unknown keys a warning (docs/watcher-config.md).
import XQueue

/// The manager settings every queue shares.
public struct ManagerSettings: Sendable, Equatable {
    /// `HTTP_BASIC_AUTH` (old name `REQUESTS_BASIC_AUTH`): basic auth on every request; nil (the default) for none.
    public var httpBasicAuth: XQueueConfiguration.Credentials?
    /// `POLL_TIME`, default 10 s: xqueue-watcher's pause between liveness checks of its client threads.
    public var pollTime: Double = 10
    /// `REQUESTS_TIMEOUT`, default 1 s, as given: `Timeouts(requested:)` raises it to the floors (5 s, 30 s).
    public var requestsTimeout: Double = 1
    /// `POLL_INTERVAL`, default 1 s: the first pause after an empty queue.
    public var pollInterval: Double = 1
    /// `LOGIN_POLL_INTERVAL`, default 5 s: the pause after a failed login.
    public var loginPollInterval: Double = 5
    /// `FOLLOW_CLIENT_REDIRECTS`, default false. API calls never follow redirects whatever it says (a redirect
    /// there means "log in again", docs/xqueue-client.md); kept for the record and warned about when true.
    public var followClientRedirects = false
    /// `IDLE_POLL_INTERVAL` as written, or nil; `PolygraderSettings.idlePollInterval` is the value to use.
    public var idlePollInterval: Double?

    /// The defaults.
    public init() {}

    /// The keys read here, in the order of docs/watcher-config.md, "Manager settings".
    static let keys = ["HTTP_BASIC_AUTH", "REQUESTS_BASIC_AUTH", "POLL_TIME", "REQUESTS_TIMEOUT", "POLL_INTERVAL",
                       "LOGIN_POLL_INTERVAL", "FOLLOW_CLIENT_REDIRECTS", "IDLE_POLL_INTERVAL"]

    /// Reads the manager keys of `object`; the caller has taken `POLYGRADER` out already.
    static func read(_ object: ConfigObject, warnings: inout [ConfigWarning]) throws -> ManagerSettings {
        var m = ManagerSettings()
        let new = object.optional("HTTP_BASIC_AUTH"), old = object.optional("REQUESTS_BASIC_AUTH")
        if new != nil, old != nil {
            warnings.append(ConfigWarning(object.location.child("REQUESTS_BASIC_AUTH"),
                                          "old name of HTTP_BASIC_AUTH, which is also given and wins; ignored"))
        }
        if let auth = try (new ?? old)?.credentialPair() {
            m.httpBasicAuth = XQueueConfiguration.Credentials(username: auth.0, password: auth.1)
        }
        if let v = object.optional("POLL_TIME") { m.pollTime = try v.number() }
        if let v = object.optional("REQUESTS_TIMEOUT") {
            m.requestsTimeout = try v.number()
            if m.requestsTimeout == 0 { throw v.fail("must be more than 0") }
        }
        if let v = object.optional("POLL_INTERVAL") { m.pollInterval = try v.number() }
        if let v = object.optional("LOGIN_POLL_INTERVAL") { m.loginPollInterval = try v.number() }
        if let v = object.optional("FOLLOW_CLIENT_REDIRECTS") {
            m.followClientRedirects = try v.bool()
            if m.followClientRedirects {
                warnings.append(ConfigWarning(v.location, "ignored: XQueue calls never follow redirects, "
                                              + "because a redirect there means the session expired and polygrader logs in again"))
            }
        }
        if let v = object.optional("IDLE_POLL_INTERVAL") { m.idlePollInterval = try v.number(min: 1) }
        object.warnUnknown(&warnings)
        return m
    }
}
