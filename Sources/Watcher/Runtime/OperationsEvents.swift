// OperationsEvents: the runtime's events turned into metrics, readiness and alerts (docs/operations.md).
import Foundation

/// Forwards every runtime event to the metrics, the status behind `/readyz`, and the alert webhook.
public struct OperationsEvents: RuntimeEvents {
    public let metrics: WatcherMetrics
    public let status: WatcherStatus
    public let alerts: AlertNotifier?

    public init(metrics: WatcherMetrics, status: WatcherStatus, alerts: AlertNotifier?) {
        self.metrics = metrics; self.status = status; self.alerts = alerts
    }

    public func queueLoggedIn(_ queue: String) {
        // Polls succeed often: the status changes only when the state does.
        Task { await status.queueLoggedIn(queue) }
        metrics.queueSucceeded(queue: queue)
        alerts?.queueSucceeded(queue)
    }

    public func queueFailed(_ queue: String, operation: String, error: String) {
        if operation == "login" { Task { await status.queueLoginFailed(queue, error: error) } }
        else { Task { await status.queueFailed(queue, error: error) } }
        if let op = WatcherMetrics.XQueueOperation(rawValue: operation) { metrics.xqueueError(queue: queue, operation: op) }
        alerts?.queueFailed(queue, error: "\(operation): \(error)")
    }

    public func queuePolled(_ queue: String, gotSubmission: Bool) {}

    public func queueLength(_ queue: String, _ length: Int) { metrics.queueLength(queue: queue, length) }

    public func submissionAnswered(_ outcome: SubmissionOutcome) {
        metrics.graded(queue: outcome.queue, language: outcome.language, verdict: outcome.verdict,
                       duration: .milliseconds(Int64(outcome.gradingSeconds * 1000)))
        if let c = outcome.compileSeconds { metrics.compiled(language: outcome.language, duration: .milliseconds(Int64(c * 1000))) }
        for r in outcome.runSeconds { metrics.ran(language: outcome.language, duration: .milliseconds(Int64(r * 1000))) }
        if outcome.posted { metrics.replied(queue: outcome.queue, kind: outcome.kind) }
    }

    public func slotsBusy(_ busy: Int, of capacity: Int) { metrics.slotsBusy(busy) }

    public func shuttingDown() { Task { await status.beginShutdown() } }
}
