// XQueueConfiguration: where the server is, who we are, and how long and how often to try (docs/xqueue-client.md).
import AsyncHTTPClient
import Foundation
import NIOCore

/// Everything one `XQueueClient` needs to know about its server.
public struct XQueueConfiguration: Sendable {
    /// The server, without a trailing slash: a classic XQueue or an LMS serving edx-submissions under `/xqueue/`.
    public var server: URL
    /// The grader's account; nil means the server needs no login (xqueue-watcher's `AUTH` absent).
    public var credentials: Credentials?
    /// HTTP basic auth sent on every request (the manager's `HTTP_BASIC_AUTH`), downloads from the server included.
    public var basicAuth: Credentials?
    /// Whether the server's TLS certificate is checked; off only for test servers.
    public var verifyTLS: Bool
    /// How long a call may take, with the floors applied.
    public var timeouts: Timeouts
    /// How many times `put_result` is tried in all before giving up (at least 1).
    public var putAttempts: Int
    /// The pauses between `put_result` attempts.
    public var putRetry: RetryPolicy

    /// A user name and password.
    public struct Credentials: Sendable, Equatable {
        public var username: String
        public var password: String
        /// Credentials.
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// A configuration with xqueue-watcher's defaults (`REQUESTS_TIMEOUT` 1 s, raised to the floors).
    /// `server` loses any trailing slash: paths are appended as written (`/xqueue/login/`).
    public init(server: URL, credentials: Credentials? = nil, basicAuth: Credentials? = nil, verifyTLS: Bool = true,
                timeouts: Timeouts = Timeouts(requested: 1), putAttempts: Int = 4, putRetry: RetryPolicy = RetryPolicy()) {
        var text = server.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        self.server = URL(string: text) ?? server
        self.credentials = credentials
        self.basicAuth = basicAuth
        self.verifyTLS = verifyTLS
        self.timeouts = timeouts
        self.putAttempts = max(1, putAttempts)
        self.putRetry = putRetry
    }

    /// The URL of an endpoint path such as `/xqueue/get_submission/`.
    func url(_ path: String, query: [(String, String)] = []) -> String {
        // Form encoding, not URLComponents: it leaves `+` alone, which Django reads as a space.
        server.absoluteString + path + (query.isEmpty ? "" : "?" + XQueueClient.formEncoded(query))
    }
}

/// Call timeouts. xqueue-watcher's `REQUESTS_TIMEOUT` defaults to 1 s, too tight for a busy server, so the
/// requested value is used but never below 5 s for API calls and 30 s for downloads.
public struct Timeouts: Sendable, Equatable {
    /// The floor for login, get_submission, put_result and get_queuelen.
    public static let apiFloor: Double = 5
    /// The floor for downloading `xqueue_files`.
    public static let downloadFloor: Double = 30

    /// The seconds that were asked for (`REQUESTS_TIMEOUT`).
    public let requested: Double
    /// Seconds for one API call, whole reply included.
    public let api: Double
    /// Seconds for one file download, for the downloader to use.
    public let download: Double

    /// Timeouts from a requested value, raised to the floors.
    public init(requested: Double) {
        let usable = requested.isFinite && requested > 0 ? requested : 0
        self.requested = requested
        self.api = max(usable, Self.apiFloor)
        self.download = max(usable, Self.downloadFloor)
    }

    /// Exact values below the floors: only tests use this, to see a timeout without waiting for 5 s.
    init(api: Double, download: Double) {
        self.requested = api
        self.api = api
        self.download = download
    }

    /// Whether a floor raised the requested value (worth one log line at start-up).
    public var raised: Bool { api != requested || download != requested }
}

extension XQueueClient {
    /// The HTTP client configuration the XQueue client needs: redirects are never followed, because on the
    /// XQueue API a 301 or 302 means "log in again" (docs/xqueue-client.md); a failed connection fails the call at once
    /// instead of being retried silently by the pool until the timeout, so the caller's backoff decides when
    /// to try again and the error says why (refused, TLS); no transparent decompression; the connect timeout is
    /// the API timeout. Pass it to the `HTTPClient` given to `XQueueClient.init`.
    public static func httpClientConfiguration(timeouts: Timeouts = Timeouts(requested: 1)) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(Int64(timeouts.api * 1e9))),
            decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }
}
