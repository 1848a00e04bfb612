// Harness: an embedded queue on loopback with our own XQueueClient (a real AsyncHTTPClient) pointed at it,
// and raw requests for what the client never sends (a malformed reply, a call without a session).
import AsyncHTTPClient
import EmbeddedQueue
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import XQueue

enum Harness {
    static let credentials = XQueueConfiguration.Credentials(username: "grader", password: "s3cret")

    /// A queue configuration with the harness's credentials.
    static func configuration(redeliveryDelay: Duration = .seconds(3600), queues: Set<String>? = nil,
                              absoluteFileURLs: Bool = true) -> EmbeddedXQueue.Configuration {
        EmbeddedXQueue.Configuration(username: credentials.username, password: credentials.password, queues: queues,
                                     redeliveryDelay: redeliveryDelay, absoluteFileURLs: absoluteFileURLs)
    }

    /// Runs `body` with a running queue, its base URL and an HTTP client (shut down however `body` ends).
    /// Timeouts are long: the tests count and compare, they never measure time.
    static func run(_ configuration: EmbeddedXQueue.Configuration = configuration(),
                    _ body: @Sendable (EmbeddedXQueue, URL, HTTPClient) async throws -> Void) async throws {
        let queue = EmbeddedXQueue(configuration: configuration, logger: Logger(label: "embedded-xqueue-test"))
        let http = HTTPClient(eventLoopGroupProvider: .singleton,
                              configuration: XQueueClient.httpClientConfiguration(timeouts: Timeouts(requested: 120)))
        do {
            try await queue.withRunning { url in try await body(queue, url, http) }
            try await http.shutdown()
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// Our own client for the queue at `url`.
    static func client(_ url: URL, _ http: HTTPClient,
                       credentials: XQueueConfiguration.Credentials? = credentials) throws -> XQueueClient {
        let configuration = XQueueConfiguration(server: url, credentials: credentials, timeouts: Timeouts(requested: 120),
                                                putAttempts: 1)
        return try XQueueClient(configuration: configuration, httpClient: http, logger: Logger(label: "xqueue-client-test"))
    }

    /// What a raw request got back.
    struct Answer {
        let status: Int
        let headers: [(String, String)]
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The envelope's `return_code` and `content` (as text), if the body is one.
        var envelope: (code: Int, content: String)? {
            guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
                  let code = object["return_code"] as? Int else { return nil }
            return (code, object["content"].map { "\($0)" } ?? "")
        }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    /// One request with the given headers (and form body, for a POST).
    static func raw(_ http: HTTPClient, _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [],
                    form: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        let response = try await http.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                      body: Data(body.readableBytesView))
    }

    /// The headers a logged-in client sends: its cookies, and the CSRF token taken from them.
    static func sessionHeaders(_ client: XQueueClient, _ url: URL) async throws -> [(String, String)] {
        try await client.login()
        let headers = await client.session.downloadHeaders(for: url)
        var result = headers.map { ($0.name, $0.value) }
        if let cookie = headers.first(where: { $0.name == "Cookie" })?.value,
           let token = cookie.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
               .first(where: { $0.hasPrefix("csrftoken=") })?.dropFirst("csrftoken=".count) {
            result.append(("X-CSRFToken", String(token)))
        }
        return result
    }

    /// Form encoding as Django reads it.
    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    /// The error `body` throws, or nil if it returns.
    static func error<T>(_ body: () async throws -> T) async -> (any Error)? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error
        }
    }
}
