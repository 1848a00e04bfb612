// The JSON directory form: xqueue-watcher's conf.d example unchanged, defaults, file order, server references.
import Foundation
import Sandbox
import Testing
import XQueue
@testable import Watcher

@Suite("Watcher config: the JSON directory form")
struct ConfigDirectoryTests {
    /// xqueue-watcher's conf.d example (docs/watcher-config.md), byte for byte.
    static let example = """
    {
      "test-123": {
        "SERVER": "http://127.0.0.1:18040",
        "AUTH": ["lms", "password"],
        "CONNECTIONS": 2,
        "HANDLERS": [
          {
            "HANDLER": "xqueue_watcher.jailedgrader.JailedGrader",
            "CODEJAIL": {"name": "python", "bin_path": "/usr/bin/python3", "user": "sandbox", "limits": {"CPU": 2, "VMEM": 536870912}},
            "KWARGS": {"grader_root": "/edx/data/course/graders/"}
          }
        ]
      }
    }
    """

    @Test("xqueue-watcher's conf.d example reads as one jailed queue with its CODEJAIL Python and limits")
    func example() throws {
        let tree = try ConfigTree(["conf.d/course.json": Self.example])
        let config = try tree.load()
        #expect(config.form == .directory)
        #expect(config.queues.count == 1)
        let q = try #require(config.queues.first)
        #expect(q.name == "test-123")
        #expect(q.queueName == "test-123")
        #expect(q.file == "conf.d/course.json")
        #expect(q.server.absoluteString == "http://127.0.0.1:18040")
        #expect(q.credentials == XQueueConfiguration.Credentials(username: "lms", password: "password"))
        #expect(q.connections == 2)
        #expect(q.handler.kind == .jailed)
        #expect(q.handler.name == "xqueue_watcher.jailedgrader.JailedGrader")
        #expect(q.handler.graderRoot == "/edx/data/course/graders/")
        #expect(q.handler.codejail == CodejailSettings(name: "python", python: "/usr/bin/python3",
                                                       limits: LimitLayer(cpu: 2, memory: 536870912)))
        let legacy = q.handler.legacySettings()
        #expect(legacy.python == "/usr/bin/python3")
        #expect(legacy.limits == LimitLayer(cpu: 2, memory: 536870912))
        #expect(tree.warnings(config) == [
            "conf.d/course.json: queue \"test-123\": HANDLERS[0].KWARGS.grader_root: /edx/data/course/graders/ is not a directory: "
                + "until it is, every submission to this queue is answered with a \"not set up for automatic grading\" error",
            "conf.d/course.json: queue \"test-123\": HANDLERS[0].CODEJAIL.user: ignored: every run gets its own slot uid (uid_base + slot)",
        ])
    }

    @Test("an empty directory has xqueue-watcher's defaults, ours, and no queue")
    func emptyDirectory() throws {
        let config = try ConfigTree([:]).load()
        #expect(config.queues.isEmpty)
        #expect(config.manager == ManagerSettings())
        #expect(config.manager.httpBasicAuth == nil)
        #expect(config.manager.pollTime == 10)
        #expect(config.manager.requestsTimeout == 1)
        #expect(config.manager.pollInterval == 1)
        #expect(config.manager.loginPollInterval == 5)
        #expect(config.manager.followClientRedirects == false)
        #expect(config.manager.idlePollInterval == nil)
        #expect(config.logging.level == .info)
        #expect(config.logging.format == .text)
        let p = config.polygrader
        #expect(p.slots == 3)
        #expect(p.uidBase == 60000)
        #expect(p.firstSlot == 0)
        #expect(p.cgroupRoot == nil)
        #expect(p.instance == nil)
        #expect(p.metricsAddress == nil)
        #expect(p.alertWebhook == nil)
        #expect(p.idlePollInterval == 30)
        #expect(p.loginFailureExitAfter == 600)
        #expect(p.shutdownGrace == 25)
        #expect(p.downloadAddresses.isEmpty)
        #expect(p.minIsolation == .full)
        #expect(p.languagesDirectory == nil)
        #expect(p.sandboxesDirectory == nil)
        #expect(p.queueDefaults == QueueSettings())
        #expect(config.warnings.isEmpty)
    }

    @Test("a queue with only HANDLERS polls its own name on localhost:18040 without login, once, with fraction scores")
    func queueDefaults() throws {
        let config = try ConfigTree(["conf.d/a.json": queueJSON("only-handlers")]).load()
        let q = try #require(config.queues.first)
        #expect(q.queueName == "only-handlers")
        #expect(q.server.absoluteString == "http://localhost:18040")
        #expect(q.serverReference == nil)
        #expect(q.credentials == nil)
        #expect(q.connections == 1)
        #expect(q.handler.kind == .multiLanguage)
        #expect(q.settings.score == .fraction)
        #expect(q.settings.verifyTLS)
        #expect(q.filesBaseURL == q.server)
        #expect(q.handler.legacySettings().python == "/usr/bin/python3")
        #expect(q.handler.legacySettings().limits == LimitLayer())
        #expect(config.warnings.isEmpty)
    }

    @Test("every manager key of xqwatcher.json is read; the XQueue configuration carries them")
    func managerKeys() throws {
        let tree = try ConfigTree([
            "xqwatcher.json": """
            {"HTTP_BASIC_AUTH": ["web", "secret"], "POLL_TIME": 4, "REQUESTS_TIMEOUT": 12.5, "POLL_INTERVAL": 0.5,
             "LOGIN_POLL_INTERVAL": 7, "FOLLOW_CLIENT_REDIRECTS": false, "IDLE_POLL_INTERVAL": 45}
            """,
            "conf.d/a.json": queueJSON(extra: #""AUTH": ["u", "p"], "SERVER": "https://xq.example.com/""#),
        ])
        let config = try tree.load()
        let m = config.manager
        #expect(m.httpBasicAuth == XQueueConfiguration.Credentials(username: "web", password: "secret"))
        #expect(m.pollTime == 4)
        #expect(m.requestsTimeout == 12.5)
        #expect(m.pollInterval == 0.5)
        #expect(m.loginPollInterval == 7)
        #expect(m.followClientRedirects == false)
        #expect(m.idlePollInterval == 45)
        #expect(config.polygrader.idlePollInterval == 45)
        let xq = config.xqueueConfiguration(for: config.queues[0])
        #expect(xq.server.absoluteString == "https://xq.example.com")
        #expect(xq.credentials == XQueueConfiguration.Credentials(username: "u", password: "p"))
        #expect(xq.basicAuth == XQueueConfiguration.Credentials(username: "web", password: "secret"))
        #expect(xq.verifyTLS)
        #expect(xq.timeouts == Timeouts(requested: 12.5))
        #expect(config.warnings.isEmpty)
    }

    @Test("REQUESTS_BASIC_AUTH is the old name of HTTP_BASIC_AUTH; when both are given the new one wins, with a warning")
    func basicAuthSynonym() throws {
        let old = try ConfigTree(["xqwatcher.json": #"{"REQUESTS_BASIC_AUTH": ["a", "b"]}"#]).load()
        #expect(old.manager.httpBasicAuth == XQueueConfiguration.Credentials(username: "a", password: "b"))
        #expect(old.warnings.isEmpty)
        let both = try ConfigTree(["xqwatcher.json": #"{"REQUESTS_BASIC_AUTH": ["a", "b"], "HTTP_BASIC_AUTH": ["c", "d"]}"#]).load()
        #expect(both.manager.httpBasicAuth == XQueueConfiguration.Credentials(username: "c", password: "d"))
        #expect(both.warningTexts == ["xqwatcher.json: REQUESTS_BASIC_AUTH: old name of HTTP_BASIC_AUTH, which is also given and wins; ignored"])
        let none = try ConfigTree(["xqwatcher.json": #"{"HTTP_BASIC_AUTH": null}"#]).load()
        #expect(none.manager.httpBasicAuth == nil)
    }

    @Test("FOLLOW_CLIENT_REDIRECTS true and unknown keys are warnings, never failures")
    func managerWarnings() throws {
        let config = try ConfigTree(["xqwatcher.json": #"{"FOLLOW_CLIENT_REDIRECTS": true, "MAX_THREADS": 4}"#]).load()
        #expect(config.manager.followClientRedirects)
        #expect(config.warningTexts == [
            "xqwatcher.json: FOLLOW_CLIENT_REDIRECTS: ignored: XQueue calls never follow redirects, because a redirect there "
                + "means the session expired and polygrader logs in again",
            "xqwatcher.json: MAX_THREADS: unknown key, ignored",
        ])
    }

    @Test("conf.d files load in sorted order, keys sorted within a file; hidden and non-JSON files are skipped")
    func sortedOrder() throws {
        let tree = try ConfigTree([
            "conf.d/b.json": queueJSON("from-b"),
            "conf.d/a.json": #"{"z-a": {"HANDLERS": [{"HANDLER": "polygrader", "KWARGS": {"grader_root": "/tmp"}}]}, "#
                + #""y-a": {"HANDLERS": [{"HANDLER": "polygrader", "KWARGS": {"grader_root": "/tmp"}}]}}"#,
            "conf.d/10.json": queueJSON("from-10"),
            "conf.d/9.json": queueJSON("from-9"),
            "conf.d/.hidden.json": queueJSON("hidden"),
            "conf.d/notes.txt": "not json",
            "conf.d/old.json.bak": "not json",
        ])
        let config = try tree.load()
        #expect(config.queues.map(\.name) == ["from-10", "from-9", "y-a", "z-a", "from-b"])
        #expect(config.queues.map(\.file) == ["conf.d/10.json", "conf.d/9.json", "conf.d/a.json", "conf.d/a.json", "conf.d/b.json"])
    }

    @Test("a queue name defined in two files is an error naming both")
    func duplicateQueue() throws {
        let tree = try ConfigTree(["conf.d/a.json": queueJSON("same"), "conf.d/b.json": queueJSON("same")])
        #expect(tree.error() == "conf.d/b.json: queue \"same\": defined twice (first in conf.d/a.json)")
    }

    @Test("NAME_OVERRIDE is the name polled; the key stays the queue's name")
    func nameOverride() throws {
        let config = try ConfigTree(["conf.d/a.json": queueJSON("local", extra: #""NAME_OVERRIDE": "remote-name""#)]).load()
        #expect(config.queues[0].name == "local")
        #expect(config.queues[0].queueName == "remote-name")
    }

    @Test("SERVER_REF takes the server and account from xqueue_servers.json")
    func serverReference() throws {
        let tree = try ConfigTree([
            "xqueue_servers.json": #"{"main": {"SERVER": "https://lms.example.com", "AUTH": ["grader", "pw"]}, "open": {"SERVER": "http://10.0.0.5:18040"}}"#,
            "conf.d/a.json": queueJSON("one", extra: #""SERVER_REF": "main""#),
            "conf.d/b.json": queueJSON("two", extra: #""SERVER_REF": "open""#),
        ])
        let config = try tree.load()
        #expect(config.queues[0].server.absoluteString == "https://lms.example.com")
        #expect(config.queues[0].credentials == XQueueConfiguration.Credentials(username: "grader", password: "pw"))
        #expect(config.queues[0].serverReference == "main")
        #expect(config.queues[1].server.absoluteString == "http://10.0.0.5:18040")
        #expect(config.queues[1].credentials == nil)
    }

    @Test("SERVER_REF with SERVER or AUTH, an unknown name, or no xqueue_servers.json is an error")
    func serverReferenceErrors() throws {
        let servers = #"{"main": {"SERVER": "https://lms.example.com"}}"#
        #expect(try ConfigTree(["xqueue_servers.json": servers,
                                "conf.d/a.json": queueJSON(extra: #""SERVER_REF": "main", "SERVER": "http://x""#)]).error()
            == "conf.d/a.json: queue \"q\": SERVER_REF: cannot be given with SERVER: SERVER_REF names both the server and its account")
        #expect(try ConfigTree(["xqueue_servers.json": servers,
                                "conf.d/a.json": queueJSON(extra: #""SERVER_REF": "main", "AUTH": ["u", "p"]"#)]).error()
            == "conf.d/a.json: queue \"q\": SERVER_REF: cannot be given with AUTH: SERVER_REF names both the server and its account")
        #expect(try ConfigTree(["xqueue_servers.json": servers, "conf.d/a.json": queueJSON(extra: #""SERVER_REF": "other""#)]).error()
            == "conf.d/a.json: queue \"q\": SERVER_REF: unknown server \"other\" (xqueue_servers.json defines: main)")
        #expect(try ConfigTree(["conf.d/a.json": queueJSON(extra: #""SERVER_REF": "main""#)]).error()
            == "conf.d/a.json: queue \"q\": SERVER_REF: unknown server \"main\": there is no xqueue_servers.json")
        #expect(try ConfigTree(["xqueue_servers.json": #"{"main": {"AUTH": ["u", "p"]}}"#]).error()
            == "xqueue_servers.json: main.SERVER: missing")
    }

    @Test("CLASS is accepted silently; an unknown queue key is a warning")
    func queueKeys() throws {
        let config = try ConfigTree(["conf.d/a.json": queueJSON(extra: #""CLASS": "xqueue_watcher.client.XQueueClientThread", "COLOR": "red""#)]).load()
        #expect(config.queues.count == 1)
        #expect(config.warningTexts == ["conf.d/a.json: queue \"q\": COLOR: unknown key, ignored"])
    }

    @Test("a file that is not a JSON object, or not JSON, is an error naming it")
    func notAnObject() throws {
        #expect(try ConfigTree(["conf.d/a.json": "[1, 2]"]).error() == "conf.d/a.json: expected an object, found a list")
        #expect(try ConfigTree(["xqwatcher.json": "\"text\""]).error() == "xqwatcher.json: expected an object, found a string")
        #expect(try ConfigTree(["conf.d/a.json": #"{"q": 3}"#]).error() == "conf.d/a.json: queue \"q\": expected an object, found a number")
        #expect(try ConfigTree(["conf.d/a.json": "{\"q\":\n  {,}}"]).error() == "conf.d/a.json: not valid JSON: line 2, column 4: Invalid value")
        #expect(try ConfigTree(["conf.d/empty.json": "\n"]).error() == "conf.d/empty.json: not valid JSON: the file is empty")
    }

    @Test("a path that does not exist is an error")
    func notFound() {
        #expect(throws: ConfigError.notFound(path: "/nonexistent/polygrader-config")) {
            try WatcherConfiguration.load(path: "/nonexistent/polygrader-config", environment: ConfigTree.environment)
        }
        #expect(ConfigError.notFound(path: "/x").description == "/x: no such file or directory")
    }
}
