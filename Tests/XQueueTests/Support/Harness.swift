// Harness: a fake XQueue with a real XQueueClient (and a real AsyncHTTPClient) pointed at it.
import AsyncHTTPClient
import Foundation
import Logging
import NIOSSL
@testable import XQueue
import XQueueFakes

enum Harness {
    static let credentials = XQueueConfiguration.Credentials(username: "grader", password: "s3cret")

    /// Short pauses and long timeouts: the tests count requests, they never measure time, and with the whole
    /// suite running on two cores a reply can wait many seconds for a free thread. A test about a timeout
    /// shortens it for the one call it times out (`setAPITimeout`).
    static func configuration(port: Int, scheme: String = "http", credentials: XQueueConfiguration.Credentials? = credentials,
                              apiTimeout: Double = 120) -> XQueueConfiguration {
        XQueueConfiguration(server: URL(string: "\(scheme)://127.0.0.1:\(port)")!, credentials: credentials,
                            timeouts: Timeouts(api: apiTimeout, download: apiTimeout), putAttempts: 4,
                            putRetry: RetryPolicy(initial: 0.01, maximum: 0.05))
    }

    /// Runs `body` against a fresh fake server of `flavor`; `change` adjusts the client's configuration.
    static func run(_ flavor: FakeXQueue.Flavor = .lms, tls: NIOSSLContext? = nil,
                    configure change: @escaping @Sendable (inout XQueueConfiguration) -> Void = { _ in },
                    _ body: @escaping @Sendable (XQueueClient, FakeXQueue) async throws -> Void) async throws {
        let fake = FakeXQueue(flavor)
        try await withFakeHTTPServer(tls: tls, handler: { await fake.handle($0) }) { port in
            var configuration = configuration(port: port, scheme: tls == nil ? "http" : "https")
            change(&configuration)
            try await withClient(configuration) { client in try await body(client, fake) }
        }
    }

    /// Runs `body` with a client (and its own HTTPClient, shut down however `body` ends).
    static func withClient<T>(_ configuration: XQueueConfiguration, _ body: (XQueueClient) async throws -> T) async throws -> T {
        let http = HTTPClient(eventLoopGroupProvider: .singleton,
                              configuration: XQueueClient.httpClientConfiguration(timeouts: configuration.timeouts))
        do {
            let client = try XQueueClient(configuration: configuration, httpClient: http, logger: Logger(label: "xqueue-test"))
            let result = try await body(client)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// The error `body` throws, or nil if it returns.
    static func error<T>(_ body: () async throws -> T) async -> XQueueError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? XQueueError
        }
    }

    /// A decoded JSON object.
    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
