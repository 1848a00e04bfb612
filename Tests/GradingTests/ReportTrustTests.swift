// When a unit-test report counts: the nonce, a complete TAP stream on a clean exit, and a runner whose
// ending agrees with a report that says everything passed (docs/unit-suites.md).
import Foundation
@testable import Grading
import Sandbox
import Testing

@Suite("Trusting a unit-test report")
struct ReportTrustTests {
    /// A run record as polyjail writes it.
    static func run(_ status: String, exit: Int? = nil, signal: Int? = nil) -> RunResult {
        let json = """
            {"status": "\(status)", "exit_code": \(exit.map(String.init) ?? "null"), "signal": \(signal.map(String.init) ?? "null"),
             "cpu_s": 0.1, "cpu_user_s": 0.1, "cpu_system_s": 0, "wall_s": 0.2, "memory_peak_bytes": 1000,
             "stdout_bytes": 0, "stderr_bytes": 0, "stdout_truncated": false, "stderr_truncated": false}
            """
        return try! JSONDecoder().decode(RunResult.self, from: Data(json.utf8))
    }

    static func judge(_ format: String, _ text: String, _ run: RunResult, nonce: String? = nil) -> ReportTrust {
        let data = Data(text.utf8)
        return ReportTrust.judge(format: format, data: data, outcomes: UnitReportParser.parse(format: format, data: data, exitCode: run.exitCode, suite: "s"),
                                 run: run, nonce: nonce)
    }

    static let passingXML = #"<testsuites><testsuite name="N0NCE"><testcase classname="t" name="a"/><testcase classname="t" name="b"/></testsuite></testsuites>"#
    static let failingXML = #"<testsuites><testsuite name="N0NCE"><testcase classname="t" name="a"/><testcase classname="t" name="b"><failure message="x"/></testcase></testsuite></testsuites>"#

    @Test("a complete passing report from a runner that exited 0 is trusted")
    func clean() {
        #expect(Self.judge("junit-xml", Self.passingXML, Self.run("OK", exit: 0), nonce: "N0NCE") == .trusted)
        #expect(Self.judge("tap", "# nonce N0NCE\n1..2\nok 1 - a\nok 2 - b\n", Self.run("OK", exit: 0), nonce: "N0NCE") == .trusted)
    }

    @Test("a report without the run's nonce is refused, whatever it says")
    func nonceMissing() {
        guard case .refused(let why) = Self.judge("junit-xml", Self.passingXML, Self.run("OK", exit: 0), nonce: "0THER") else {
            Issue.record("not refused"); return
        }
        #expect(why.contains("nonce"))
        #expect(Self.judge("junit-xml", Self.failingXML, Self.run("RE", exit: 1), nonce: "0THER") != .trusted)
    }

    @Test("a report saying every test passed is refused when the runner failed, died or hit a limit")
    func passedButRunnerFailed() {
        for run in [Self.run("RE", exit: 1), Self.run("RE", exit: 3), Self.run("RE", signal: 11), Self.run("TLE", signal: 9)] {
            guard case .refused(let why) = Self.judge("junit-xml", Self.passingXML, run, nonce: "N0NCE") else {
                Issue.record("not refused: \(run.status) \(String(describing: run.exitCode))"); continue
            }
            #expect(why.contains("every test passed"))
        }
    }

    @Test("a report with a failure agrees with a failing runner, and with a runner that exits 0 regardless")
    func failuresAgree() {
        #expect(Self.judge("junit-xml", Self.failingXML, Self.run("RE", exit: 1), nonce: "N0NCE") == .trusted)
        #expect(Self.judge("junit-xml", Self.failingXML, Self.run("OK", exit: 0), nonce: "N0NCE") == .trusted)
    }

    @Test("a TAP stream cut short by a crash keeps its credit; cut short with exit 0 it is refused")
    func tapCutShort() {
        let partial = "1..3\nok 1 - a\nok 2 - b\n"
        #expect(Self.judge("tap", partial, Self.run("RE", signal: 11)) == .trusted)
        #expect(Self.judge("tap", partial, Self.run("TLE", signal: 9)) == .trusted)
        guard case .refused(let why) = Self.judge("tap", partial, Self.run("OK", exit: 0)) else { Issue.record("not refused"); return }
        #expect(why.contains("plan 1..3 with 2 results"))
        guard case .refused(let noPlan) = Self.judge("tap", "ok 1 - a\n", Self.run("OK", exit: 0)) else { Issue.record("not refused"); return }
        #expect(noPlan.contains("no plan"))
    }

    @Test("a missing or malformed report is missing, not refused; exit-code suites have no report to check")
    func missing() {
        #expect(ReportTrust.judge(format: "junit-xml", data: nil, outcomes: nil, run: Self.run("OK", exit: 0), nonce: "N") == .missing)
        #expect(Self.judge("junit-xml", "<testsuite><testcase", Self.run("OK", exit: 0)) == .missing)
        #expect(ReportTrust.judge(format: "exit-code", data: nil, outcomes: [UnitOutcome(id: "s", verdict: .AC)],
                                  run: Self.run("OK", exit: 0), nonce: nil) == .trusted)
    }
}
