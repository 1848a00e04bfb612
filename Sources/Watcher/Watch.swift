// Watch: the main job from a loaded configuration, what `polygrader -d CONFIG` runs: the language
// registry, metrics, readiness, the operations endpoints and the alert webhook around the runtime.
import Foundation
import Languages
import Logging
import ServiceLifecycle

public enum Watch {
    /// Runs until SIGTERM/SIGINT (returns) or until a queue gives up (throws).
    public static func run(configuration c: WatcherConfiguration, engine: GradingEngine, logger: Logger) async throws {
        let ops = try await OperationsAssembly.make(configuration: c, engine: engine, readinessQueues: c.queues.map(\.name), logger: logger)
        let (events, languages) = (ops.events, ops.languages)
        let runtime = WatcherRuntime(plan: c.runtimePlan(), engine: engine, registry: languages, events: events, logger: logger)
        logger.info("watching", metadata: ["queues": "\(c.queues.map(\.name).joined(separator: ","))",
                                           "slots": "\(engine.jail.instance.slots)", "isolation": "\(engine.jail.level.rawValue)",
                                           "languages": "\(languages.enabled.map(\.profile.name).joined(separator: ","))"])
        try await runtime.run(extraServices: ops.services)
    }
}

/// The operations side of a run from a configuration, shared by the watcher and push mode: metrics,
/// readiness (isolation, languages, the queues whose login it waits for), the endpoints, the alert
/// webhook, and the language registry (self-tested, or from the cache) that readiness reports.
struct OperationsAssembly {
    let events: OperationsEvents
    let languages: LanguageRegistry
    let services: [any Service]

    static func make(configuration c: WatcherConfiguration, engine: GradingEngine, readinessQueues: [String], logger: Logger) async throws -> OperationsAssembly {
        let (metrics, registry) = WatcherMetrics.bootstrap()
        let status = WatcherStatus(queues: readinessQueues)
        await status.setIsolation(required: c.polygrader.minIsolation, available: engine.jail.level)
        var services: [any Service] = []
        if let address = c.polygrader.metricsAddress {
            services.append(try OperationsServer(address: address.description, status: status, registry: registry, logger: logger))
        }
        let languages = await engine.registry(logger: logger)
        await status.setLanguages(languages.languages.map(LanguageReport.init))
        for l in languages.languages { metrics.languageReady(l.name, l.enabled) }
        metrics.started(queues: c.queues.map(\.name), slots: engine.jail.instance.slots)
        var alerts: AlertNotifier?
        if let alertConfiguration = try c.alertConfiguration() {
            let notifier = AlertNotifier(configuration: alertConfiguration, logger: logger)
            alerts = notifier
            services.append(notifier)
        }
        return OperationsAssembly(events: OperationsEvents(metrics: metrics, status: status, alerts: alerts), languages: languages, services: services)
    }
}
