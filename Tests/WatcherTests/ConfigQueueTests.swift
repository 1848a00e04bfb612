// Queue keys: values of the wrong type or out of range are errors that name file, queue and key.
import Foundation
import Testing
import XQueue
@testable import Watcher

@Suite("Watcher config: queue values")
struct ConfigQueueTests {
    private func error(_ extra: String) throws -> String? {
        try ConfigTree(["conf.d/course.json": queueJSON("test-123", extra: extra)]).error()
    }

    @Test("CONNECTIONS must be a whole number of at least 1")
    func connections() throws {
        #expect(try error(#""CONNECTIONS": 0"#) == "conf.d/course.json: queue \"test-123\": CONNECTIONS: must be at least 1")
        #expect(try error(#""CONNECTIONS": "2""#)
            == "conf.d/course.json: queue \"test-123\": CONNECTIONS: expected a whole number, found a string")
        #expect(try error(#""CONNECTIONS": 1.5"#)
            == "conf.d/course.json: queue \"test-123\": CONNECTIONS: expected a whole number, found a number")
    }

    @Test("SERVER must be an http or https URL")
    func server() throws {
        #expect(try error(#""SERVER": "ftp://files.example.com""#)
            == "conf.d/course.json: queue \"test-123\": SERVER: \"ftp://files.example.com\" is not an http or https URL")
        #expect(try error(#""SERVER": "localhost:18040""#)
            == "conf.d/course.json: queue \"test-123\": SERVER: \"localhost:18040\" is not an http or https URL")
    }

    @Test("AUTH is [user, password]; null or [null, null] means no login")
    func auth() throws {
        #expect(try error(#""AUTH": ["only-user"]"#) == "conf.d/course.json: queue \"test-123\": AUTH: expected [user, password]")
        #expect(try error(#""AUTH": "user:pass""#) == "conf.d/course.json: queue \"test-123\": AUTH: expected a list, found a string")
        #expect(try error(#""AUTH": ["user", true]"#) == "conf.d/course.json: queue \"test-123\": AUTH[1]: expected a string, found a boolean")
        let numeric = try ConfigTree(["w.yml": "CLIENTS:\n  - {QUEUE_NAME: 6001, NAME_OVERRIDE: 6002, AUTH: [lms, 12345], "
                                      + "HANDLERS: [{HANDLER: polygrader, KWARGS: {grader_root: /tmp}}]}\n"]).load("w.yml")
        #expect(numeric.queues[0].name == "6001")
        #expect(numeric.queues[0].queueName == "6002")
        #expect(numeric.queues[0].credentials == .init(username: "lms", password: "12345"))
        let none = try ConfigTree(["conf.d/a.json": queueJSON(extra: #""AUTH": [null, null]"#),
                                   "conf.d/b.json": queueJSON("r", extra: #""AUTH": null"#)]).load()
        #expect(none.queues.map(\.credentials) == [nil, nil])
    }

    @Test("a queue's description for log lines never shows the password")
    func description() throws {
        let config = try ConfigTree(["conf.d/a.json": queueJSON("local", extra: #""NAME_OVERRIDE": "remote", "AUTH": ["lms", "s3cret"], "CONNECTIONS": 2"#)]).load()
        #expect(config.queues[0].description == "queue \"local\" (polled as \"remote\") on http://localhost:18040 as lms, 2 connections")
    }

    @Test("HANDLERS is required and not empty; several are kept in order")
    func handlers() throws {
        #expect(try ConfigTree(["conf.d/course.json": #"{"test-123": {"SERVER": "http://x"}}"#]).error()
            == "conf.d/course.json: queue \"test-123\": HANDLERS: missing")
        #expect(try ConfigTree(["conf.d/course.json": #"{"test-123": {"HANDLERS": []}}"#]).error()
            == "conf.d/course.json: queue \"test-123\": HANDLERS: empty: a queue needs a handler")
        let two = try ConfigTree(["conf.d/a.json": #"{"q": {"HANDLERS": [{"HANDLER": "polygrader", "KWARGS": {"grader_root": "/tmp"}}, "#
                                  + #"{"HANDLER": "xqueue_watcher.jailedgrader.JailedGrader", "KWARGS": {"grader_root": "/"}}]}}"#]).load()
        #expect(two.queues[0].handlers.count == 2)
        #expect(two.queues[0].handler.kind == .multiLanguage)
        #expect(two.queues[0].handlers.map(\.graderRoot) == ["/tmp", "/"])
        #expect(two.warnings.isEmpty)
    }

    @Test("manager values of the wrong type are errors naming the key")
    func managerTypes() throws {
        #expect(try ConfigTree(["xqwatcher.json": #"{"POLL_INTERVAL": "1"}"#]).error()
            == "xqwatcher.json: POLL_INTERVAL: expected a number, found a string")
        #expect(try ConfigTree(["xqwatcher.json": #"{"POLL_TIME": -1}"#]).error() == "xqwatcher.json: POLL_TIME: must be at least 0")
        #expect(try ConfigTree(["xqwatcher.json": #"{"REQUESTS_TIMEOUT": 0}"#]).error() == "xqwatcher.json: REQUESTS_TIMEOUT: must be more than 0")
        #expect(try ConfigTree(["xqwatcher.json": #"{"FOLLOW_CLIENT_REDIRECTS": 1}"#]).error()
            == "xqwatcher.json: FOLLOW_CLIENT_REDIRECTS: expected true or false, found a number")
        #expect(try ConfigTree(["xqwatcher.json": #"{"HTTP_BASIC_AUTH": ["a", "b", "c"]}"#]).error()
            == "xqwatcher.json: HTTP_BASIC_AUTH: expected [user, password]")
        #expect(try ConfigTree(["xqwatcher.json": #"{"IDLE_POLL_INTERVAL": 0.5}"#]).error()
            == "xqwatcher.json: IDLE_POLL_INTERVAL: must be at least 1")
    }
}
