// EmbeddedXQueue: a small XQueue-compatible server on 127.0.0.1, in-process, for `polygrader demo`, the
// benchmarks and tests (docs/embedded-queue.md). It speaks the classic XQueue API over real HTTP, and lets
// its owner enqueue submissions and read the results graders posted. Not a production XQueue: all in memory.
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// An XQueue server in this process. Run it as a `Service` (then `listening()` gives its URL) or with
/// `withRunning { baseURL in … }`. State survives a stop and a new run (a server restart loses nothing).
public actor EmbeddedXQueue: Service {
    /// Its settings.
    public nonisolated let configuration: Configuration
    nonisolated let logger: Logger
    var book: QueueBook
    /// Live Django-style session ids.
    var sessions: Set<String> = []
    private var state = RunState.idle
    private var listeners: [UUID: CheckedContinuation<URL, any Error>] = [:]
    private var subscribers: [UUID: AsyncStream<SubmissionRecord>.Continuation] = [:]

    private enum RunState {
        case idle
        case starting
        case listening(URL)
    }

    /// A queue with no submissions; nothing listens until `run()`.
    public init(configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "polygrader.embedded-xqueue")) {
        self.configuration = configuration
        self.logger = logger
        self.book = QueueBook(redeliveryDelay: configuration.redeliveryDelay)
    }

    // MARK: Running

    /// Listens on 127.0.0.1 until graceful shutdown or cancellation (a swift-service-lifecycle `Service`).
    public func run() async throws {
        guard case .idle = state else { throw EmbeddedQueueError.alreadyRunning }
        state = .starting
        // Hummingbird's own lines (server started, shutting down) are noise next to the demo's progress line.
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .warning)
        let app = Application(
            responder: HTTPFront(queue: self, maxRequestBytes: configuration.maxRequestBytes),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: configuration.port)),
            onServerRunning: { channel in await self.didBind(port: channel.localAddress?.port) },
            logger: serverLogger)
        do {
            try await app.run()
        } catch {
            didStop(reason: "\(error)")
            throw error
        }
        didStop(reason: "stopped")
    }

    /// The base URL (`http://127.0.0.1:PORT`, no trailing slash) once the server listens; waits for `run()`
    /// to bind, and throws if it fails or stops first.
    public func listening() async throws -> URL {
        if case let .listening(url) = state { return url }
        let id = UUID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    listeners[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.dropListener(id) }
        }
    }

    /// The base URL while the server listens, else nil.
    public var baseURL: URL? {
        if case let .listening(url) = state { return url }
        return nil
    }

    /// Runs the server, calls `body` with its base URL, then shuts the server down gracefully (also when
    /// `body` throws) and returns what `body` returned.
    public nonisolated func withRunning<T: Sendable>(_ body: (URL) async throws -> T) async throws -> T {
        var groupConfiguration = ServiceGroupConfiguration(services: [.init(service: self)], logger: logger)
        // A client that keeps a connection busy must not hold the shutdown forever.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let result = try await body(try await listening())
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    private func didBind(port: Int?) {
        guard let port, let url = URL(string: "http://127.0.0.1:\(port)") else {
            logger.error("the embedded XQueue bound no TCP port")
            return
        }
        state = .listening(url)
        logger.debug("embedded XQueue listening", metadata: ["url": "\(url.absoluteString)"])
        let waiting = listeners
        listeners = [:]
        for continuation in waiting.values { continuation.resume(returning: url) }
    }

    private func didStop(reason: String) {
        state = .idle
        let waiting = listeners
        listeners = [:]
        for continuation in waiting.values { continuation.resume(throwing: EmbeddedQueueError.notListening(reason)) }
    }

    private func dropListener(_ id: UUID) {
        listeners.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }

    // MARK: Submissions in, results out

    /// Adds a submission to `queue` and returns its id (`submission_id`). `studentResponse` is the typed
    /// code (`""` when the learner uploaded files); each file is served at its own URL in `xqueue_files`.
    @discardableResult
    public func enqueue(queue: String, studentResponse: String = "", graderPayload: String,
                        files: [(name: String, data: Data)] = [], studentInfo: StudentInfo = StudentInfo()) -> Int {
        let now = ContinuousClock.now
        let wallClock = Date()
        return book.enqueue(queue: queue, studentResponse: studentResponse, graderPayload: graderPayload,
                            studentInfo: { Wire.studentInfo(studentInfo, id: $0, enqueuedAt: wallClock) },
                            files: files, makeFileID: Wire.randomToken, now: now)
    }

    /// The result posted for submission `id`, or nil while it has none.
    public func result(of id: Int) -> PostedResult? { record(of: id)?.result }

    /// The history of submission `id`, or nil if `enqueue` never returned it.
    public func record(of id: Int) -> SubmissionRecord? {
        guard id >= 1, id <= book.entries.count else { return nil }
        return book.entries[id - 1].record
    }

    /// Every submission's history, in enqueue order.
    public func records() -> [SubmissionRecord] { book.entries.map(\.record) }

    /// What the queue has seen so far.
    public var counters: QueueCounters { book.counters }

    /// How many submissions have a result.
    public var answeredCount: Int { book.answered }

    /// The submissions of `queue` a pull could serve now (what `get_queuelen` answers).
    public func queueLength(_ queue: String) -> Int { book.length(queue: queue, now: .now) }

    /// The record of each submission as its first result is stored, from now on (for a progress line).
    public func results() -> AsyncStream<SubmissionRecord> {
        let (stream, continuation) = AsyncStream<SubmissionRecord>.makeStream()
        subscribers[UUID()] = continuation
        return stream
    }

    /// Returns once at least `count` submissions have a result; throws `timedOut` after `timeout`.
    public func waitForResults(count: Int, timeout: Duration) async throws {
        let already = book.answered
        if already >= count { return }
        let stream = results()
        let reached = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                var answered = already
                for await _ in stream {
                    answered += 1
                    if answered >= count { return true }
                }
                return false
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        try Task.checkCancellation()
        guard reached else { throw EmbeddedQueueError.timedOut(answered: book.answered, expected: count) }
    }

    /// Forgets every login, as an expired session would: the next API call is redirected to the login page.
    public func expireSessions() { sessions.removeAll() }

    /// Tells the subscribers that `record` got its first result.
    func announce(_ record: SubmissionRecord) {
        for (id, continuation) in subscribers {
            if case .terminated = continuation.yield(record) { subscribers[id] = nil }
        }
    }
}
