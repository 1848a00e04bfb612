// FakeHTTPServer: an HTTP/1.1 server on 127.0.0.1 built directly on SwiftNIO, that hands each request to an
// async handler and can drop the connection or answer late, for the XQueue client's fault tests.
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A request as the server received it.
struct FakeRequest: Sendable {
    let method: String
    let path: String
    let query: [String: String]
    var headers: HTTPHeaders
    let body: String

    /// The form fields of a urlencoded body.
    var form: [String: String] { Self.decodeForm(body) }

    /// The cookies the request carried.
    var cookies: [String: String] {
        var result: [String: String] = [:]
        for line in headers["Cookie"] {
            for pair in line.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2 { result[String(parts[0])] = String(parts[1]) }
            }
        }
        return result
    }

    func header(_ name: String) -> String? { headers.first(name: name) }

    static func decodeForm(_ text: String) -> [String: String] {
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
struct FakeResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: String = ""
    /// Pause this long before answering (a slow server).
    var delay: Duration? = nil
    /// Close the connection without answering.
    var drop = false

    static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: text)
    }

    static func html(_ status: Int, _ text: String = "<html><body><h1>Server Error</h1></body></html>") -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", "text/html")], body: text)
    }
}

/// Runs `body` with a server whose requests go to `handler`; the server stops when `body` returns.
func withFakeHTTPServer<T: Sendable>(tls: NIOSSLContext? = nil,
                                     handler: @escaping @Sendable (FakeRequest) async -> FakeResponse,
                                     _ body: @escaping @Sendable (_ port: Int) async throws -> T) async throws -> T {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
        .bind(host: "127.0.0.1", port: 0) { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                return try Connection(wrappingChannelSynchronously: channel)
            }
        }
    let port = server.channel.localAddress!.port!
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { connections in
                    for try await connection in inbound {
                        connections.addTask { await serve(connection, handler: handler) }
                    }
                }
            }
            return nil
        }
        group.addTask { try await body(port) }
        defer { group.cancelAll() }
        while let result = try await group.next() {
            if let result { return result }
        }
        fatalError("the test body always returns a value")
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
