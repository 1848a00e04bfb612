// DemoRun: enqueues the demo's submissions on the embedded queue, runs the real watcher against it until
// every one has a reply, and gathers what came back (the reply from the queue, the verdict from the
// watcher's own events) into a report.
import EmbeddedQueue
import Foundation
import Watcher
import XQueue

struct DemoRun {
    let items: [DemoItem]
    let queue: EmbeddedXQueue
    let url: URL
    let engine: GradingEngine
    let courseDir: String
    let showProgress: Bool
    static let queueName = "polygrader-demo"

    func run() async throws -> DemoReport {
        var ids: [Int] = []
        for item in items {
            let payload = "{\"grader\": \"\(item.problem)\"}"
            if item.typed {
                let text = try String(contentsOfFile: path(item, item.files[0]), encoding: .utf8)
                ids.append(await queue.enqueue(queue: Self.queueName, studentResponse: text, graderPayload: payload))
            } else {
                let files = try item.files.map { f -> (name: String, data: Data) in
                    (name: (f as NSString).lastPathComponent, data: try Data(contentsOf: URL(fileURLWithPath: path(item, f))))
                }
                ids.append(await queue.enqueue(queue: Self.queueName, graderPayload: payload, files: files))
            }
        }
        let started = ContinuousClock.now
        var server = XQueueConfiguration(server: url, credentials: .init(username: "grader", password: "grader-password"))
        server.timeouts = Timeouts(requested: 5)
        var plan = RuntimePlan(queues: [QueuePlan(name: Self.queueName, server: server, connections: engine.jail.instance.slots,
                                                  handlers: [HandlerPlan(graderRoot: courseDir)], downloadAddresses: ["127.0.0.1"])])
        plan.polling.interval = 0.2
        plan.polling.idleInterval = 1
        let outcomes = OutcomeLog()
        let registry = await engine.registry()
        let runtime = WatcherRuntime(plan: plan, engine: engine, registry: registry, events: outcomes)
        let progress = Progress(total: ids.count, enabled: showProgress)
        let stream = await queue.results()
        let total = ids.count
        try await runtime.run(shutdownSignals: [.sigint, .sigterm]) {
            var done = 0
            for await _ in stream {
                done += 1
                progress.update(done)
                if done >= total { break }
            }
        }
        progress.finish()
        let elapsed = started.duration(to: .now)
        var rows: [DemoReport.Row] = []
        for (item, id) in zip(items, ids) {
            let record = await queue.record(of: id)
            let outcome = outcomes.outcome(of: String(id))
            rows.append(DemoReport.Row(item: item, id: id, result: record?.result, verdict: outcome?.verdict,
                                       seconds: record?.latency?.inSeconds))
        }
        let counters = await queue.counters
        return DemoReport(rows: rows, seconds: elapsed.inSeconds,
                          slots: engine.jail.instance.slots, isolation: engine.jail.level.rawValue, pulls: counters.pulls, puts: counters.puts)
    }

    func path(_ item: DemoItem, _ file: String) -> String {
        ((courseDir as NSString).appendingPathComponent(item.problem) as NSString).appendingPathComponent(file)
    }
}

/// The watcher's outcomes by submission id (for the verdict column).
final class OutcomeLog: RuntimeEvents, @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [String: SubmissionOutcome] = [:]
    func outcome(of id: String) -> SubmissionOutcome? { lock.withLock { outcomes[id] } }
    func submissionAnswered(_ outcome: SubmissionOutcome) { lock.withLock { outcomes[outcome.submissionID] = outcome } }
    func queueLoggedIn(_ queue: String) {}
    func queueFailed(_ queue: String, operation: String, error: String) {}
    func queuePolled(_ queue: String, gotSubmission: Bool) {}
    func queueLength(_ queue: String, _ length: Int) {}
    func slotsBusy(_ busy: Int, of capacity: Int) {}
    func shuttingDown() {}
}

/// One line on stderr, rewritten in place on a terminal.
final class Progress: @unchecked Sendable {
    let total: Int
    let enabled: Bool
    let tty = isatty(2) == 1
    init(total: Int, enabled: Bool) { self.total = total; self.enabled = enabled }
    func update(_ done: Int) {
        guard enabled else { return }
        if tty { FileHandle.standardError.write(Data("\rgraded \(done)/\(total)".utf8)) }
        else if done % 10 == 0 || done == total { FileHandle.standardError.write(Data("graded \(done)/\(total)\n".utf8)) }
    }
    func finish() { if enabled && tty { FileHandle.standardError.write(Data("\n".utf8)) } }
}

/// What the demo saw.
struct DemoReport: Encodable {
    struct Row: Encodable {
        let problem: String, files: [String], how: String
        let expectedVerdict: String, expectedScore: Double
        let verdict: String?, score: Double?, correct: Bool?, seconds: Double?
        let asExpected: Bool

        init(item: DemoItem, id: Int, result: PostedResult?, verdict: String?, seconds: Double?) {
            problem = item.problem; files = item.files; how = item.typed ? "typed" : "upload"
            expectedVerdict = item.expectedVerdict; expectedScore = item.expectedScore
            self.verdict = verdict; score = result?.score; correct = result?.correct; self.seconds = seconds
            asExpected = result != nil && verdict == item.expectedVerdict && abs((result?.score ?? -1) - item.expectedScore) < 1e-4
                && result?.correct == item.expectedCorrect
        }
    }
    let rows: [Row]
    let seconds: Double
    let slots: Int
    let isolation: String
    let pulls: Int
    let puts: Int
    var allAsExpected: Bool { rows.allSatisfy(\.asExpected) }

    func printTable() {
        let header = ["PROBLEM", "SUBMISSION", "SENT", "EXPECTED", "GOT", "SCORE", "REPLIED (s)", ""]
        let body = rows.map { r in
            [r.problem, r.files.map { ($0 as NSString).lastPathComponent }.joined(separator: ","), r.how,
             r.expectedVerdict, r.verdict ?? "-", r.score.map { String(format: "%g", $0) } ?? "-",
             r.seconds.map { String(format: "%.2f", $0) } ?? "-", r.asExpected ? "ok" : "MISMATCH"]
        }
        let all = [header] + body
        let widths = (0..<header.count).map { i in all.map { $0[i].count }.max() ?? 0 }
        for row in all { print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")) }
        let ok = rows.filter(\.asExpected).count
        print(String(format: "%d/%d as expected in %.1f s (%d slots, isolation %@, %d pulls, %d replies)",
                     ok, rows.count, seconds, slots, isolation, pulls, puts))
    }
}
