// AlertPolicy: when to call the alert webhook, as a pure state machine (no clock, no I/O): the notifier feeds
// it failures and successes with their times and performs the actions it returns. docs/operations.md §Alerts.
import Foundation

/// Per-queue failure tracking that decides when to send `queue_failing` and `queue_recovered`.
struct AlertPolicy: Sendable {
    enum Action: Sendable, Equatable {
        case none
        case sendFailing(queue: String, since: Date, error: String)
        case sendRecovered(queue: String, since: Date, at: Date)
    }

    struct QueueState: Sendable, Equatable {
        /// The first failure since the last success (or since the last delivered recovery).
        var failingSince: Date?
        var lastError = ""
        /// `queue_failing` was delivered, so a recovery is owed.
        var failingSent = false
    }

    /// How long a queue must fail without a success before the alert.
    let after: TimeInterval
    private(set) var queues: [String: QueueState] = [:]

    init(after: TimeInterval) { self.after = after }

    /// A failure at `now`: alert once the queue has failed continuously for `after` seconds. Until the alert is
    /// delivered, every later failure asks again (a webhook that was down is retried on the next report).
    mutating func failed(_ queue: String, error: String, at now: Date) -> Action {
        var s = queues[queue, default: QueueState()]
        let since = s.failingSince ?? now
        s.failingSince = since
        s.lastError = error
        queues[queue] = s
        guard !s.failingSent, now.timeIntervalSince(since) >= after else { return .none }
        return .sendFailing(queue: queue, since: since, error: error)
    }

    /// A success at `now`: a recovery is owed only if the failure was announced. A short failure is forgotten.
    /// An undelivered recovery is asked for again on the next success; a failure before that keeps the
    /// incident open (the operator was never told it ended), with its first `since`.
    mutating func succeeded(_ queue: String, at now: Date) -> Action {
        guard let s = queues[queue] else { return .none }
        guard s.failingSent, let since = s.failingSince else {
            queues[queue] = nil
            return .none
        }
        return .sendRecovered(queue: queue, since: since, at: now)
    }

    /// The webhook accepted `action`.
    mutating func delivered(_ action: Action) {
        switch action {
        case .none: break
        case let .sendFailing(queue, _, _): queues[queue]?.failingSent = true
        case let .sendRecovered(queue, _, _): queues[queue] = nil
        }
    }
}
