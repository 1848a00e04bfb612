// The main job end to end: `polygrader -d CONFIG` (the binary, as an operator runs it) against a real
// edx-submissions 4.x server (Tests/Fixtures/edx-submissions), with an xqueue-watcher configuration in both
// forms: a JailedGrader handler with a CODEJAIL block for a legacy gradelib problem, and a multi-language
// handler for C, Java and Python problems (typed answers and uploads, an archive among them). The server's
// stored scores are the assertions; SIGTERM with a grading in flight exits 0 and the reply is stored.
// Run alone: swift test --filter WatcherEdxIntegrationTests.
import EdxFixture
import Foundation
import XCTest

final class WatcherEdxIntegrationTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path
    static var course: String { repository + "/examples/course" }
    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return ((exe as NSString).deletingLastPathComponent as NSString).appendingPathComponent("polygrader")
    }

    /// One submission and the points the server must store for it.
    struct Case {
        let queue: String
        let grader: String
        var answer = ""
        var files: [String: String] = [:]
        let points: Int
        let expected: Int
    }

    func cases(legacy: String, multi: String) throws -> [Case] {
        func text(_ path: String) throws -> String { try String(contentsOfFile: Self.course + "/" + path, encoding: .utf8) }
        return [
            Case(queue: legacy, grader: "gradelib-squares/grader.py", answer: try text("gradelib-squares/submissions/accepted/square.py"), points: 3, expected: 3),
            Case(queue: legacy, grader: "gradelib-squares/grader.py", answer: try text("gradelib-squares/submissions/wrong_answer/double.py"), points: 3, expected: 0),
            Case(queue: multi, grader: "c-sum", answer: try text("c-sum/submissions/accepted/sum.c"), points: 4, expected: 4),
            // 4 of 8 points: WA on the secret tests (EXPECTED.yml: score 0.5).
            Case(queue: multi, grader: "c-sum", answer: try text("c-sum/submissions/wrong_answer/int_overflow.c"), points: 4, expected: 2),
            Case(queue: multi, grader: "java-sum", files: ["Sum.java": try text("java-sum/submissions/accepted/Sum.java")], points: 2, expected: 2),
            Case(queue: multi, grader: "py-sum", answer: try text("py-sum/submissions/compile_error/missing_colon.py"), points: 5, expected: 0),
        ]
    }

    func startFixture() throws -> EdxSubmissionsFixture {
        do { return try EdxSubmissionsFixture.start() } catch let e as EdxFixtureUnavailable { throw XCTSkip(e.description) }
    }

    func testJSONDirectoryFormGradesAndStoresScores() throws {
        let fixture = try startFixture()
        defer { fixture.stop() }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/conf.d", withIntermediateDirectories: true)
        try write(dir + "/xqwatcher.json", """
        {"POLL_INTERVAL": 1, "REQUESTS_TIMEOUT": 1, "LOGIN_POLL_INTERVAL": 5,
         "POLYGRADER": {"slots": 2, "first_slot": 36, "idle_poll_interval": 2, "shutdown_grace": 60}}
        """)
        try write(dir + "/logging.json", #"{"version": 1, "root": {"level": "INFO", "handlers": []}}"#)
        try write(dir + "/conf.d/10-legacy.json", """
        {"it-legacy": {"SERVER": "\(fixture.url.absoluteString)", "AUTH": ["\(EdxSubmissionsFixture.username)", "\(EdxSubmissionsFixture.password)"],
          "CONNECTIONS": 1,
          "HANDLERS": [{"HANDLER": "xqueue_watcher.jailedgrader.JailedGrader",
                        "CODEJAIL": {"name": "python", "bin_path": "/usr/bin/python3", "user": "sandbox", "limits": {"CPU": 2, "VMEM": 536870912}},
                        "KWARGS": {"grader_root": "\(Self.course)"}}]}}
        """)
        try write(dir + "/conf.d/20-multi.json", """
        {"it-multi": {"SERVER": "\(fixture.url.absoluteString)", "AUTH": ["\(EdxSubmissionsFixture.username)", "\(EdxSubmissionsFixture.password)"],
          "CONNECTIONS": 2,
          "HANDLERS": [{"HANDLER": "xqueue_watcher.grader.Grader", "KWARGS": {"grader_root": "\(Self.course)"}}]}}
        """)
        try gradeAll(fixture: fixture, config: dir, cases: cases(legacy: "it-legacy", multi: "it-multi"))
    }

    func testYAMLFormGradesAndStoresScores() throws {
        let fixture = try startFixture()
        defer { fixture.stop() }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let auth = "[\"\(EdxSubmissionsFixture.username)\", \"\(EdxSubmissionsFixture.password)\"]"
        try write(dir + "/watcher.yml", """
        CLIENTS:
          - QUEUE_NAME: "yml-legacy"
            SERVER: "\(fixture.url.absoluteString)"
            CONNECTIONS: 1
            AUTH: \(auth)
            HANDLERS:
              - HANDLER: "xqueue_watcher.jailedgrader.JailedGrader"
                CODEJAIL: {name: "python", bin_path: "/usr/bin/python3", user: "sandbox", limits: {CPU: 2}}
                KWARGS: {grader_root: "\(Self.course)"}
          - QUEUE_NAME: "yml-multi"
            SERVER: "\(fixture.url.absoluteString)"
            CONNECTIONS: 2
            AUTH: \(auth)
            HANDLERS:
              - HANDLER: "xqueue_watcher.grader.Grader"
                KWARGS: {grader_root: "\(Self.course)"}
        MANAGER:
          POLL_INTERVAL: 1
        LOGGING:
          version: 1
          root: {level: INFO}
        POLYGRADER:
          slots: 2
          first_slot: 36
          idle_poll_interval: 2
        """)
        try gradeAll(fixture: fixture, config: dir + "/watcher.yml", cases: cases(legacy: "yml-legacy", multi: "yml-multi"))
    }

    /// Submits every case, runs the watcher until the server holds every score, asserts them, then
    /// SIGTERM: the process exits 0.
    func gradeAll(fixture: EdxSubmissionsFixture, config: String, cases: [Case]) throws {
        var ids: [(Case, Int)] = []
        for c in cases {
            ids.append((c, try fixture.submit(queue: c.queue, answer: c.answer, points: c.points, grader: c.grader, files: c.files)))
        }
        // A slow one last (a time limit, 2 s of CPU): SIGTERM arrives while it is graded.
        let slow = try fixture.submit(queue: cases[2].queue, answer: try String(contentsOfFile: Self.course + "/py-sum/submissions/time_limit_exceeded/blank_line_loop.py", encoding: .utf8),
                                      points: 2, grader: "py-sum")
        let watcher = try startWatcher(config: config)
        defer { if watcher.isRunning { kill(watcher.processIdentifier, SIGKILL); watcher.waitUntilExit() } }
        let deadline = Date().addingTimeInterval(240)
        var pending = ids
        while !pending.isEmpty, Date() < deadline, watcher.isRunning {
            pending = try pending.filter { (_, id) in (try fixture.score(id)["points_earned"] as? Int) == nil }
            if !pending.isEmpty { Thread.sleep(forTimeInterval: 0.5) }
        }
        XCTAssertTrue(watcher.isRunning, "the watcher exited early (status \(watcher.isRunning ? 0 : watcher.terminationStatus))")
        for (c, id) in ids {
            let stored = try fixture.score(id)
            XCTAssertEqual(stored["points_earned"] as? Int, c.expected, "\(c.grader) on \(c.queue): \(stored)")
            XCTAssertEqual(stored["points_possible"] as? Int, c.points)
        }
        // Wait until the slow one is pulled (in flight), then SIGTERM.
        while Date() < deadline, (try fixture.score(slow)["status"] as? String) == "pending" { Thread.sleep(forTimeInterval: 0.1) }
        kill(watcher.processIdentifier, SIGTERM)
        watcher.waitUntilExit()
        XCTAssertEqual(watcher.terminationReason, .exit)
        XCTAssertEqual(watcher.terminationStatus, 0, "SIGTERM must end the watcher with status 0")
        let slowScore = try fixture.score(slow)
        XCTAssertEqual(slowScore["points_earned"] as? Int, 0, "the submission in flight at SIGTERM was answered: \(slowScore)")
    }

    func startWatcher(config: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["-d", config]
        p.currentDirectoryURL = URL(fileURLWithPath: Self.repository)
        var env = ProcessInfo.processInfo.environment
        env["POLYGRADER_CACHE_DIR"] = FileManager.default.temporaryDirectory.appendingPathComponent("polygrader-it-cache").path
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return p
    }

    func temporaryDirectory() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("watcher-it-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    func write(_ path: String, _ text: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
}
