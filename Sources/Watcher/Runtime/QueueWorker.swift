// QueueWorker: one queue's pollers. Each poller takes a grading slot before it pulls (never more
// submissions held than slots free), answers what it pulls exactly once, and pauses as PollSchedule
// says. While the queue is idle only the first poller polls; the others rest until it finds work.
// On graceful shutdown pollers stop pulling, and what is in flight is graded and posted.
import Foundation
import Logging
import ServiceLifecycle
import XQueue

/// Why the watcher gave up on a queue (the process then exits non-zero, for its supervisor).
public enum WatcherError: Error, Sendable, CustomStringConvertible {
    case loginRefused(queue: String, seconds: Double, detail: String)

    public var description: String {
        switch self {
        case let .loginRefused(queue, seconds, detail):
            return "queue \(queue): the server has refused our login for \(Int(seconds)) s (\(detail)); giving up so that the supervisor restarts us"
        }
    }
}

/// Polls one queue with `CONNECTIONS` pollers, each with its own session (cookie jar), as xqueue-watcher.
final class QueueWorker: Sendable {
    let plan: QueuePlan
    let clients: [XQueueClient]
    let pool: SlotPool
    let handler: SubmissionHandler
    let polling: PollingSettings
    let events: any RuntimeEvents
    let logger: Logger
    private let gate = IdleGate()
    private let login = LoginWatch()
    private let lengthCheck = LengthCheck()

    init(plan: QueuePlan, clients: [XQueueClient], pool: SlotPool, handler: SubmissionHandler, polling: PollingSettings,
         events: any RuntimeEvents, logger: Logger) {
        self.plan = plan; self.clients = clients; self.pool = pool; self.handler = handler
        self.polling = polling; self.events = events; self.logger = logger
    }

    func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for connection in clients.indices {
                group.addTask { try await self.poll(connection: connection) }
            }
            group.addTask {
                // Resting pollers wake up to see the shutdown.
                try? await gracefulShutdown()
                await self.gate.shutdown()
            }
        }
        for client in clients { await client.logout() }
        logger.info("queue stopped", metadata: ["queue": "\(plan.name)"])
    }

    private var stopping: Bool { Task.isShuttingDownGracefully || Task.isCancelled }

    private func poll(connection: Int) async throws {
        let client = clients[connection]
        var schedule = PollSchedule(settings: polling)
        while !stopping {
            if connection > 0 { await gate.waitWhileIdle() }
            if stopping { break }
            guard let lease = try? await cancelWhenGracefulShutdown({ try await self.pool.acquire() }) else { break }
            let pulled: Result<Submission?, Error>
            do { pulled = .success(try await client.getSubmission(queue: plan.pollName)) } catch { pulled = .failure(error) }
            switch pulled {
            case .success(let submission?):
                await login.succeeded()
                events.queueLoggedIn(plan.name)
                events.queuePolled(plan.name, gotSubmission: true)
                await gate.busy()
                // Not cancelled by the graceful shutdown: a pulled submission is always answered.
                let posted = await answer(submission, on: lease, client: client)
                await pool.release(lease)
                if connection == 0 { await reportQueueLength(client) }
                // A reply the server would not store is a failure like any other: back off (growing)
                // instead of grading, back to back, submissions that cannot be answered.
                if posted { schedule.gotWork() } else { await pause(schedule.failed()) }
            case .success(nil):
                await pool.release(lease)
                await login.succeeded()
                events.queueLoggedIn(plan.name)
                events.queuePolled(plan.name, gotSubmission: false)
                await gate.idle()
                if connection == 0 { await pause(schedule.empty()) }
            case .failure(let error):
                if case let .malformed(_, _, detail, header?) = error as? XQueueError {
                    // The envelope names the submission but cannot be graded: answer it, or it comes back forever.
                    let posted = await post(handler.replyToMalformed(detail: detail, header: header), for: header, client: client)
                    await pool.release(lease)
                    if !posted { await pause(schedule.failed()) }
                    continue
                }
                await pool.release(lease)
                try await failed(.getSubmission, error)
                await pause(schedule.failed())
            }
        }
    }

    /// While the queue has work, its length (where the server tells it: classic XQueue) at most every
    /// 30 s: a gauge for autoscaling, at no cost to an idle queue.
    private func reportQueueLength(_ client: XQueueClient) async {
        guard await lengthCheck.due() else { return }
        do {
            if let length = try await client.queueLength(queue: plan.pollName) { events.queueLength(plan.name, length) }
            else { await lengthCheck.unsupported() }
        } catch {
            logger.debug("get_queuelen failed", metadata: ["queue": "\(plan.name)", "error": "\(error)"])
        }
    }

    /// Grades and posts; returns whether the server stored the reply.
    private func answer(_ submission: Submission, on lease: SlotPool.Lease, client: XQueueClient) async -> Bool {
        var (reply, outcome) = await handler.reply(to: submission, on: lease, session: client.session)
        outcome.posted = await post(reply, for: submission.header, client: client)
        events.submissionAnswered(outcome)
        return outcome.posted
    }

    /// Posts one reply; the client retries what may succeed. A refusal is logged: the server serves
    /// the submission again later, and it is answered then.
    @discardableResult
    private func post(_ reply: XQueue.Reply, for header: SubmissionHeader, client: XQueueClient) async -> Bool {
        do {
            let outcome = try await client.putResult(reply, for: header)
            if case let .probablyStored(attempts, status) = outcome {
                logger.warning("reply probably stored", metadata: ["submission_id": "\(header.id)", "attempts": "\(attempts)", "status": "\(status)"])
            }
            return true
        } catch {
            logger.error("reply not stored", metadata: ["submission_id": "\(header.id)", "queue": "\(plan.name)", "error": "\(error)"])
            events.queueFailed(plan.name, operation: XQueueError.Operation.putResult.rawValue, error: "\(error)")
            return false
        }
    }

    /// Records a failed call; a login refused for too long ends the worker, and with it the process.
    private func failed(_ operation: XQueueError.Operation, _ error: Error) async throws {
        let xqueueError = error as? XQueueError
        var loginFailure = false
        switch xqueueError {
        case .loginRefused?, .notAuthenticated?: loginFailure = true
        default: break
        }
        logger.warning("\(loginFailure ? "login" : operation.rawValue) failed", metadata: ["queue": "\(plan.name)", "error": "\(error)"])
        events.queueFailed(plan.name, operation: loginFailure ? XQueueError.Operation.login.rawValue : operation.rawValue, error: "\(error)")
        guard loginFailure else { return }
        let refusedFor = await login.refused()
        if let limit = polling.loginFailureExitAfter, refusedFor >= limit {
            throw WatcherError.loginRefused(queue: plan.name, seconds: refusedFor, detail: "\(error)")
        }
    }

    private func pause(_ seconds: Double) async {
        _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int64(seconds * 1000))) }
    }
}

/// Whether a queue is idle: while it is, only the first poller polls and the others wait here.
actor IdleGate {
    private var isIdle = false
    private var stopped = false
    private var sleepers: [CheckedContinuation<Void, Never>] = []

    func idle() { isIdle = true }

    func busy() {
        isIdle = false
        for s in sleepers { s.resume() }
        sleepers = []
    }

    func shutdown() {
        stopped = true
        busy()
    }

    func waitWhileIdle() async {
        guard isIdle, !stopped else { return }
        await withCheckedContinuation { sleepers.append($0) }
    }
}

/// Since when the server has refused our login, continuously.
actor LoginWatch {
    private var refusedSince: ContinuousClock.Instant?

    func succeeded() { refusedSince = nil }

    /// Records a refusal; returns for how many seconds logins have been refused.
    func refused() -> Double {
        let now = ContinuousClock.now
        if refusedSince == nil { refusedSince = now }
        return (now - refusedSince!).inSeconds
    }
}

/// When the queue length may be asked again.
actor LengthCheck {
    private var last: ContinuousClock.Instant?
    private var supported = true

    func due() -> Bool {
        guard supported else { return false }
        let now = ContinuousClock.now
        if let last, now - last < .seconds(30) { return false }
        last = now
        return true
    }

    /// The server has no get_queuelen (the LMS): never ask again.
    func unsupported() { supported = false }
}
