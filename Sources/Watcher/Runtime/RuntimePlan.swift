// RuntimePlan: what the runtime needs from the configuration, already checked and resolved: the
// queues with their servers and handlers, the slots, the polling and shutdown settings. The config
// reader (Watcher/Config) builds it; tests and `demo` build it directly.
import Foundation
import Grading
import Intake
import XQueue

/// One queue to watch.
public struct QueuePlan: Sendable {
    /// The queue's key in the configuration (logs, metrics).
    public var name: String
    /// The queue name sent to the server (`NAME_OVERRIDE`, else `name`).
    public var pollName: String
    public var server: XQueueConfiguration
    /// Concurrent pollers (`CONNECTIONS`).
    public var connections: Int
    /// The handlers, tried in order: the first whose course directory holds the payload's grader.
    public var handlers: [HandlerPlan]
    /// Where relative `xqueue_files` values resolve (else the server).
    public var filesBaseURL: URL?
    /// Hosts (and addresses) downloads may reach besides the server and the files host.
    public var downloadHosts: [String]
    public var downloadAddresses: [String]
    /// Send the score as points out of the problem's `max_points` instead of a 0…1 fraction.
    public var scoreInPoints: Bool

    public init(name: String, pollName: String? = nil, server: XQueueConfiguration, connections: Int = 1,
                handlers: [HandlerPlan], filesBaseURL: URL? = nil, downloadHosts: [String] = [], downloadAddresses: [String] = [],
                scoreInPoints: Bool = false) {
        self.scoreInPoints = scoreInPoints
        self.name = name; self.pollName = pollName ?? name; self.server = server; self.connections = max(1, connections)
        self.handlers = handlers; self.filesBaseURL = filesBaseURL
        self.downloadHosts = downloadHosts; self.downloadAddresses = downloadAddresses
    }
}

/// One handler of a queue: a course directory and the legacy mode's Python and limits.
public struct HandlerPlan: Sendable {
    /// `KWARGS.grader_root`: payload grader paths resolve under it.
    public var graderRoot: String
    /// The `CODEJAIL` block, mapped (legacy gradelib problems).
    public var legacy: LegacySettings

    public init(graderRoot: String, legacy: LegacySettings = LegacySettings()) {
        self.graderRoot = graderRoot; self.legacy = legacy
    }
}

/// How queues are polled (docs/watcher.md, "Polling").
public struct PollingSettings: Sendable, Equatable {
    /// The first pause on an empty queue (`POLL_INTERVAL`).
    public var interval: Double = 1
    /// The longest pause on an idle queue: 30 s keeps an idle queue at 2 requests a minute.
    public var idleInterval: Double = 30
    /// The first pause after an error; doubles up to `errorMaximum`.
    public var errorInitial: Double = 1
    public var errorMaximum: Double = 60
    /// The pause between login attempts (`LOGIN_POLL_INTERVAL`).
    public var loginInterval: Double = 5
    /// A queue whose login has been refused this long ends the process (non-zero), so that its
    /// supervisor restarts it and someone looks; nil: keep trying.
    public var loginFailureExitAfter: Double? = 600

    public init() {}
}

/// Everything the runtime runs.
public struct RuntimePlan: Sendable {
    public var queues: [QueuePlan]
    public var polling = PollingSettings()
    /// How long in-flight gradings may take to finish and post after SIGTERM.
    public var shutdownGrace: Double = 60
    /// Downloads: caps and timeouts (the download timeout is never below XQueue's floor).
    public var downloadLimits = DownloadLimits()

    public init(queues: [QueuePlan]) { self.queues = queues }
}
