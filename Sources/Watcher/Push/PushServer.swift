// PushServer: the passive grader's HTTP endpoint as a Service (Hummingbird), run in the same
// ServiceGroup as the slot pool. Graceful shutdown stops accepting connections and lets the requests
// in flight finish grading and answer. docs/push-mode.md.
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `POST /grade` and `POST /grade/{queue}`; `GET /healthz`.
struct PushServer: Service {
    let host: String
    let port: Int
    let grader: PushGrader
    let logger: Logger
    let onServerRunning: @Sendable (_ port: Int) async -> Void

    init(grader: PushGrader, logger: Logger, onServerRunning: @escaping @Sendable (_ port: Int) async -> Void) throws {
        (host, port) = try OperationsServer.parseAddress(grader.settings.listen)
        self.grader = grader; self.logger = logger; self.onServerRunning = onServerRunning
    }

    func run() async throws {
        let onServerRunning = self.onServerRunning, logger = self.logger
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: "polygrader"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("accepting pushed submissions", metadata: ["port": "\(port)"])
                await onServerRunning(port)
            },
            logger: logger)
        try await app.run()
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let grader = self.grader
        router.get("/healthz") { _, _ in Self.response(PushAnswer(status: 200, body: #"{"status":"ok"}"#)) }
        router.post("/grade") { request, _ in Self.response(await Self.handle(request, queue: nil, grader: grader)) }
        router.post("/grade/{queue}") { request, context in
            Self.response(await Self.handle(request, queue: context.parameters.get("queue"), grader: grader))
        }
        return router
    }

    /// Authentication first (nothing is read before it), then the size limit, then grading.
    static func handle(_ request: Request, queue: String?, grader: PushGrader) async -> PushAnswer {
        guard grader.authorized(authorization: request.headers[.authorization],
                                secret: request.headers.first { $0.name.canonicalName == PushSettings.secretHeader.lowercased() }?.value) else {
            if case .basic = grader.settings.authentication { return .error(401, "authentication required", challenge: true) }
            return .error(401, "authentication required")
        }
        let limit = grader.settings.maxRequestBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            return .error(413, "the request is larger than \(limit) bytes")
        }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            return .error(413, "the request is larger than \(limit) bytes")
        } catch {
            return .error(400, "the request body could not be read: \(error)")
        }
        return await grader.answer(body: Data(buffer.readableBytesView), contentType: request.headers[.contentType], queue: queue)
    }

    static func response(_ answer: PushAnswer) -> Response {
        var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        if let seconds = answer.retryAfter { headers[.retryAfter] = String(seconds) }
        if answer.challenge { headers[.wwwAuthenticate] = #"Basic realm="polygrader""# }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }
}
