// OperationsServer: `/healthz`, `/readyz`, `/metrics` and `/languages` over HTTP, as a Service that the
// runtime puts in its ServiceGroup; graceful shutdown of the group stops it. docs/operations.md §Endpoints.
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// The operations endpoints, served on one address.
public struct OperationsServer: Service {
    public let host: String
    /// The configured port; 0 asks the kernel for a free one, reported to `onServerRunning`.
    public let port: Int
    let status: WatcherStatus
    let registry: PrometheusCollectorRegistry
    let logger: Logger
    let onServerRunning: @Sendable (_ port: Int) async -> Void

    /// `address` is `HOST:PORT`, `[IPV6]:PORT` or a bare `PORT` (on 127.0.0.1).
    public init(address: String, status: WatcherStatus, registry: PrometheusCollectorRegistry,
                logger: Logger = Logger(label: "polygrader.operations"),
                onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) throws {
        (host, port) = try Self.parseAddress(address)
        self.status = status
        self.registry = registry
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    /// Splits an operations address into host and port (also used to check the configuration early).
    public static func parseAddress(_ address: String) throws -> (host: String, port: Int) {
        let text = address.trimmingCharacters(in: .whitespaces)
        var host = "127.0.0.1", portText = text
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw OperationsError.badAddress(address)
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = String(text[text.index(close, offsetBy: 2)...])
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
            // An unbracketed IPv6 address is ambiguous: which colon starts the port?
            if host.contains(":") { throw OperationsError.badAddress(address) }
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else {
            throw OperationsError.badAddress(address)
        }
        return (host, port)
    }

    public func run() async throws {
        let onServerRunning = self.onServerRunning
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: "polygrader"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.run()
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let status = self.status, registry = self.registry
        router.get("/healthz") { _, _ in
            Self.response(.ok, contentType: "text/plain; charset=utf-8", body: Array("ok\n".utf8))
        }
        router.get("/readyz") { _, _ in
            let body = await status.readyzBody()
            return Self.response(body.ready ? .ok : .serviceUnavailable, contentType: "application/json",
                                 body: try Self.json(body))
        }
        router.get("/metrics") { _, _ in
            Self.response(.ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: registry.emitToBuffer())
        }
        router.get("/languages") { _, _ in
            let listing = LanguageListing(isolation: await status.isolation()?.rawValue ?? "unknown",
                                          languages: await status.languages())
            return Self.response(.ok, contentType: "application/json", body: try Self.json(listing))
        }
        return router
    }

    static func response(_ status: HTTPResponse.Status, contentType: String, body: [UInt8]) -> Response {
        Response(status: status, headers: [.contentType: contentType, .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// JSON as `polygrader languages --json` prints it: sorted keys, readable, dates in ISO 8601.
    static func json<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
    }
}
