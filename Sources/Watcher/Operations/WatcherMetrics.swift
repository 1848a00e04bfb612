// WatcherMetrics: every metric the watcher exports, named once, recorded through swift-metrics.
// The factory is injected so that tests read their own Prometheus registry; the executable bootstraps one
// PrometheusMetricsFactory whose registry `/metrics` exports (docs/operations.md lists every metric).
import Metrics
import Foundation
import Prometheus

/// The watcher's metrics; methods are named after the events the runtime reports.
public struct WatcherMetrics: Sendable {
    /// The Prometheus names (docs/operations.md §Metrics).
    public enum Name {
        public static let submissions = "polygrader_submissions_total"
        public static let gradingDuration = "polygrader_grading_duration_seconds"
        public static let compileDuration = "polygrader_compile_duration_seconds"
        public static let runDuration = "polygrader_run_duration_seconds"
        public static let xqueueErrors = "polygrader_xqueue_errors_total"
        public static let queueLength = "polygrader_queue_length"
        public static let busySlots = "polygrader_busy_slots"
        public static let slots = "polygrader_slots"
        public static let lastSuccess = "polygrader_last_success_timestamp_seconds"
        public static let replies = "polygrader_replies_total"
        public static let languageReady = "polygrader_language_ready"
    }

    /// The XQueue calls whose failures are counted in `polygrader_xqueue_errors_total`.
    public enum XQueueOperation: String, Sendable, CaseIterable {
        case login, getSubmission = "get_submission", putResult = "put_result", getQueueLength = "get_queuelen",
             download
    }

    /// Histogram buckets for durations: 5 ms (a cached compile) to 60 s (a slow Java suite).
    public static let durationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60),
    ]

    private let factory: any MetricsFactory

    /// Records through `factory` (a PrometheusMetricsFactory from `prometheusFactory(registry:)` in practice).
    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// A Prometheus factory writing into `registry`, with `durationBuckets` for the watcher's histograms.
    public static func prometheusFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        for name in [Name.gradingDuration, Name.compileDuration, Name.runDuration] {
            factory.durationHistogramBuckets[name] = durationBuckets
        }
        return factory
    }

    /// Called once by the executable: a new registry, bootstrapped as the process-wide metrics system so that
    /// metrics recorded by other modules (Intake's download counters) land in the same `/metrics`.
    public static func bootstrap() -> (metrics: WatcherMetrics, registry: PrometheusCollectorRegistry) {
        let registry = PrometheusCollectorRegistry()
        let factory = prometheusFactory(registry: registry)
        MetricsSystem.bootstrap(factory)
        return (WatcherMetrics(factory: factory), registry)
    }

    /// At start-up: the slot gauges, and every queue's error and reply counters at 0, so that `rate()` and
    /// `increase()` see the first error (a series that appears with value 1 has no increase).
    public func started(queues: [String], slots: Int) {
        slotsConfigured(slots)
        slotsBusy(0)
        for queue in queues {
            for operation in XQueueOperation.allCases {
                Counter(label: Name.xqueueErrors, dimensions: [("queue", queue), ("operation", operation.rawValue)],
                        factory: factory).increment(by: 0)
            }
            for kind in ReplyKind.allCases {
                Counter(label: Name.replies, dimensions: [("queue", queue), ("kind", kind.rawValue)], factory: factory)
                    .increment(by: 0)
            }
        }
    }

    // MARK: Grading

    /// A submission was graded: counts it by verdict and records the time from pull to reply.
    public func graded(queue: String, language: String, verdict: String, duration: Duration) {
        Counter(label: Name.submissions, dimensions: [("queue", queue), ("language", language), ("verdict", verdict)],
                factory: factory).increment()
        Timer(label: Name.gradingDuration, dimensions: [("queue", queue), ("language", language)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    /// A compile step finished (successfully or not).
    public func compiled(language: String, duration: Duration) {
        Timer(label: Name.compileDuration, dimensions: [("language", language)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    /// One run of the learner's program (one test) finished.
    public func ran(language: String, duration: Duration) {
        Timer(label: Name.runDuration, dimensions: [("language", language)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    /// A reply was posted to the queue.
    public func replied(queue: String, kind: ReplyKind) {
        Counter(label: Name.replies, dimensions: [("queue", queue), ("kind", kind.rawValue)], factory: factory).increment()
    }

    // MARK: XQueue

    /// An XQueue call failed (after its own retries).
    public func xqueueError(queue: String, operation: XQueueOperation) {
        Counter(label: Name.xqueueErrors, dimensions: [("queue", queue), ("operation", operation.rawValue)],
                factory: factory).increment()
    }

    /// A call to the queue succeeded: the time of the last success, for "no success for N minutes" alerts.
    public func queueSucceeded(queue: String, at date: Date = Date()) {
        Gauge(label: Name.lastSuccess, dimensions: [("queue", queue)], factory: factory)
            .record(date.timeIntervalSince1970)
    }

    /// The server reported the queue's length (only where `get_queuelen` exists).
    public func queueLength(queue: String, _ length: Int) {
        Gauge(label: Name.queueLength, dimensions: [("queue", queue)], factory: factory).record(length)
    }

    // MARK: Slots and languages

    /// The number of grading slots in the pool.
    public func slotsConfigured(_ count: Int) {
        Gauge(label: Name.slots, factory: factory).record(count)
    }

    /// The number of slots grading right now.
    public func slotsBusy(_ count: Int) {
        Gauge(label: Name.busySlots, factory: factory).record(count)
    }

    /// A language's self-test result: 1 when it can grade, 0 when not (yet).
    public func languageReady(_ language: String, _ ready: Bool) {
        Gauge(label: Name.languageReady, dimensions: [("language", language)], factory: factory).record(ready ? 1 : 0)
    }
}

extension Duration {
    /// The whole nanoseconds of this duration (what swift-metrics timers take), saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? .max : total
    }
}
