// RuntimeEvents: what the runtime reports as it works, for metrics, readiness and alerts. The runtime
// only emits events; Operations decides what they become (docs/operations.md).
import Foundation

/// How one submission's reply came about.
public enum ReplyKind: String, Sendable, CaseIterable {
    /// A grade (any verdict the learner earned).
    case grade
    /// An error the learner can act on (a bad submission, an unreadable upload).
    case learnerError = "learner_error"
    /// Our fault (the jail, a toolchain, the course's configuration): "not your fault, submit again".
    case internalError = "internal_error"
}

/// One submission, graded and answered (or not: `posted` false when the server refused the reply).
public struct SubmissionOutcome: Sendable {
    public var queue: String
    public var submissionID: String
    public var language: String
    public var verdict: String
    public var kind: ReplyKind
    public var correct: Bool
    public var score: Double
    /// Seconds from pulling to the reply being built.
    public var gradingSeconds: Double
    public var compileSeconds: Double?
    public var runSeconds: [Double]
    public var posted: Bool
}

/// The runtime's observer. Every method must return quickly and never throw.
public protocol RuntimeEvents: Sendable {
    func queueLoggedIn(_ queue: String)
    func queueFailed(_ queue: String, operation: String, error: String)
    func queuePolled(_ queue: String, gotSubmission: Bool)
    func queueLength(_ queue: String, _ length: Int)
    func submissionAnswered(_ outcome: SubmissionOutcome)
    func slotsBusy(_ busy: Int, of capacity: Int)
    func shuttingDown()
}

/// Reports nothing (tests, one-shot commands).
public struct NoRuntimeEvents: RuntimeEvents {
    public init() {}
    public func queueLoggedIn(_ queue: String) {}
    public func queueFailed(_ queue: String, operation: String, error: String) {}
    public func queuePolled(_ queue: String, gotSubmission: Bool) {}
    public func queueLength(_ queue: String, _ length: Int) {}
    public func submissionAnswered(_ outcome: SubmissionOutcome) {}
    public func slotsBusy(_ busy: Int, of capacity: Int) {}
    public func shuttingDown() {}
}
