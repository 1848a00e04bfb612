// XQueueSession: one connection's cookie jar and the headers every request to the server carries
// (session cookie, CSRF token, Referer, basic auth), and the decorator that lends them to file downloads.
import AsyncHTTPClient
import Foundation
import NIOHTTP1
import NIOSSL

/// The login state of one connection. Each `XQueueClient` owns one; docs/xqueue-client.md, "Cookies": a cookie jar per
/// connection.
public actor XQueueSession {
    /// The names Django uses for its CSRF cookie (the LMS may rename it).
    static let csrfCookieNames = ["csrftoken", "edx-csrftoken"]

    nonisolated let server: URL
    nonisolated let basicAuth: XQueueConfiguration.Credentials?
    nonisolated let verifyTLS: Bool
    /// Cookies by name. One server, so names are enough; Domain and Path are not tracked (docs/xqueue-client.md).
    private var cookies: [String: String] = [:]

    init(server: URL, basicAuth: XQueueConfiguration.Credentials?, verifyTLS: Bool) {
        self.server = server
        self.basicAuth = basicAuth
        self.verifyTLS = verifyTLS
    }

    /// Adds the session cookies and basic auth to a download request, but only when it goes to the XQueue
    /// server itself (same scheme, host and port): a storage URL on another host must not see our session.
    /// Other modules inject this as a closure, so they need not import XQueue's types.
    public nonisolated func decorate(_ request: inout HTTPClientRequest) async {
        guard let url = URL(string: request.url), isServer(url) else { return }
        for header in await downloadHeaders(for: url) { request.headers.replaceOrAdd(name: header.name, value: header.value) }
        if !verifyTLS { request.tlsConfiguration = Self.unverifiedTLS }
    }

    /// The headers for a download from `url`: cookies and basic auth if it is on the server, else none.
    public func downloadHeaders(for url: URL) -> [(name: String, value: String)] {
        guard isServer(url) else { return [] }
        var headers: [(name: String, value: String)] = []
        if let header = currentCookieHeader() { headers.append((name: "Cookie", value: header)) }
        if let basicAuth { headers.append((name: "Authorization", value: Self.basic(basicAuth))) }
        return headers
    }

    /// Whether the session holds a cookie named `sessionid` (a login has succeeded and not been undone).
    public var isLoggedIn: Bool { cookies["sessionid"] != nil }

    /// The CSRF token the server last set, if any.
    var csrfToken: String? { Self.csrfCookieNames.lazy.compactMap { self.cookies[$0] }.first }

    /// Headers for an API call. After the CSRF GET every call carries `X-CSRFToken` (the current cookie: Django
    /// rotates it at login) and a `Referer` Django accepts; `referer` overrides it for the login POST.
    func apiHeaders(referer: String? = nil) -> HTTPHeaders {
        var headers = HTTPHeaders()
        if let cookie = currentCookieHeader() { headers.add(name: "Cookie", value: cookie) }
        if let token = csrfToken {
            headers.add(name: "X-CSRFToken", value: token)
            headers.add(name: "Referer", value: referer ?? server.absoluteString)
        } else if let referer {
            headers.add(name: "Referer", value: referer)
        }
        if let basicAuth { headers.add(name: "Authorization", value: Self.basic(basicAuth)) }
        return headers
    }

    /// Takes in the `Set-Cookie` headers of a reply; an expired or zero-age cookie is a deletion (Django's logout).
    func absorb(_ headers: HTTPHeaders, now: Date = Date()) {
        for line in headers["Set-Cookie"] {
            guard let cookie = HTTPClient.Cookie(header: line, defaultDomain: server.host ?? "") else { continue }
            let expired = (cookie.maxAge.map { $0 <= 0 } ?? false) || (cookie.expires.map { $0 <= now } ?? false)
            if expired { cookies[cookie.name] = nil } else { cookies[cookie.name] = cookie.value }
        }
    }

    /// Forgets every cookie (before a fresh login, so a dead session cookie is not sent with it).
    func clear() { cookies.removeAll() }

    private func currentCookieHeader() -> String? {
        guard !cookies.isEmpty else { return nil }
        return cookies.keys.sorted().map { "\($0)=\(cookies[$0]!)" }.joined(separator: "; ")
    }

    nonisolated func isServer(_ url: URL) -> Bool {
        guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(),
              let serverScheme = server.scheme?.lowercased(), let serverHost = server.host?.lowercased() else { return false }
        return scheme == serverScheme && host == serverHost
            && Self.port(of: url, scheme: scheme) == Self.port(of: server, scheme: serverScheme)
    }

    private static func port(of url: URL, scheme: String) -> Int? {
        url.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil)
    }

    static func basic(_ credentials: XQueueConfiguration.Credentials) -> String {
        "Basic " + Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
    }

    /// TLS without certificate checks, for the switch that turns verification off (test servers only).
    static let unverifiedTLS: TLSConfiguration = {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        return tls
    }()
}
