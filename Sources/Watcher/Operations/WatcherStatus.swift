// WatcherStatus: what the runtime knows about its queues, languages and host, updated as events happen and
// read by `/readyz` and `/languages`. Readiness rules: docs/operations.md §Readiness.
import Foundation
import Sandbox

/// One queue's connection health.
public struct QueueHealth: Sendable, Equatable {
    public var loggedIn = false
    public var lastError: String?
    /// The first failure since the last success; nil while the queue works.
    public var failingSince: Date?
    public var lastSuccess: Date?
}

/// Whether the watcher should receive work, and why not.
public struct Readiness: Sendable, Equatable {
    public var ready: Bool { reasons.isEmpty }
    /// One sentence per unmet condition, for the operator.
    public var reasons: [String]
}

/// The runtime's state as the operations endpoints show it.
public actor WatcherStatus {
    private var queues: [String: QueueHealth] = [:]
    private var languageReports: [String: LanguageReport] = [:]
    private var requiredIsolation: IsolationLevel?
    private var availableIsolation: IsolationLevel?
    public private(set) var shuttingDown = false

    /// `queues`: every configured queue, so that one never heard from counts as not logged in.
    public init(queues: [String] = []) {
        for q in queues { self.queues[q] = QueueHealth() }
    }

    // MARK: Queues

    /// Adds queues that are not known yet (not logged in).
    public func addQueues(_ names: [String]) {
        for q in names where queues[q] == nil { queues[q] = QueueHealth() }
    }

    /// A login succeeded; it is also a successful exchange with the server.
    public func queueLoggedIn(_ queue: String, at date: Date = Date()) {
        queues[queue, default: QueueHealth()].loggedIn = true
        queueSucceeded(queue, at: date)
    }

    /// A login was refused or failed: the queue is not logged in until the next successful login.
    public func queueLoginFailed(_ queue: String, error: String, at date: Date = Date()) {
        queues[queue, default: QueueHealth()].loggedIn = false
        queueFailed(queue, error: error, at: date)
    }

    /// A call to the queue failed (after its own retries).
    public func queueFailed(_ queue: String, error: String, at date: Date = Date()) {
        var h = queues[queue, default: QueueHealth()]
        h.lastError = error
        if h.failingSince == nil { h.failingSince = date }
        queues[queue] = h
    }

    /// A call to the queue succeeded: it is no longer failing.
    public func queueSucceeded(_ queue: String, at date: Date = Date()) {
        var h = queues[queue, default: QueueHealth()]
        h.failingSince = nil
        h.lastSuccess = date
        queues[queue] = h
    }

    /// One queue's health, nil for a queue never configured nor reported.
    public func queue(_ name: String) -> QueueHealth? { queues[name] }

    // MARK: Languages and host

    /// Replaces the whole language list (at start-up, every profile as pending).
    public func setLanguages(_ reports: [LanguageReport]) {
        languageReports = Dictionary(reports.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Records one language's new state (its self-test finished, or a recheck).
    public func updateLanguage(_ report: LanguageReport) {
        languageReports[report.name] = report
    }

    /// Every language, sorted by tag.
    public func languages() -> [LanguageReport] {
        languageReports.values.sorted { $0.name < $1.name }
    }

    /// The isolation level the configuration requires (nil: any) and the one this host gives.
    public func setIsolation(required: IsolationLevel?, available: IsolationLevel) {
        requiredIsolation = required
        availableIsolation = available
    }

    /// The level this host gives, once probed.
    public func isolation() -> IsolationLevel? { availableIsolation }

    /// Shutdown began: stop taking work.
    public func beginShutdown() { shuttingDown = true }

    // MARK: Readiness

    /// Ready when every queue is logged in, a language passed its self-test, the isolation level is met and
    /// the watcher is not shutting down.
    public func readiness() -> Readiness {
        var reasons: [String] = []
        for name in queues.keys.sorted() {
            let h = queues[name]!
            if !h.loggedIn {
                reasons.append("queue \(name) is not logged in" + (h.lastError.map { " (last error: \($0))" } ?? ""))
            }
        }
        let states = languageReports.values.map(\.selfTest)
        if !states.contains(where: { if case .ok = $0 { true } else { false } }) {
            let pending = states.filter { $0 == .pending }.count
            if languageReports.isEmpty {
                reasons.append("no language is installed")
            } else if pending > 0 {
                reasons.append("no language has passed its self-test yet (\(pending) pending)")
            } else {
                reasons.append("no language passed its self-test (\(states.count) failed)")
            }
        }
        if let available = availableIsolation {
            if let required = requiredIsolation, available < required {
                reasons.append("this host gives isolation level \"\(available.rawValue)\" but \"\(required.rawValue)\" is required")
            }
        } else {
            reasons.append("the isolation level has not been probed yet")
        }
        if shuttingDown { reasons.append("shutting down") }
        return Readiness(reasons: reasons)
    }

    /// The body of `/readyz`.
    func readyzBody() -> ReadyzBody {
        let r = readiness()
        var languagesByState = ReadyzBody.Languages()
        for report in languages() {
            switch report.selfTest {
            case .ok: languagesByState.ok.append(report.name)
            case .pending: languagesByState.pending.append(report.name)
            case .failed: languagesByState.failed.append(report.name)
            }
        }
        return ReadyzBody(
            ready: r.ready, reasons: r.reasons, shutting_down: shuttingDown,
            isolation: .init(required: requiredIsolation?.rawValue, available: availableIsolation?.rawValue),
            queues: queues.mapValues {
                .init(logged_in: $0.loggedIn, last_error: $0.lastError, failing_since: $0.failingSince,
                      last_success: $0.lastSuccess)
            },
            languages: languagesByState)
    }
}

/// `/readyz`'s JSON (docs/operations.md §Endpoints).
struct ReadyzBody: Encodable {
    struct Isolation: Encodable { var required: String?; var available: String? }
    struct Queue: Encodable { var logged_in: Bool; var last_error: String?; var failing_since: Date?; var last_success: Date? }
    struct Languages: Encodable { var ok: [String] = []; var pending: [String] = []; var failed: [String] = [] }
    var ready: Bool
    var reasons: [String]
    var shutting_down: Bool
    var isolation: Isolation
    var queues: [String: Queue]
    var languages: Languages
}
