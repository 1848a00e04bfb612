// Log lines: JSON objects (one per line, metadata as fields, numbers kept as numbers) or text.
import Foundation
import Logging
import Testing
@testable import Watcher

@Suite("Watcher log lines")
struct OperationsLoggingTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func append(_ s: String) { lock.withLock { items.append(s) } }
        var all: [String] { lock.withLock { items } }
    }

    func logger(_ format: LogFormat, level: Logger.Level = .info) -> (Logger, Lines) {
        let lines = Lines()
        let logger = Logger(label: "polygrader.watcher") { label in
            WatcherLogHandler(label: label, format: format, level: level, write: { lines.append($0) })
        }
        return (logger, lines)
    }

    @Test("JSON: one object per line with ts, level, label, message and the metadata as typed fields")
    func jsonLine() throws {
        let (log, lines) = logger(.json)
        var l = log
        l[metadataKey: "queue"] = "q1"
        l.info("graded \"hello\"\nsecond line", metadata: [
            "submission_id": "42", "language": "python", "verdict": "AC",
            WatcherLogging.Key.gradingMilliseconds: WatcherLogging.milliseconds(.microseconds(312_900)), "score": .stringConvertible(0.5), "cached": .stringConvertible(true),
            "tests": .array(["t1", "t2"]), "message": "collides",
        ])
        let line = try #require(lines.all.first)
        #expect(lines.all.count == 1)
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        #expect(line.hasPrefix("{\"ts\":\""))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(json["level"] as? String == "info")
        #expect(json["label"] as? String == "polygrader.watcher")
        #expect(json["message"] as? String == "graded \"hello\"\nsecond line")
        #expect(json["meta.message"] as? String == "collides")
        #expect(json["queue"] as? String == "q1")
        #expect(json["submission_id"] as? String == "42")
        #expect(json["verdict"] as? String == "AC")
        #expect(json["grading_ms"] as? Int == 312)
        #expect(json["score"] as? Double == 0.5)
        #expect(json["cached"] as? Bool == true)
        #expect(json["tests"] as? [String] == ["t1", "t2"])
        let ts = try #require(json["ts"] as? String)
        #expect(try Date(ts, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) <= Date())
    }

    @Test("JSON strings escape control characters")
    func escaping() {
        #expect(WatcherLogHandler.jsonString("a\u{01}b\t\\") == "\"a\\u0001b\\t\\\\\"")
    }

    @Test("text: TS LEVEL LABEL: MESSAGE key=value, values with spaces quoted")
    func textLine() throws {
        let (log, lines) = logger(.text)
        log.warning("put_result failed", metadata: ["queue": "q1", "error": "HTTP 500 from server"])
        let line = try #require(lines.all.first)
        let afterTimestamp = line.split(separator: " ", maxSplits: 1)[1]
        #expect(afterTimestamp == "warning polygrader.watcher: put_result failed error=\"HTTP 500 from server\" queue=q1\n")
    }

    @Test("messages below the level are dropped")
    func level() {
        let (log, lines) = logger(.json, level: .notice)
        log.info("dropped")
        log.notice("kept")
        #expect(lines.all.count == 1)
    }
}
