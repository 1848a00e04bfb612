// XQueueClient+Transport: one HTTP exchange under a deadline over the whole reply, the reading of its status
// and envelope, and the one re-login and retry when the server asks for a login (docs/xqueue-client.md, "Behaviour").
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// What one HTTP exchange brought back.
struct Exchange: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: Data
}

/// A reply, read by its status and body.
enum Reading: Equatable {
    /// `return_code` 0 with a 2xx status.
    case success(JSONValue)
    /// `return_code` 1, or an envelope with an error status: the server's message.
    case refused(status: Int, message: String)
    /// 301/302, or 401/403 without an envelope: the session is gone (classic redirects, the LMS answers DRF's 401/403).
    case loginRequired(status: Int, location: String?)
    /// Anything else: an HTML error page, a DRF body, or a 200 that is not an envelope.
    case other(status: Int, excerpt: String)

    init(_ exchange: Exchange) {
        let envelope = Envelope.parse(exchange.body)
        let status = exchange.status
        if status == 301 || status == 302 || (envelope == nil && (status == 401 || status == 403)) {
            self = .loginRequired(status: status, location: exchange.headers.first(name: "Location"))
        } else if let envelope, envelope.returnCode == 0, (200..<300).contains(status) {
            self = .success(envelope.content)
        } else if let envelope, envelope.returnCode != 0 {
            self = .refused(status: status, message: envelope.message)
        } else {
            self = .other(status: status, excerpt: SubmissionDecoder.excerpt(String(decoding: exchange.body.prefix(300), as: UTF8.self)))
        }
    }
}

extension XQueueClient {
    /// The largest reply read: a submission with typed code is far smaller; anything bigger is not the API.
    static let maxReplyBytes = 16 << 20

    /// One call with the session's headers; when the server asks for a login, logs in again (unless another
    /// call already did since this one started) and retries once. A second request for a login is an error.
    func call(_ operation: XQueueError.Operation, _ method: HTTPMethod, _ path: String,
              query: [(String, String)] = [], form: [(String, String)]? = nil) async throws -> Reading {
        let generationAtStart = generation
        if configuration.credentials != nil, generation == 0 { try await logIn(ifStillAt: generationAtStart) }
        let first = Reading(try await exchange(operation, method, path, query: query, form: form))
        guard case let .loginRequired(status, location) = first else { return first }
        guard configuration.credentials != nil else {
            throw XQueueError.notAuthenticated(operation, status: status, location: location)
        }
        logger.info("XQueue session expired, logging in again",
                    metadata: ["operation": "\(operation.rawValue)", "status": "\(status)"])
        try await logIn(ifStillAt: generationAtStart)
        let second = Reading(try await exchange(operation, method, path, query: query, form: form))
        if case let .loginRequired(status, location) = second {
            throw XQueueError.notAuthenticated(operation, status: status, location: location)
        }
        return second
    }

    /// One request and its whole reply within the API timeout. Cookies the reply sets go into the session.
    func exchange(_ operation: XQueueError.Operation, _ method: HTTPMethod, _ path: String,
                  query: [(String, String)] = [], form: [(String, String)]? = nil,
                  referer: String? = nil) async throws -> Exchange {
        var request = HTTPClientRequest(url: configuration.url(path, query: query))
        request.method = method
        request.headers = await session.apiHeaders(referer: referer)
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.formEncoded(form)))
        }
        if !configuration.verifyTLS { request.tlsConfiguration = XQueueSession.unverifiedTLS }
        let exchange = try await Self.perform(request, operation: operation, httpClient: httpClient,
                                              seconds: apiTimeout, logger: logger)
        await session.absorb(exchange.headers)
        logger.trace("XQueue exchange", metadata: ["operation": "\(operation.rawValue)", "status": "\(exchange.status)"])
        return exchange
    }

    /// Sends `request` and reads the reply, racing a timer: AHC's deadline ends at the head, ours covers the body.
    static func perform(_ request: HTTPClientRequest, operation: XQueueError.Operation, httpClient: HTTPClient,
                        seconds: Double, logger: Logger) async throws -> Exchange {
        let timeout = TimeAmount.nanoseconds(Int64(seconds * 1e9))
        return try await withThrowingTaskGroup(of: Exchange.self) { group in
            group.addTask {
                do {
                    let response = try await httpClient.execute(request, deadline: .now() + timeout, logger: logger)
                    let body = try await response.body.collect(upTo: maxReplyBytes)
                    return Exchange(status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
                } catch is NIOTooManyBytesError {
                    throw XQueueError.malformed(operation, layer: .envelope,
                                                detail: "the reply is larger than \(maxReplyBytes >> 20) MiB", header: nil)
                } catch {
                    throw translate(error, operation: operation, seconds: seconds)
                }
            }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                throw XQueueError.timedOut(operation, seconds: seconds)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// Our error for a failure of AHC or NIO; whether anything was sent decides between connect and transport.
    static func translate(_ error: Error, operation: XQueueError.Operation, seconds: Double) -> Error {
        if error is CancellationError || error is XQueueError { return error }
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout { return XQueueError.timedOut(operation, seconds: seconds) }
            if error == .cancelled { return CancellationError() }
            if error == .connectTimeout || error == .tlsHandshakeTimeout || error == .getConnectionFromPoolTimeout {
                return XQueueError.connectFailed(operation, detail: "\(error)")
            }
        }
        if error is NIOConnectionError || error is NIOSSLError || error is BoringSSLError || error is ChannelError {
            return XQueueError.connectFailed(operation, detail: "\(error)")
        }
        if let io = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(io.errnoCode) {
            return XQueueError.connectFailed(operation, detail: "\(error)")
        }
        return XQueueError.transport(operation, detail: "\(error)")
    }

    /// `application/x-www-form-urlencoded`, as Django reads it: everything but unreserved characters escaped.
    static func formEncoded(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        return fields.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }
}
