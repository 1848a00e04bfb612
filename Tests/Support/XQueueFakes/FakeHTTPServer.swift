// FakeHTTPServer: an HTTP/1.1 server on 127.0.0.1 built directly on SwiftNIO, that hands each request to an
// async handler and can drop the connection or answer late, for the fault tests of the XQueue client and of
// the watcher. It can stop and listen again on the same port (a server restarted under a running watcher).
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A request as the server received it.
public struct FakeRequest: Sendable {
    public let method: String
    public let path: String
    public let query: [String: String]
    public var headers: HTTPHeaders
    public let body: String

    public init(method: String, path: String, query: [String: String], headers: HTTPHeaders, body: String) {
        self.method = method; self.path = path; self.query = query; self.headers = headers; self.body = body
    }

    /// The form fields of a urlencoded body.
    public var form: [String: String] { Self.decodeForm(body) }

    /// The cookies the request carried.
    public var cookies: [String: String] {
        var result: [String: String] = [:]
        for line in headers["Cookie"] {
            for pair in line.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2 { result[String(parts[0])] = String(parts[1]) }
            }
        }
        return result
    }

    public func header(_ name: String) -> String? { headers.first(name: name) }

    public static func decodeForm(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            result[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return result
    }
}

/// What the server does with a request.
public struct FakeResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)] = []
    public var body: String = ""
    /// Pause this long before answering (a slow server).
    public var delay: Duration? = nil
    /// Close the connection without answering.
    public var drop = false

    public init(status: Int, headers: [(String, String)] = [], body: String = "", delay: Duration? = nil, drop: Bool = false) {
        self.status = status; self.headers = headers; self.body = body; self.delay = delay; self.drop = drop
    }

    public static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: text)
    }

    public static func html(_ status: Int, _ text: String = "<html><body><h1>Server Error</h1></body></html>") -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", "text/html")], body: text)
    }
}

/// Runs `body` with a server whose requests go to `handler`; the server stops when `body` returns.
public func withFakeHTTPServer<T: Sendable>(tls: NIOSSLContext? = nil,
                                            handler: @escaping @Sendable (FakeRequest) async -> FakeResponse,
                                            _ body: @escaping @Sendable (_ port: Int) async throws -> T) async throws -> T {
    let listener = FakeHTTPListener(tls: tls, handler: handler)
    let port = try await listener.start()
    do {
        let result = try await body(port)
        await listener.stop()
        return result
    } catch {
        await listener.stop()
        throw error
    }
}

/// A server that can be stopped and started again on the same port, as a server process that restarts.
public actor FakeHTTPListener {
    private let tls: NIOSSLContext?
    private let handler: @Sendable (FakeRequest) async -> FakeResponse
    private var running: Task<Void, Never>?
    /// The port of the last start.
    public private(set) var port: Int?

    public init(tls: NIOSSLContext? = nil, handler: @escaping @Sendable (FakeRequest) async -> FakeResponse) {
        self.tls = tls
        self.handler = handler
    }

    /// Listens on 127.0.0.1:`port` (0: a free port) and returns the port.
    @discardableResult
    public func start(port: Int = 0) async throws -> Int {
        precondition(running == nil, "the fake server is already listening")
        typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
        let tls = self.tls
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        let handler = self.handler
        running = Task {
            try? await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { connections in
                    for try await connection in inbound {
                        connections.addTask { await serve(connection, handler: handler) }
                    }
                }
            }
        }
        let bound = server.channel.localAddress!.port!
        self.port = bound
        return bound
    }

    /// Stops listening and closes every open connection (a server that dies: requests in progress get no answer).
    public func stop() async {
        guard let task = running else { return }
        running = nil
        task.cancel()
        await task.value
    }
}

/// Answers the requests of one connection in order (keep-alive), until the client closes it or a drop.
private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
                   handler: @Sendable (FakeRequest) async -> FakeResponse) async {
    try? await connection.executeThenClose { inbound, outbound in
        var head: HTTPRequestHead?
        var body = ByteBuffer()
        for try await part in inbound {
            switch part {
            case let .head(received):
                head = received
                body.clear()
            case var .body(chunk):
                body.writeBuffer(&chunk)
            case .end:
                guard let head else { return }
                let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
                let request = FakeRequest(method: head.method.rawValue, path: String(parts[0]),
                                          query: parts.count > 1 ? FakeRequest.decodeForm(String(parts[1])) : [:],
                                          headers: head.headers, body: String(buffer: body))
                let response = await handler(request)
                if response.drop {
                    // shutdown(2) before close: a process spawned meanwhile by another test may hold a copy of
                    // this socket (NIO does not set close-on-exec), and then close alone sends nothing.
                    try? await connection.channel.close(mode: .output)
                    return
                }
                if let delay = response.delay { try await Task.sleep(for: delay) }
                var headers = HTTPHeaders(response.headers)
                headers.replaceOrAdd(name: "Content-Length", value: String(response.body.utf8.count))
                try await outbound.write(.head(HTTPResponseHead(version: .http1_1,
                                                                status: HTTPResponseStatus(statusCode: response.status),
                                                                headers: headers)))
                try await outbound.write(.body(.byteBuffer(ByteBuffer(string: response.body))))
                try await outbound.write(.end(nil))
            }
        }
    }
}
