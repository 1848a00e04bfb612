// RuntimePlan from a watcher configuration: the one place where xqueue-watcher's keys and our
// POLYGRADER settings become the runtime's plan (docs/watcher-config.md says what each key does).
import Foundation
import Sandbox

extension RuntimePlan {
    /// The plan of a loaded configuration.
    public init(configuration c: WatcherConfiguration) {
        self.init(queues: c.queues.map { q in
            QueuePlan(name: q.name, pollName: q.queueName, server: c.xqueueConfiguration(for: q), connections: q.connections,
                             handlers: q.handlers.map { HandlerPlan(graderRoot: $0.graderRoot, legacy: $0.legacySettings()) },
                             filesBaseURL: q.filesBaseURL, downloadHosts: q.settings.downloadHosts,
                             downloadAddresses: c.polygrader.downloadAddresses,
                             scoreInPoints: q.settings.score == .points)
        })
        polling.interval = c.manager.pollInterval
        polling.idleInterval = max(c.manager.pollInterval, c.polygrader.idlePollInterval)
        polling.loginInterval = c.manager.loginPollInterval
        polling.loginFailureExitAfter = c.polygrader.loginFailureExitAfter
        shutdownGrace = c.polygrader.shutdownGrace
    }
}

extension EngineSettings {
    /// The engine of a loaded configuration: its profile directories, isolation level and slots.
    public init(configuration c: WatcherConfiguration) {
        let p = c.polygrader
        self.init(sandboxesDir: p.sandboxesDirectory, languagesDir: p.languagesDirectory, minIsolation: p.minIsolation,
                  instance: JailInstance(uidBase: p.uidBase, firstSlot: p.firstSlot, slots: p.slots,
                                         cgroupRoot: p.cgroupRoot ?? JailInstance.fromEnvironment.cgroupRoot))
    }
}
