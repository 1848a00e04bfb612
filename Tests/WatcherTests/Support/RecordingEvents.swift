// RecordingEvents: what the runtime reported, for the watcher's tests.
import Foundation
@testable import Watcher

/// Records what the runtime reports.
final class RecordingEvents: RuntimeEvents, @unchecked Sendable {
    private let lock = NSLock()
    private var _answered: [SubmissionOutcome] = []
    private var _failures: [(operation: String, error: String)] = []
    private var _shuttingDown = false
    private var _busy = 0

    var answered: [SubmissionOutcome] { lock.withLock { _answered } }
    var failures: [(operation: String, error: String)] { lock.withLock { _failures } }
    var shutDown: Bool { lock.withLock { _shuttingDown } }
    /// Slots busy at the last report.
    var busy: Int { lock.withLock { _busy } }

    func answered(_ id: Int) -> [SubmissionOutcome] { answered.filter { $0.submissionID == "\(id)" } }
    func failures(_ operation: String) -> Int { failures.filter { $0.operation == operation }.count }

    func queueLoggedIn(_ queue: String) {}
    func queueFailed(_ queue: String, operation: String, error: String) { lock.withLock { _failures.append((operation, error)) } }
    func queuePolled(_ queue: String, gotSubmission: Bool) {}
    func queueLength(_ queue: String, _ length: Int) {}
    func submissionAnswered(_ outcome: SubmissionOutcome) { lock.withLock { _answered.append(outcome) } }
    func slotsBusy(_ busy: Int, of capacity: Int) { lock.withLock { _busy = busy } }
    func shuttingDown() { lock.withLock { _shuttingDown = true } }
}

