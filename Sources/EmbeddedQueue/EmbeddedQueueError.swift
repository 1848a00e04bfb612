// EmbeddedQueueError: why a call to the embedded queue's own API failed.

/// Errors of the embedded queue's own API (the HTTP side answers as XQueue does and never throws).
public enum EmbeddedQueueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `run()` was called while the queue was already running.
    case alreadyRunning
    /// The server stopped, or failed to start, before it listened.
    case notListening(String)
    /// `waitForResults` timed out.
    case timedOut(answered: Int, expected: Int)
    /// A submission id that `enqueue` never returned.
    case unknownSubmission(Int)

    /// One line for logs.
    public var description: String {
        switch self {
        case .alreadyRunning: return "the embedded XQueue is already running"
        case let .notListening(reason): return "the embedded XQueue is not listening: \(reason)"
        case let .timedOut(answered, expected):
            return "timed out waiting for results: \(answered) of \(expected) submissions answered"
        case let .unknownSubmission(id): return "no submission \(id) in the embedded XQueue"
        }
    }
}
