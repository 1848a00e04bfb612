// The configuration handed to the runtime: RuntimePlan, EngineSettings, the alert notifier.
import Foundation
import Sandbox
import Testing
import XQueue
@testable import Watcher

@Suite("Watcher config: the runtime's plan")
struct ConfigPlanTests {
    static let files = [
        "xqwatcher.json": #"""
            {"HTTP_BASIC_AUTH": ["web", "pw"], "REQUESTS_TIMEOUT": 10, "POLL_INTERVAL": 2, "LOGIN_POLL_INTERVAL": 9,
             "POLYGRADER": {"slots": 4, "first_slot": 4, "uid_base": 61000, "idle_poll_interval": 40, "login_failure_exit_after": null,
                            "shutdown_grace": 12, "download_addresses": ["127.0.0.1"], "download_hosts": ["cdn.example.com"],
                            "min_isolation": "no-cgroup", "languages_dir": "/l", "sandboxes_dir": "/s",
                            "alert_webhook": {"url": "https://hooks.example.com/a", "after_seconds": 90}, "instance": "grader-1"}}
            """#,
        "conf.d/course.json": #"""
            {"course-a": {"SERVER": "http://xq.example.com", "AUTH": ["lms", "secret"], "CONNECTIONS": 3, "NAME_OVERRIDE": "remote-a",
                          "POLYGRADER": {"score": "points", "files_base_url": "https://files.example.com/", "download_hosts": ["b.example.com"]},
                          "HANDLERS": [{"HANDLER": "xqueue_watcher.jailedgrader.JailedGrader", "KWARGS": {"grader_root": "/tmp"},
                                        "CODEJAIL": {"bin_path": "/bin/sh", "limits": {"CPU": 4}}},
                                       {"HANDLER": "polygrader", "KWARGS": {"grader_root": "/"}}]}}
            """#,
    ]

    @Test("the runtime plan carries every queue's server, handlers, downloads and score, and the polling settings")
    func runtimePlan() throws {
        let config = try ConfigTree(Self.files).load()
        let plan = config.runtimePlan()
        #expect(plan.queues.count == 1)
        let q = try #require(plan.queues.first)
        #expect(q.name == "course-a")
        #expect(q.pollName == "remote-a")
        #expect(q.connections == 3)
        #expect(q.server.server.absoluteString == "http://xq.example.com")
        #expect(q.server.credentials == XQueueConfiguration.Credentials(username: "lms", password: "secret"))
        #expect(q.server.basicAuth == XQueueConfiguration.Credentials(username: "web", password: "pw"))
        #expect(q.server.timeouts == Timeouts(requested: 10))
        #expect(q.handlers.map(\.graderRoot) == ["/tmp", "/"])
        #expect(q.handlers[0].legacy.python == "/bin/sh")
        #expect(q.handlers[0].legacy.limits == LimitLayer(cpu: 4))
        #expect(q.handlers[1].legacy.python == "/usr/bin/python3")
        #expect(q.filesBaseURL?.absoluteString == "https://files.example.com/")
        #expect(q.downloadHosts == ["cdn.example.com", "b.example.com"])
        #expect(q.downloadAddresses == ["127.0.0.1"])
        #expect(q.scoreInPoints)
        #expect(plan.polling.interval == 2)
        #expect(plan.polling.idleInterval == 40)
        #expect(plan.polling.loginInterval == 9)
        #expect(plan.polling.loginFailureExitAfter == nil)
        #expect(plan.shutdownGrace == 12)
    }

    @Test("an unchanged xqueue-watcher config gives the default plan: fraction scores, 30 s idle, exit after 600 s of refused login")
    func defaults() throws {
        let plan = try ConfigTree(["conf.d/a.json": queueJSON()]).load().runtimePlan()
        #expect(plan.queues[0].scoreInPoints == false)
        #expect(plan.queues[0].filesBaseURL == nil)
        #expect(plan.queues[0].server.verifyTLS)
        #expect(plan.polling.interval == 1)
        #expect(plan.polling.idleInterval == 30)
        #expect(plan.polling.loginInterval == 5)
        #expect(plan.polling.loginFailureExitAfter == 600)
        #expect(plan.shutdownGrace == 25)
        let slow = try ConfigTree(["xqwatcher.json": #"{"POLL_INTERVAL": 45}"#]).load().runtimePlan()
        #expect(slow.polling.idleInterval == 45)
    }

    @Test("the engine settings carry the profile directories, the isolation level and this process's slots")
    func engineSettings() throws {
        let config = try ConfigTree(Self.files).load()
        let engine = config.engineSettings(environment: ["POLYGRADER_CGROUP_ROOT": "/sys/fs/cgroup/x"])
        #expect(engine.languagesDir == "/l")
        #expect(engine.sandboxesDir == "/s")
        #expect(engine.minIsolation == .noCgroup)
        #expect(engine.instance == JailInstance(uidBase: 61000, firstSlot: 4, slots: 4, cgroupRoot: "/sys/fs/cgroup/x"))
        let own = try ConfigTree(["xqwatcher.json": #"{"POLYGRADER": {"cgroup_root": "/sys/fs/cgroup/mine"}}"#]).load()
        #expect(own.engineSettings(environment: ["POLYGRADER_CGROUP_ROOT": "/other"]).instance.cgroupRoot == "/sys/fs/cgroup/mine")
        #expect(own.engineSettings(environment: [:]).instance.slots == 3)
    }

    @Test("the alert configuration comes from alert_webhook and instance; none without a webhook")
    func alerts() throws {
        let alert = try #require(try ConfigTree(Self.files).load().alertConfiguration())
        #expect(alert.webhook.absoluteString == "https://hooks.example.com/a")
        #expect(alert.after == 90)
        #expect(alert.instance == "grader-1")
        #expect(try ConfigTree([:]).load().alertConfiguration() == nil)
    }
}
