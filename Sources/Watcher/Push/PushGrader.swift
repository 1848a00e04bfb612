// PushGrader: one pushed request in, one HTTP answer out. Checks the credential, reads the submission
// with XQueue's decoder, waits (bounded) for a grading slot, and grades with the queue's
// SubmissionHandler, the same boundary as the pull path: the graded reply is the response body.
// Refusals (401, 400, 404, 413, 503) are the pusher's to handle; a graded reply is always 200.
import Foundation
import Logging
import XQueue

/// The HTTP answer to one pushed request.
struct PushAnswer: Sendable {
    var status: Int
    var body: String
    var retryAfter: Int? = nil
    var challenge: Bool = false

    /// A refusal: `{"error": "..."}`.
    static func error(_ status: Int, _ message: String, retryAfter: Int? = nil, challenge: Bool = false) -> PushAnswer {
        let data = (try? JSONSerialization.data(withJSONObject: ["error": message], options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return PushAnswer(status: status, body: String(decoding: data, as: UTF8.self), retryAfter: retryAfter, challenge: challenge)
    }
}

/// Grades pushed submissions on the process's slots.
struct PushGrader: Sendable {
    let handlers: [String: SubmissionHandler]
    /// The queue a request to `/grade` (no queue name) goes to: the only one configured, else none.
    let defaultQueue: String?
    let pool: SlotPool
    let settings: PushSettings
    let events: any RuntimeEvents
    let logger: Logger
    private let counter = PushCounter()

    init(handlers: [SubmissionHandler], pool: SlotPool, settings: PushSettings, events: any RuntimeEvents, logger: Logger) {
        self.handlers = Dictionary(handlers.map { ($0.queue.name, $0) }, uniquingKeysWith: { first, _ in first })
        defaultQueue = handlers.count == 1 ? handlers[0].queue.name : nil
        self.pool = pool; self.settings = settings; self.events = events; self.logger = logger
    }

    /// Whether the request's headers carry the configured credential (compared in constant time).
    func authorized(authorization: String?, secret: String?) -> Bool {
        switch settings.authentication {
        case .none: return true
        case let .sharedSecret(expected): return secret.map { Self.constantTimeEqual($0, expected) } ?? false
        case let .basic(user, password):
            let expected = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
            return authorization.map { Self.constantTimeEqual($0, expected) } ?? false
        }
    }

    /// The answer to an authorized request whose body was read within the size limit.
    func answer(body: Data, contentType: String?, queue: String?) async -> PushAnswer {
        guard let name = queue ?? defaultQueue else {
            return .error(404, "name the queue: POST /grade/QUEUE (configured: \(handlers.keys.sorted().joined(separator: ", ")))")
        }
        guard let handler = handlers[name] else { return .error(404, PushError.unknownQueue(name).description) }
        let submission: Submission
        do {
            submission = try Submission.pushed(body, contentType: contentType, queue: name, fallbackID: "push-\(counter.next())")
        } catch {
            logger.notice("pushed request refused", metadata: ["queue": "\(name)", "error": "\(error)"])
            return .error(400, "\(error)")
        }
        guard let lease = await acquire() else {
            logger.notice("no grading slot free in time; the pusher is asked to retry", metadata: ["queue": "\(name)", "waited_s": "\(settings.slotWait)"])
            return .error(503, "every grading slot is busy; try again", retryAfter: 1)
        }
        let (reply, graded) = await handler.reply(to: submission, on: lease, session: nil)
        await pool.release(lease)
        var outcome = graded
        let body: String
        do { body = try reply.body() } catch {
            // Our own reply cannot be sent (a NaN score): answer as an internal error, never as the learner's fault.
            let fallback = handler.replyToMalformed(detail: "\(error)", header: submission.header)
            body = (try? fallback.body()) ?? #"{"correct":false,"msg":"<p>Internal grader error.</p>","score":0}"#
            outcome.kind = .internalError
        }
        outcome.posted = true
        events.submissionAnswered(outcome)
        return PushAnswer(status: 200, body: body)
    }

    /// A slot, or nil when none came free within `slotWait` (the wait is given up, not the slot).
    private func acquire() async -> SlotPool.Lease? {
        let pool = self.pool, wait = settings.slotWait
        // A free slot is taken at once: the timed race below could otherwise refuse it when the wait is 0.
        if let lease = await pool.tryAcquire() { return lease }
        guard wait > 0 else { return nil }
        return await withTaskGroup(of: SlotPool.Lease?.self) { group in
            group.addTask { try? await pool.acquire() }
            group.addTask { try? await Task.sleep(for: .milliseconds(Int64(wait * 1000))); return nil }
            var lease = await group.next() ?? nil
            group.cancelAll()
            // The acquire may have won the race against its cancellation: keep that slot rather than lose it.
            for await late in group where late != nil { lease = late }
            return lease
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0
    }
}

/// Numbers pushed submissions that came without a header (for logs).
private final class PushCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}
