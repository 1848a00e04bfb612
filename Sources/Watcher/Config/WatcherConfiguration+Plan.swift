// The configuration turned into what the runtime and the operations services take: RuntimePlan,
// EngineSettings, the alert notifier's configuration.
import Foundation
import Sandbox

extension WatcherConfiguration {
    /// The runtime's plan: every queue, the polling pauses, the shutdown grace.
    public func runtimePlan() -> RuntimePlan {
        var plan = RuntimePlan(queues: queues.map(queuePlan(for:)))
        plan.polling.interval = manager.pollInterval
        // The idle pause is where the growing pauses stop: never below the first one.
        plan.polling.idleInterval = max(polygrader.idlePollInterval, manager.pollInterval)
        plan.polling.loginInterval = manager.loginPollInterval
        plan.polling.loginFailureExitAfter = polygrader.loginFailureExitAfter
        plan.shutdownGrace = polygrader.shutdownGrace
        return plan
    }

    /// One queue's plan: its XQueue configuration, handlers (course directory and legacy settings), downloads, score.
    public func queuePlan(for queue: QueueConfiguration) -> QueuePlan {
        QueuePlan(name: queue.name, pollName: queue.queueName, server: xqueueConfiguration(for: queue),
                  connections: queue.connections,
                  handlers: queue.handlers.map { HandlerPlan(graderRoot: $0.graderRoot, legacy: $0.legacySettings()) },
                  filesBaseURL: queue.settings.filesBaseURL, downloadHosts: queue.settings.downloadHosts,
                  downloadAddresses: polygrader.downloadAddresses, scoreInPoints: queue.settings.score == .points)
    }

    /// The grading engine's settings: profile directories, isolation level, this process's slots.
    /// `environment` supplies `POLYGRADER_CGROUP_ROOT` when `cgroup_root` is not set.
    public func engineSettings(environment: [String: String] = ProcessInfo.processInfo.environment) -> EngineSettings {
        let instance = JailInstance(uidBase: polygrader.uidBase, firstSlot: polygrader.firstSlot, slots: polygrader.slots,
                                    cgroupRoot: polygrader.cgroupRoot ?? environment["POLYGRADER_CGROUP_ROOT"])
        return EngineSettings(sandboxesDir: polygrader.sandboxesDirectory, languagesDir: polygrader.languagesDirectory,
                              minIsolation: polygrader.minIsolation, instance: instance)
    }

    /// The alert notifier's configuration, or nil when `alert_webhook` is not set.
    public func alertConfiguration() throws -> AlertNotifier.Configuration? {
        guard let hook = polygrader.alertWebhook else { return nil }
        return try AlertNotifier.Configuration(webhook: hook.url, after: hook.afterSeconds,
                                               instance: polygrader.instance ?? ProcessInfo.processInfo.hostName)
    }
}
