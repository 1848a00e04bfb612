// HTTPFront: the Hummingbird responder. It reads a request into plain values (method, path, query, form,
// cookies, CSRF header), lets the queue answer, and writes the answer back: no queue logic here.
import Foundation
import Hummingbird

/// A request as the queue's routes read it.
struct Incoming: Sendable {
    let method: String
    /// The path as sent (percent-encoded).
    let path: String
    let query: [String: String]
    /// The POST form; nil when the body is not valid form encoding.
    let form: [String: String]?
    let cookies: [String: String]
    /// The `X-CSRFToken` header.
    let csrfToken: String?
}

/// An answer: status, headers, body.
struct Outgoing: Sendable {
    var status: Int
    var headers: [(name: String, value: String)] = []
    var body = Data()

    /// An XQueue envelope with status 200.
    static func envelope(_ code: Int, _ content: String, headers: [(name: String, value: String)] = []) -> Outgoing {
        Outgoing(status: 200, headers: [(name: "Content-Type", value: "application/json")] + headers,
                 body: Wire.envelope(code, content))
    }

    /// A short HTML page, as Django answers errors outside the API.
    static func html(_ status: Int, _ text: String) -> Outgoing {
        Outgoing(status: status, headers: [(name: "Content-Type", value: "text/html; charset=utf-8")],
                 body: Data("<!DOCTYPE html><html><body><h1>\(text)</h1></body></html>".utf8))
    }
}

struct HTTPFront: HTTPResponder {
    typealias Context = BasicRequestContext
    let queue: EmbeddedXQueue
    let maxRequestBytes: Int

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxRequestBytes)
        } catch {
            return Self.response(.html(413, "Request Entity Too Large"))
        }
        let query = Wire.form(request.uri.query ?? "") ?? [:]
        let form = request.method == .post ? Wire.form(String(decoding: body.readableBytesView, as: UTF8.self)) : [:]
        let incoming = Incoming(method: request.method.rawValue, path: request.uri.path, query: query, form: form,
                                cookies: Self.cookies(request.headers[values: .cookie]),
                                // HTTPTypes' field types are not re-exported by Hummingbird: named through inference.
                                csrfToken: request.headers[.init("X-CSRFToken")!])
        return Self.response(await queue.answer(incoming))
    }

    /// The `Cookie` headers' name=value pairs; the first of a name wins, as in Django.
    static func cookies(_ headers: [String]) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in headers {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, cookies[name] == nil else { continue }
                var value = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                cookies[name] = value
            }
        }
        return cookies
    }

    private static func response(_ outgoing: Outgoing) -> Response {
        var headers = HTTPFields()
        for header in outgoing.headers {
            // Our own constant names: always valid field names.
            headers.append(.init(name: .init(header.name)!, value: header.value))
        }
        return Response(status: HTTPResponse.Status(code: outgoing.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: outgoing.body)))
    }
}
