// ReportTrust: whether a unit-test report is believed. The learner's code runs in the test
// process and can write files, print TAP or exit early, so a report counts only if it carries the
// run's nonce (when the framework was given one) and agrees with how the runner ended
// (docs/unit-suites.md, "What polygrader does").
import Foundation
import Sandbox

enum ReportTrust: Equatable {
    /// The report's verdicts stand.
    case trusted
    /// No report, or one that does not parse: every expected test gets the run's verdict.
    case missing
    /// A report that is ignored; the reason is for staff.
    case refused(String)

    /// Judges a report (`outcomes` as parsed, before the suite's own tests are picked out).
    static func judge(format: String, data: Data?, outcomes: [UnitOutcome]?, run: RunResult, nonce: String?) -> ReportTrust {
        // exit-code suites have no report: the exit status is the whole outcome.
        if format == "exit-code" { return .trusted }
        guard let data, let outcomes else { return .missing }
        if let nonce, data.range(of: Data(nonce.utf8)) == nil {
            return .refused("the report does not carry this run's nonce (written by something other than the framework?)")
        }
        let cleanExit = run.status == .OK && run.exitCode == 0 && run.signal == nil
        if format == "tap", let problem = tapIncomplete(data, results: outcomes.count), cleanExit {
            return .refused("the runner exited 0 but the TAP stream is incomplete: \(problem)")
        }
        // Runners exit non-zero when a test fails: a report where every test passed, from a runner that
        // failed, died or hit a limit, was not written by a run that finished. A partial report from a
        // crash is not a claim that all passed and keeps its credit (docs/reference/language-profiles.md, "Frameworks"
        // "Ending").
        let claimsAllPassed = !outcomes.isEmpty && outcomes.allSatisfy { $0.verdict == .AC || $0.verdict == .SK }
            && (format != "tap" || tapIncomplete(data, results: outcomes.count) == nil)
        if claimsAllPassed && !cleanExit {
            return .refused("the report says every test passed but the runner ended with \(ending(run))")
        }
        return .trusted
    }

    /// Why a TAP stream is incomplete (no plan, or fewer or more results than planned), or nil.
    static func tapIncomplete(_ data: Data, results: Int) -> String? {
        var planned: Int?
        for raw in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("1..") else { continue }
            let digits = line.dropFirst(3).prefix { $0.isNumber }
            guard !digits.isEmpty, let n = Int(digits) else { continue }
            if planned != nil { return "more than one plan" }
            planned = n
        }
        guard let planned else { return "no plan line (1..N)" }
        return planned == results ? nil : "plan 1..\(planned) with \(results) results"
    }

    static func ending(_ run: RunResult) -> String {
        if run.status != .OK && run.status != .RE { return "status \(run.status.rawValue)" }
        if let s = run.signalName ?? run.signal.map({ "signal \($0)" }) { return s }
        return "exit code \(run.exitCode.map(String.init) ?? "unknown")"
    }
}
