// LegacyHostCompare without a jail: what it refuses to answer (so that the course side does) and the
// details of render.py it must reproduce (docs/legacy-graders.md, "The host's own comparison").
import Foundation
@testable import Grading
import Testing

@Suite("Legacy mode: the host's comparison, unit by unit")
struct LegacyHostRenderTests {
    static let staff = [LegacyHostCompare.StaffResult(short: "Test: f(2)", long: nil, expected: "4\n"),
                        LegacyHostCompare.StaffResult(short: "Test: f(3)", long: "three", expected: "9\n")]

    static func out(_ results: String, submission: String = #"{"status": "ok", "exception": null}"#) -> Data {
        Data(#"{"grader": {"status": "ok"}, "submission": \#(submission), "exceptions": 0, "results": \#(results)}"#.utf8 + [0x0a])
    }

    @Test("a record without host_compare, or with it false, is not used")
    func recordFlag() {
        let base = #"{"answer_code": "x", "results": [["Test: f(2)", null, "4\n"]], "seed_free": true"#
        #expect(LegacyHostCompare.staffResults(record: Data((base + "}").utf8)) == nil)
        #expect(LegacyHostCompare.staffResults(record: Data((base + #", "host_compare": false}"#).utf8)) == nil)
        #expect(LegacyHostCompare.staffResults(record: Data((base + #", "host_compare": true}"#).utf8))
            == [.init(short: "Test: f(2)", long: nil, expected: "4\n")])
        #expect(LegacyHostCompare.staffResults(record: Data(#"{"results": [["a", 5, "4"]], "host_compare": true}"#.utf8)) == nil,
                "a long description that is not text is rendered by Python's str(): the course side's")
    }

    @Test("outputs the host must leave to the course side", arguments: [
        "", "not json", #"{"stopped": "input_errors"}"#,
        #"{"grader": {"status": "error"}, "submission": {"status": "ok"}, "results": []}"#,
        #"{"grader": {"status": "ok"}, "submission": {"status": "error", "exception": ""}, "results": []}"#,
        #"{"grader": {"status": "ok"}, "submission": {"status": "ok"}, "results": [["Test: f(2)", null, "4\n"]]}"#,
        #"{"grader": {"status": "ok"}, "submission": {"status": "ok"}, "results": [["Test: g(2)", null, "4\n"], ["Test: f(3)", null, "9\n"]]}"#,
        #"{"grader": {"status": "ok"}, "submission": {"status": "ok"}, "results": [["Test: f(2)", null, "\ud800"], ["Test: f(3)", null, "9\n"]]}"#,
        "{\"grader\": {\"status\": \"ok\"}}\n{}",
    ])
    func leftToCourse(_ stdout: String) {
        #expect(LegacyHostCompare.reply(staff: Self.staff, learnerStdout: Data(stdout.utf8), hideOutput: false) == nil)
    }

    @Test("a pass and a failure: score, status and both templates")
    func graded() throws {
        let r = try #require(LegacyHostCompare.reply(staff: Self.staff,
                                                     learnerStdout: Self.out(#"[["Test: f(2)", null, "4\n"], ["Test: f(3)", "x", "<8>\n"]]"#), hideOutput: false))
        #expect(r.outcome == "graded" && r.reply.correct == false && r.reply.score == 0.5)
        #expect(r.reply.msg.contains("<div class=\"shortform\">\n    INCORRECT\n    </div>"))
        #expect(r.reply.msg.contains("<h4>Test: f(3)</h4>\n    <pre><p>three</p></pre>"), "the staff's long description")
        #expect(r.reply.msg.contains("<dd class=\"result-actual-output\"><pre>&lt;8&gt;\n</pre></dd>"))
        #expect(r.reply.msg.contains("<h4>Test: f(2)</h4>\n    <pre></pre>"))
    }

    @Test("hide_output shows no test; a learner exception is the only error")
    func hiddenAndException() throws {
        let hidden = try #require(LegacyHostCompare.reply(staff: Self.staff,
                                                          learnerStdout: Self.out(#"[["Test: f(2)", null, "4\n"], ["Test: f(3)", null, "9\n"]]"#), hideOutput: true))
        #expect(hidden.reply.correct && hidden.reply.score == 1 && !hidden.reply.msg.contains("<h4>"))
        let failed = try #require(LegacyHostCompare.reply(staff: Self.staff, learnerStdout: Self.out("[]",
            submission: #"{"status": "error", "exception": "Traceback\nZeroDivisionError: 'x'"}"#), hideOutput: false))
        #expect(failed.outcome == "learner_error" && !failed.reply.correct && failed.reply.score == 0)
        #expect(failed.reply.msg.contains("<li><pre>Traceback\nZeroDivisionError: &#x27;x&#x27;</pre></li>"))
    }

    @Test("Python's string equality and length: code points, not grapheme clusters")
    func codePoints() throws {
        let staff = [LegacyHostCompare.StaffResult(short: "t", long: nil, expected: "\u{E9}")]
        let decomposed = try #require(LegacyHostCompare.reply(staff: staff, learnerStdout: Self.out(#"[["t", null, "e\u0301"]]"#), hideOutput: false))
        #expect(decomposed.reply.correct == false, "é decomposed is not é precomposed in Python")
        let long = String(repeating: "e\u{301}", count: 2600) // 5200 code points, 2600 characters
        let json = String(decoding: try JSONSerialization.data(withJSONObject: [["t", NSNull(), long]]), as: UTF8.self)
        let cut = try #require(LegacyHostCompare.reply(staff: staff, learnerStdout: Self.out(json), hideOutput: false))
        #expect(cut.reply.msg.contains(String(repeating: "e\u{301}", count: 2500) + "...OUTPUT TRUNCATED</pre>"))
    }

    @Test("XML-forbidden characters become U+FFFD before HTML escaping")
    func escaping() {
        #expect(LegacyHostCompare.escape("a\u{1}b\u{FFFE}\t\n&\"") == "a\u{FFFD}b\u{FFFD}\t\n&amp;&quot;")
    }
}
