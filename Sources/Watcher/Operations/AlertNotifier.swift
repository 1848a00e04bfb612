// AlertNotifier: the optional alert webhook. The runtime reports each queue's failures and successes without
// waiting (the reports go onto a stream); this service decides with AlertPolicy and POSTs the JSON. A webhook
// that fails is logged and retried on the next report; it never blocks grading nor throws into the caller.
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// What the webhook receives (docs/operations.md §Alerts).
public struct AlertPayload: Sendable, Codable, Equatable {
    /// `queue_failing` or `queue_recovered`.
    public var event: String
    public var queue: String
    /// ISO 8601: when the queue started failing.
    public var since: String
    /// The last error (`queue_failing` only).
    public var error: String?
    /// ISO 8601: the first success after the failure (`queue_recovered` only).
    public var recovered_at: String?
    /// Which watcher sent it (the configured instance name, by default the host name).
    public var instance: String
}

/// Calls the alert webhook when a queue has failed continuously for a configured time, and when it recovers.
public actor AlertNotifier: Service {
    public struct Configuration: Sendable {
        public var webhook: URL
        /// Seconds of continuous failure before `queue_failing`.
        public var after: TimeInterval
        public var instance: String
        /// Each POST's whole deadline, short so that a dead webhook does not hold the reports back.
        public var timeout: Duration

        public init(webhook: URL, after: TimeInterval, instance: String = ProcessInfo.processInfo.hostName,
                    timeout: Duration = .seconds(5)) throws {
            guard ["http", "https"].contains(webhook.scheme?.lowercased() ?? ""), webhook.host != nil else {
                throw OperationsError.badWebhook(webhook.absoluteString)
            }
            self.webhook = webhook
            self.after = after
            self.instance = instance
            self.timeout = timeout
        }
    }

    /// A report from the runtime, stamped when it was made.
    enum Report: Sendable {
        case failed(queue: String, error: String, at: Date)
        case succeeded(queue: String, at: Date)
    }

    public nonisolated let configuration: Configuration
    private var policy: AlertPolicy
    private let http: HTTPClient
    private let logger: Logger
    private nonisolated let now: @Sendable () -> Date
    private nonisolated let reports: AsyncStream<Report>
    private nonisolated let continuation: AsyncStream<Report>.Continuation

    /// `now` stamps each report (tests pass their own clock); `http` is shared with the runtime.
    public init(configuration: Configuration, http: HTTPClient = .shared,
                logger: Logger = Logger(label: "polygrader.alerts"), now: @escaping @Sendable () -> Date = Date.init) {
        self.configuration = configuration
        self.policy = AlertPolicy(after: configuration.after)
        self.http = http
        self.logger = logger
        self.now = now
        (reports, continuation) = AsyncStream.makeStream(of: Report.self, bufferingPolicy: .unbounded)
    }

    /// A call to `queue` failed. Returns at once.
    public nonisolated func queueFailed(_ queue: String, error: String) {
        continuation.yield(.failed(queue: queue, error: error, at: now()))
    }

    /// A call to `queue` succeeded. Returns at once.
    public nonisolated func queueSucceeded(_ queue: String) {
        continuation.yield(.succeeded(queue: queue, at: now()))
    }

    /// Handles the reports in order until graceful shutdown, then handles those already made and returns.
    public func run() async {
        await withGracefulShutdownHandler {
            for await report in reports { await handle(report) }
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }

    /// One report: update the policy, and deliver what it asks for.
    func handle(_ report: Report) async {
        let action: AlertPolicy.Action
        switch report {
        case let .failed(queue, error, at): action = policy.failed(queue, error: error, at: at)
        case let .succeeded(queue, at): action = policy.succeeded(queue, at: at)
        }
        guard let payload = payload(for: action) else { return }
        if await post(payload) { policy.delivered(action) }
    }

    /// Whether `queue_failing` was delivered for `queue` and its recovery is still owed.
    func alertOpen(for queue: String) -> Bool { policy.queues[queue]?.failingSent ?? false }

    private func payload(for action: AlertPolicy.Action) -> AlertPayload? {
        switch action {
        case .none:
            return nil
        case let .sendFailing(queue, since, error):
            return AlertPayload(event: "queue_failing", queue: queue, since: Self.iso8601(since), error: error,
                                recovered_at: nil, instance: configuration.instance)
        case let .sendRecovered(queue, since, at):
            return AlertPayload(event: "queue_recovered", queue: queue, since: Self.iso8601(since), error: nil,
                                recovered_at: Self.iso8601(at), instance: configuration.instance)
        }
    }

    /// POSTs the payload; true when the webhook answered 2xx. Failures are logged, never thrown.
    private func post(_ payload: AlertPayload) async -> Bool {
        let meta: Logger.Metadata = ["queue": "\(payload.queue)", "event": "\(payload.event)"]
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var request = HTTPClientRequest(url: configuration.webhook.absoluteString)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "polygrader")
            request.body = .bytes(ByteBuffer(bytes: try encoder.encode(payload)))
            let response = try await http.execute(request, timeout: .nanoseconds(configuration.timeout.nanoseconds))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            guard (200..<300).contains(Int(response.status.code)) else {
                logger.warning("alert webhook answered HTTP \(response.status.code); retrying on the next report",
                               metadata: meta)
                return false
            }
            logger.notice("alert webhook called", metadata: meta)
            return true
        } catch {
            logger.warning("alert webhook failed: \(error); retrying on the next report", metadata: meta)
            return false
        }
    }

    static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
