// WatcherRuntime: the main job assembled. From a RuntimePlan and a GradingEngine it builds the slot
// pool, one worker per queue (one XQueue session per connection) and any extra services (the
// operations endpoints), and runs them as one service group: SIGTERM or SIGINT stops the pulling,
// lets in-flight gradings finish and post within the grace period, then ends the helpers.
import AsyncHTTPClient
import Foundation
import Grading
import Intake
import Languages
import Logging
import ServiceLifecycle
import UnixSignals
import XQueue

/// The watcher: queues, slots and services, run until shutdown.
public struct WatcherRuntime: Sendable {
    public let plan: RuntimePlan
    public let engine: GradingEngine
    public let registry: LanguageRegistry
    public let events: any RuntimeEvents
    public let logger: Logger

    public init(plan: RuntimePlan, engine: GradingEngine, registry: LanguageRegistry, events: any RuntimeEvents = NoRuntimeEvents(),
                logger: Logger = Logger(label: "polygrader.watcher")) {
        self.plan = plan; self.engine = engine; self.registry = registry; self.events = events; self.logger = logger
    }

    /// Runs until a graceful shutdown (one of `shutdownSignals`, or `until` returning) or until a
    /// queue gives up (thrown: the process exits non-zero). `extraServices` run beside the workers and
    /// stop after them (the operations endpoints). `until` lets a caller end the run gracefully
    /// (`demo` when every reply is in, tests): in-flight submissions are still answered.
    public func run(extraServices: [any Service] = [], shutdownSignals: [UnixSignal] = [.sigterm, .sigint],
                    until: (@Sendable () async -> Void)? = nil) async throws {
        let timeouts = plan.queues.first?.server.timeouts ?? Timeouts(requested: 1)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: XQueueClient.httpClientConfiguration(timeouts: timeouts))
        do {
            let group = try services(http: http, extra: extraServices, signals: shutdownSignals, until: until)
            try await group.run()
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    func services(http: HTTPClient, extra: [any Service], signals: [UnixSignal], until: (@Sendable () async -> Void)?) throws -> ServiceGroup {
        let events = self.events
        let capacity = engine.jail.instance.slots
        let pool = SlotPool(jail: engine.jail, logger: logger, onBusyChange: { events.slotsBusy($0, of: capacity) })
        var workers: [QueueWorker] = []
        for queue in plan.queues {
            var log = logger
            log[metadataKey: "queue"] = "\(queue.name)"
            let clients = try (0..<queue.connections).map { _ in try XQueueClient(configuration: queue.server, httpClient: http, logger: log) }
            let handler = SubmissionHandler.make(queue: queue, plan: plan, engine: engine, registry: registry, logger: logger)
            workers.append(QueueWorker(plan: queue, clients: clients, pool: pool, handler: handler, polling: plan.polling,
                                       events: events, logger: log))
            if queue.server.timeouts.raised {
                log.notice("REQUESTS_TIMEOUT raised to the floors", metadata: [
                    "requested_s": "\(queue.server.timeouts.requested)", "api_s": "\(queue.server.timeouts.api)",
                    "download_s": "\(queue.server.timeouts.download)"])
            }
        }
        // Graceful shutdown reaches one service at a time, from the last to the first: readiness
        // turns false, every queue stops pulling at once (one service) and finishes what it holds,
        // then the endpoints stop, and the slot pool ends the helpers last.
        var all: [ServiceGroupConfiguration.ServiceConfiguration] =
            ([pool] + extra).map { .init(service: $0) } + [.init(service: QueueWorkers(workers: workers)), .init(service: ShutdownNotice(events: events))]
        if let until {
            all.append(.init(service: StopWhen(condition: until), successTerminationBehavior: .gracefullyShutdownGroup))
        }
        var configuration = ServiceGroupConfiguration(services: all, gracefulShutdownSignals: signals, cancellationSignals: [], logger: logger)
        configuration.maximumGracefulShutdownDuration = Duration.milliseconds(Int64(plan.shutdownGrace * 1000))
        return ServiceGroup(configuration: configuration)
    }
}

/// Reports the start of a graceful shutdown (readiness turns false at once).
private struct ShutdownNotice: Service {
    let events: any RuntimeEvents
    func run() async throws {
        try? await gracefulShutdown()
        events.shuttingDown()
    }
}

/// Returns when its condition does, which shuts the group down gracefully.
struct StopWhen: Service {
    let condition: @Sendable () async -> Void
    func run() async throws {
        try await cancelWhenGracefulShutdown { await condition() }
    }
}

/// Every queue's worker, as one service: a graceful shutdown stops them all at the same moment.
private struct QueueWorkers: Service {
    let workers: [QueueWorker]
    func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for worker in workers { group.addTask { try await worker.run() } }
        }
    }
}
