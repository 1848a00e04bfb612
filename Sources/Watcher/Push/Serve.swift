// Serve: the passive grader assembled (`polygrader serve`, docs/push-mode.md). The same queues,
// handlers, slots, limits and metrics as the watcher, but submissions arrive as HTTP requests from
// XQueue instead of being pulled; the graded reply is the response. One ServiceGroup: the slot pool,
// any operations services, and the push endpoint, which stops first on SIGTERM/SIGINT and lets the
// requests in flight finish.
import AsyncHTTPClient
import Foundation
import Grading
import Intake
import Languages
import Logging
import ServiceLifecycle
import UnixSignals

public enum Serve {
    /// Runs from a loaded configuration until SIGTERM/SIGINT: metrics, readiness and alerts as `Watch.run`.
    public static func run(configuration c: WatcherConfiguration, engine: GradingEngine, settings: PushSettings, logger: Logger) async throws {
        // No queue is polled, so none has a login state for readiness to wait on.
        let ops = try await OperationsAssembly.make(configuration: c, engine: engine, readinessQueues: [], logger: logger)
        let (events, languages, extra) = (ops.events, ops.languages, ops.services)
        logger.info("serving", metadata: ["listen": "\(settings.listen)", "queues": "\(c.queues.map(\.name).joined(separator: ","))",
                                          "slots": "\(engine.jail.instance.slots)", "isolation": "\(engine.jail.level.rawValue)"])
        try await run(plan: c.runtimePlan(), engine: engine, registry: languages, settings: settings, events: events,
                      extraServices: extra, logger: logger)
    }

    /// Runs the push endpoint until a graceful shutdown (a signal, or `until` returning). `onListening`
    /// receives the bound port (tests listen on port 0).
    public static func run(plan: RuntimePlan, engine: GradingEngine, registry: LanguageRegistry, settings: PushSettings,
                           events: any RuntimeEvents = NoRuntimeEvents(), extraServices: [any Service] = [],
                           shutdownSignals: [UnixSignal] = [.sigterm, .sigint], logger: Logger = Logger(label: "polygrader.push"),
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in },
                           until: (@Sendable () async -> Void)? = nil) async throws {
        let capacity = engine.jail.instance.slots
        let pool = SlotPool(jail: engine.jail, logger: logger, onBusyChange: { events.slotsBusy($0, of: capacity) })
        let handlers = plan.queues.map { SubmissionHandler.make(queue: $0, plan: plan, engine: engine, registry: registry, logger: logger) }
        let grader = PushGrader(handlers: handlers, pool: pool, settings: settings, events: events, logger: logger)
        let server = try PushServer(grader: grader, logger: logger, onServerRunning: onListening)
        // Graceful shutdown runs from the last service to the first: the endpoint finishes its requests,
        // then the operations services stop, and the pool ends the slot helpers last.
        var all: [ServiceGroupConfiguration.ServiceConfiguration] = ([pool] + extraServices + [server]).map { .init(service: $0) }
        if let until {
            all.append(.init(service: StopWhen(condition: until), successTerminationBehavior: .gracefullyShutdownGroup))
        }
        var configuration = ServiceGroupConfiguration(services: all, gracefulShutdownSignals: shutdownSignals, cancellationSignals: [], logger: logger)
        configuration.maximumGracefulShutdownDuration = Duration.milliseconds(Int64(plan.shutdownGrace * 1000))
        try await ServiceGroup(configuration: configuration).run()
    }
}
