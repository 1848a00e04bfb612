// `polygrader bench-throughput` (hidden): the watcher half of benchmarks/throughput. Reads a manifest of
// submissions, enqueues them all on the embedded XQueue, runs the real watcher (WatcherRuntime, S slots,
// S connections) until every one has a reply, and prints one JSON object: elapsed seconds, enqueue-to-reply
// latencies, CPU seconds of this process and its children (the slot helpers and every jailed process),
// replies, losses and duplicates. The driver script measures the bare work and prints the table
// (benchmarks/README.md).
import ArgumentParser
import EmbeddedQueue
import Foundation
import Logging
import Sandbox
import Watcher
import XQueue

struct BenchThroughputCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-throughput", abstract: "The watcher half of benchmarks/throughput (JSON out).", shouldDisplay: false)

    @Option(help: "The manifest: a JSON array of {payload, response?, files?: {name: path}}.") var manifest: String
    @Option(help: "The course directory (grader_root).") var graderRoot: String
    @Option(help: "Grading slots (and connections).") var slots: Int = 1
    @Option(name: .customLong("first-slot"), help: "The first jail slot.") var firstSlot: Int = 0
    @Option(help: "Languages to load (comma-separated; default all).") var only: String?
    @Option(help: "Give up after this many seconds.") var timeout: Double = 600
    @OptionGroup var environment: EnvironmentOptions

    struct Item: Decodable { let payload: String; let response: String?; let files: [String: String]? }

    struct Report: Encodable {
        let count: Int, replied: Int, lost: Int, duplicateReplies: Int, redeliveries: Int, pulls: Int
        let slots: Int, isolation: String
        let elapsedSeconds: Double, cpuSeconds: Double, cpuSelfSeconds: Double, cpuChildrenSeconds: Double
        let latencies: [Double]
        let correct: Int
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = .error
            return h
        }
        let items = try JSONDecoder().decode([Item].self, from: Data(contentsOf: URL(fileURLWithPath: manifest)))
        let engine: GradingEngine
        do {
            engine = try GradingEngine(EngineSettings(sandboxesDir: environment.sandboxesDir, languagesDir: environment.languagesDir,
                                                      minIsolation: try environment.level(),
                                                      instance: JailInstance(firstSlot: firstSlot, slots: slots)))
        } catch {
            printError("\(error)")
            throw Exit.failure
        }
        // Self-tests (cached after the first run) happen before the clock and the CPU count start.
        let registry = await engine.registry(only: only.map { Set($0.split(separator: ",").map(String.init)) })
        let queue = EmbeddedXQueue(configuration: .init())
        let name = "bench"
        let report = try await queue.withRunning { url -> Report in
            var ids: [Int] = []
            var server = XQueueConfiguration(server: url, credentials: .init(username: "grader", password: "grader-password"))
            server.timeouts = Timeouts(requested: 5)
            var plan = RuntimePlan(queues: [QueuePlan(name: name, server: server, connections: slots,
                                                      handlers: [HandlerPlan(graderRoot: graderRoot)], downloadAddresses: ["127.0.0.1"])])
            plan.polling.interval = 0.2
            plan.polling.idleInterval = 1
            let runtime = WatcherRuntime(plan: plan, engine: engine, registry: registry)
            let total = items.count
            let stream = await queue.results()
            let before = Self.cpu()
            let started = ContinuousClock.now
            for item in items {
                if let files = item.files, !files.isEmpty {
                    let data = try files.sorted { $0.key < $1.key }.map { (name: $0.key, data: try Data(contentsOf: URL(fileURLWithPath: $0.value))) }
                    ids.append(await queue.enqueue(queue: name, graderPayload: item.payload, files: data))
                } else {
                    ids.append(await queue.enqueue(queue: name, studentResponse: item.response ?? "", graderPayload: item.payload))
                }
            }
            let deadline = timeout
            try await runtime.run(shutdownSignals: [.sigint, .sigterm]) {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { var done = 0; for await _ in stream { done += 1; if done >= total { break } } }
                    group.addTask { try? await Task.sleep(for: .milliseconds(Int64(deadline * 1000))) }
                    await group.next()
                    group.cancelAll()
                }
            }
            let records = await queue.records()
            let lastReply = records.compactMap(\.repliedAt).max() ?? .now
            let after = Self.cpu()
            let counters = await queue.counters
            let replied = records.filter { $0.result != nil }
            return Report(
                count: total, replied: replied.count, lost: total - replied.count,
                duplicateReplies: records.map(\.duplicateReplies).reduce(0, +), redeliveries: counters.redeliveries, pulls: counters.pulls,
                slots: slots, isolation: engine.jail.level.rawValue,
                elapsedSeconds: (lastReply - started).inSeconds,
                cpuSeconds: (after.selfS - before.selfS) + (after.childrenS - before.childrenS),
                cpuSelfSeconds: after.selfS - before.selfS, cpuChildrenSeconds: after.childrenS - before.childrenS,
                latencies: replied.compactMap(\.latency).map(\.inSeconds).sorted(),
                correct: replied.filter { $0.result?.correct == true }.count)
        }
        print(try jsonText(report))
    }

    /// User + system CPU seconds of this process and of its waited-for children (the slot helpers are
    /// waited for when the runtime ends them, and they wait for every jailed process).
    static func cpu() -> (selfS: Double, childrenS: Double) {
        func total(_ who: Int32) -> Double {
            var u = rusage()
            getrusage(who, &u)
            return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
        }
        return (total(RUSAGE_SELF.rawValue), total(RUSAGE_CHILDREN.rawValue))
    }
}
