// The YAML form: xqueue-watcher's YAML example (docs/watcher-config.md) unchanged, MANAGER, LOGGING, and its own
// errors.
import Foundation
import Testing
import XQueue
@testable import Watcher

@Suite("Watcher config: the YAML form")
struct ConfigYAMLTests {
    /// xqueue-watcher's YAML example, with `LOGGING: {...}` written out.
    static let example = """
    CLIENTS:
      - QUEUE_NAME: "test-123"
        SERVER: "http://127.0.0.1:18040"
        CONNECTIONS: 2
        AUTH: ["lms", "password"]
        HANDLERS:
          - HANDLER: "xqueue_watcher.jailedgrader.JailedGrader"
            CODEJAIL: {name: "7qbwx", bin_path: "/path/to/venv/bin/python", user: "user2"}
            KWARGS: {grader_root: "/edx/data/MITx-7.QBWx/graders/"}
    MANAGER:            # optional, same keys as xqwatcher.json, plus IDLE_POLL_INTERVAL
      POLL_INTERVAL: 1
    LOGGING:
      version: 1
      root: {level: DEBUG}

    """

    @Test("xqueue-watcher's YAML example reads like its conf.d twin; -d and -f name the same file")
    func example() throws {
        let tree = try ConfigTree(["watcher.yml": Self.example])
        let config = try tree.load("watcher.yml")
        #expect(config.form == .yaml)
        let q = try #require(config.queues.first)
        #expect(config.queues.count == 1)
        #expect(q.name == "test-123")
        #expect(q.queueName == "test-123")
        #expect(q.server.absoluteString == "http://127.0.0.1:18040")
        #expect(q.credentials == XQueueConfiguration.Credentials(username: "lms", password: "password"))
        #expect(q.connections == 2)
        #expect(q.handler.kind == .jailed)
        #expect(q.handler.graderRoot == "/edx/data/MITx-7.QBWx/graders/")
        #expect(q.handler.codejail == CodejailSettings(name: "7qbwx", python: "/path/to/venv/bin/python"))
        #expect(q.handler.legacySettings().python == "/path/to/venv/bin/python")
        #expect(config.manager.pollInterval == 1)
        #expect(config.logging.level == .debug)
        #expect(tree.warnings(config) == [
            "watcher.yml: queue \"test-123\": HANDLERS[0].KWARGS.grader_root: /edx/data/MITx-7.QBWx/graders/ is not a directory: "
                + "until it is, every submission to this queue is answered with a \"not set up for automatic grading\" error",
            "watcher.yml: queue \"test-123\": HANDLERS[0].CODEJAIL.bin_path: /path/to/venv/bin/python is not an executable file: "
                + "legacy problems of this handler fail until it is",
            "watcher.yml: queue \"test-123\": HANDLERS[0].CODEJAIL.user: ignored: every run gets its own slot uid (uid_base + slot)",
        ])
    }

    @Test("MANAGER takes xqwatcher.json's keys and IDLE_POLL_INTERVAL, which sets our idle interval")
    func manager() throws {
        let config = try ConfigTree(["w.yaml": """
            MANAGER:
              HTTP_BASIC_AUTH: [web, secret]
              REQUESTS_TIMEOUT: 8
              LOGIN_POLL_INTERVAL: 2
              IDLE_POLL_INTERVAL: 50
            """]).load("w.yaml")
        #expect(config.queues.isEmpty)
        #expect(config.manager.httpBasicAuth == XQueueConfiguration.Credentials(username: "web", password: "secret"))
        #expect(config.manager.requestsTimeout == 8)
        #expect(config.manager.loginPollInterval == 2)
        #expect(config.polygrader.idlePollInterval == 50)
        let both = try ConfigTree(["w.yml": "MANAGER: {IDLE_POLL_INTERVAL: 50}\nPOLYGRADER: {idle_poll_interval: 40}\n"]).load("w.yml")
        #expect(both.polygrader.idlePollInterval == 40)
    }

    @Test("YAML 1.1 scalars type as PyYAML types them: yes is true, quoted numbers are strings")
    func scalars() throws {
        let tree = try ConfigTree(["w.yml": "MANAGER: {FOLLOW_CLIENT_REDIRECTS: no, POLL_TIME: '10'}\n"])
        #expect(tree.error("w.yml") == "w.yml: MANAGER.POLL_TIME: expected a number, found a string")
        let ok = try ConfigTree(["w.yml": "MANAGER: {FOLLOW_CLIENT_REDIRECTS: off}\n"]).load("w.yml")
        #expect(ok.manager.followClientRedirects == false)
    }

    @Test("a client without QUEUE_NAME, a name given twice, or SERVER_REF is an error naming it")
    func clientErrors() throws {
        let handler = "HANDLERS: [{HANDLER: polygrader, KWARGS: {grader_root: /tmp}}]"
        #expect(try ConfigTree(["w.yml": "CLIENTS:\n  - {\(handler)}\n"]).error("w.yml") == "w.yml: CLIENTS[0].QUEUE_NAME: missing")
        #expect(try ConfigTree(["w.yml": "CLIENTS:\n  - {QUEUE_NAME: a, \(handler)}\n  - {QUEUE_NAME: a, \(handler)}\n"]).error("w.yml")
            == "w.yml: queue \"a\": defined twice (first in w.yml)")
        #expect(try ConfigTree(["w.yml": "CLIENTS:\n  - {QUEUE_NAME: a, SERVER_REF: main, \(handler)}\n"]).error("w.yml")
            == "w.yml: queue \"a\": SERVER_REF: unknown server \"main\": there is no xqueue_servers.json")
        #expect(try ConfigTree(["w.yml": "CLIENTS:\n  - {QUEUE_NAME: a, CONNECTIONS: zero, \(handler)}\n"]).error("w.yml")
            == "w.yml: queue \"a\": CONNECTIONS: expected a whole number, found a string")
        #expect(try ConfigTree(["w.yml": "CLIENTS: {QUEUE_NAME: a}\n"]).error("w.yml") == "w.yml: CLIENTS: expected a list, found an object")
        #expect(try ConfigTree(["w.yml": "- CLIENTS\n"]).error("w.yml") == "w.yml: expected an object, found a list")
    }

    @Test("CLIENTS keep their order; unknown top-level and queue keys warn")
    func orderAndWarnings() throws {
        let handler = "HANDLERS: [{HANDLER: polygrader, KWARGS: {grader_root: /tmp}}]"
        let tree = try ConfigTree(["w.yml": "CLIENTS:\n  - {QUEUE_NAME: z, \(handler)}\n  - {QUEUE_NAME: a, EXTRA: 1, \(handler)}\nEXTRA_TOP: 1\n"])
        let config = try tree.load("w.yml")
        #expect(config.queues.map(\.name) == ["z", "a"])
        #expect(tree.warnings(config) == ["w.yml: queue \"a\": EXTRA: unknown key, ignored", "w.yml: EXTRA_TOP: unknown key, ignored"])
    }

    @Test("YAML that does not parse is an error with its line")
    func syntax() throws {
        #expect(try ConfigTree(["w.yml": "CLIENTS:\n  - QUEUE_NAME: [a\n"]).error("w.yml")
            == "w.yml: not valid YAML: line 3, column 1: did not find expected ',' or ']'")
        #expect(try ConfigTree(["w.yml": "MANAGER: {}\nMANAGER: {}\n"]).error("w.yml") == "w.yml: not valid YAML: line 1: duplicate key MANAGER")
    }
}
