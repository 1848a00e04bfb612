// FaultRig: the real watcher runtime (real jail, real XQueue client, real HTTP) against the in-process
// fake XQueue of XQueueFakes, for the fault tests. It counts requests and replies; it never times them.
import Foundation
import Grading
import Languages
import Sandbox
import Testing
@testable import Watcher
@testable import XQueue
import XQueueFakes

/// A fake XQueue on its own port and a watcher polling it.
final class FaultRig: Sendable {
    static let queue = "faults"
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let course = root + "/examples/course"
    /// A legacy gradelib course (a JailedGrader handler's grader_root).
    static let legacyCourse = root + "/Tests/Fixtures/watcher-course"
    static let legacyPayload = "{\"grader\": \"square/grader.py\"}"
    /// Answers to the legacy `square` problem: both tests pass, one of two passes.
    static let goodSquare = "def square(x):\n    return x * x\n"
    static let halfSquare = "def square(x):\n    return abs(x) * 3\n"
    /// The queue's handlers: the native course, then the legacy one (picked by where the payload's grader is).
    static let bothHandlers = [HandlerPlan(graderRoot: course),
                               HandlerPlan(graderRoot: legacyCourse, legacy: LegacySettings(supportDirectory: root + "/support/python"))]
    /// The example course's py-sum answers: 8/8 and 6/8 points.
    static let goodSum = try! String(contentsOfFile: course + "/py-sum/submissions/accepted/sum.py", encoding: .utf8)
    static let partialSum = try! String(contentsOfFile: course + "/py-sum/submissions/wrong_answer/float_sum.py", encoding: .utf8)
    /// 8/8 too, but slow enough to be caught mid-grading: each of its five tests sleeps first.
    static let slowSum = "import time\ntime.sleep(0.4)\n" + goodSum
    static let sumPayload = "\n  {\"grader\": \"py-sum\"}\n"

    /// Small pauses so that a test sees many polling steps quickly; the bounds the tests assert are
    /// computed from these same settings with `PollSchedule`.
    static func polling(interval: Double = 0.05, idle: Double = 0.8, errorInitial: Double = 0.05, errorMaximum: Double = 0.4,
                        loginExitAfter: Double? = nil) -> PollingSettings {
        var p = PollingSettings()
        p.interval = interval; p.idleInterval = idle
        p.errorInitial = errorInitial; p.errorMaximum = errorMaximum
        p.loginInterval = errorInitial
        p.loginFailureExitAfter = loginExitAfter
        return p
    }

    let fake: FakeXQueue
    let listener: FakeHTTPListener
    let port: Int
    let events: RecordingEvents
    /// Finishing it starts the graceful shutdown (run()'s `until` returns), as SIGTERM would.
    private let shutdown: AsyncStream<Void>.Continuation
    let polling: PollingSettings
    /// The ids of the submissions queued before the watcher started, in order.
    let queued: [Int]
    private let task: Task<Void, Error>

    /// Starts the fake server and the watcher. `apiTimeout` bounds every XQueue call (long by default: on
    /// a loaded machine a reply can wait seconds for a thread; only the slow-reply test shortens it).
    init(_ flavor: FakeXQueue.Flavor, connections: Int = 1, polling: PollingSettings = FaultRig.polling(),
         apiTimeout: Double = 120, password: String = "s3cret", handlers: [HandlerPlan] = [HandlerPlan(graderRoot: FaultRig.course)],
         queued answers: [String] = [],
         setUp: @Sendable (isolated FakeXQueue) -> Void = { _ in }) async throws {
        let fake = FakeXQueue(flavor)
        await fake.configure(setUp)
        var queued: [Int] = []
        for answer in answers {
            queued.append(await fake.enqueue(Self.queue) { $0.response = answer; $0.payload = Self.sumPayload })
        }
        self.queued = queued
        let listener = FakeHTTPListener(handler: { await fake.handle($0) })
        let port = try await listener.start()
        let server = XQueueConfiguration(server: URL(string: "http://127.0.0.1:\(port)")!,
                                         credentials: .init(username: "grader", password: password),
                                         timeouts: Timeouts(api: apiTimeout, download: apiTimeout), putAttempts: 4,
                                         putRetry: RetryPolicy(initial: 0.01, maximum: 0.05))
        var plan = RuntimePlan(queues: [QueuePlan(name: Self.queue, server: server, connections: connections,
                                                  handlers: handlers)])
        plan.polling = polling
        plan.shutdownGrace = 300
        let engine = try GradingEngine(EngineSettings(sandboxesDir: Self.root + "/sandboxes", languagesDir: Self.root + "/languages",
                                                      minIsolation: .noCgroup, instance: JailInstance(firstSlot: 40, slots: 2),
                                                      selfTestCache: nil))
        let registry = await engine.registry(only: ["python"])
        let events = RecordingEvents()
        let (stopSignal, shutdown) = AsyncStream<Void>.makeStream()
        let runtime = WatcherRuntime(plan: plan, engine: engine, registry: registry, events: events)
        self.fake = fake; self.listener = listener; self.port = port; self.polling = polling
        self.events = events; self.shutdown = shutdown
        self.task = Task { try await runtime.run(shutdownSignals: [], until: { for await _ in stopSignal {} }) }
    }

    /// A test that failed before `stop()` must not leave its watcher polling (and holding slots 40-41)
    /// under the next test: cancelling run() ends its services.
    deinit { task.cancel() }

    /// Adds a py-sum submission (typed answer) and returns its id.
    @discardableResult
    func enqueue(_ answer: String = FaultRig.goodSum, payload: String = FaultRig.sumPayload) async -> Int {
        await fake.enqueue(Self.queue) { $0.response = answer; $0.payload = payload }
    }

    /// The graceful shutdown, as SIGTERM; returns once run() has returned, and fails if it threw.
    func stop() async throws {
        shutdown.finish()
        try await task.value
        await listener.stop()
    }

    /// How run() ended (waits for it).
    func ended() async -> Result<Void, Error> {
        let result = await task.result
        await listener.stop()
        return result
    }

    /// The decoded reply bodies stored for submission `id`.
    func replies(_ id: Int) async -> [[String: Any]] {
        await fake.storedBodies(id).map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:] }
    }

    /// Expects exactly one stored reply for `id`, with `score` and `correct`.
    func expectOneReply(_ id: Int, score: Double, correct: Bool, sourceLocation: SourceLocation = #_sourceLocation) async {
        let replies = await replies(id)
        #expect(replies.count == 1, "submission \(id): \(replies.count) replies stored", sourceLocation: sourceLocation)
        #expect(replies.first?["score"] as? Double == score, "submission \(id): \(replies)", sourceLocation: sourceLocation)
        #expect(replies.first?["correct"] as? Bool == correct, "submission \(id): \(replies)", sourceLocation: sourceLocation)
    }

    /// Waits until `condition` holds. The limit only keeps a broken runtime from hanging the suite; the
    /// tests assert counts, never durations.
    func until(_ what: String, limit: Double = 120, sourceLocation: SourceLocation = #_sourceLocation,
               _ condition: () async -> Bool) async throws {
        let start = ContinuousClock.now
        while !(await condition()) {
            if ContinuousClock.now - start > .seconds(limit) {
                Issue.record("gave up waiting: \(what)", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until submission `id` has a stored reply.
    func untilAnswered(_ id: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await until("a reply for submission \(id)", sourceLocation: sourceLocation) { await !fake.storedBodies(id).isEmpty }
    }
}

/// Upper bounds on calls derived from PollSchedule: the most calls that fit in `seconds` if every pause
/// were the shortest the schedule can draw (jitter at its minimum) and every call took no time. A tight
/// loop makes far more; a slow machine only fewer.
enum CallBound {
    static func afterFailures(_ seconds: Double, _ settings: PollingSettings) -> Int {
        var schedule = PollSchedule(settings: settings)
        return fit(seconds) { schedule.failed(random: 0) }
    }

    static func whileEmpty(_ seconds: Double, _ settings: PollingSettings) -> Int {
        var schedule = PollSchedule(settings: settings)
        return fit(seconds) { schedule.empty(random: 0) }
    }

    private static func fit(_ seconds: Double, _ nextPause: () -> Double) -> Int {
        var calls = 1
        var elapsed = 0.0
        while true {
            let pause = nextPause()
            precondition(pause > 0, "a zero pause is a tight loop")
            elapsed += pause
            if elapsed > seconds { return calls }
            calls += 1
        }
    }
}

/// Seconds since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}
