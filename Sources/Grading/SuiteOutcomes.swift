// SuiteOutcomes: what a suite's report may add up to (docs/reference/problem-yml.md, "Unit-test suites";
// docs/reference/results.md, "Score and reply"), kept apart from the
// runner: at most `expect_tests` reported tests are counted, and internal failures keep a staff reason.
import Foundation

/// What one suite run returns to the test runner: its records, a failed build's compile record, staff notes.
struct SuiteRun {
    var records: [TestRecord]
    var compile: CompileRecord?
    var notes: [GradeError]
    init(_ records: [TestRecord], compile: CompileRecord? = nil, notes: [GradeError] = []) {
        self.records = records; self.compile = compile; self.notes = notes
    }
}

extension SuiteRunner {
    /// The reported tests that count: at most `expect_tests`, those named by an exact `weights` id
    /// first, then the others in report order. More than expected is the author's mistake or a flood
    /// from learner code (which runs in the test process and can write the report): either way the
    /// rest are not rows and earn nothing, the staff are told, and the learner gets the verdict earned,
    /// never an internal error (docs/NOTES.md).
    static func expected(_ outcomes: [UnitOutcome], _ s: Problem.Suite) -> (kept: [UnitOutcome], note: GradeError?) {
        guard outcomes.count > s.expectTests else { return (outcomes, nil) }
        let exact = Set(s.weights.map(\.key).filter { !$0.contains("*") && !$0.contains("?") })
        var keep = Set<Int>(), named = Set<String>()
        for (i, o) in outcomes.enumerated() where keep.count < s.expectTests && exact.contains(o.id) && named.insert(o.id).inserted {
            keep.insert(i)
        }
        for i in outcomes.indices where keep.count < s.expectTests { keep.insert(i) }
        let note = GradeError(kind: .problem, message: "",
                              staff: "suite \(s.name): the report has \(outcomes.count) tests, more than expect_tests (\(s.expectTests)); the others were ignored")
        return (outcomes.indices.filter(keep.contains).map { outcomes[$0] }, note)
    }

    /// IE for every expected test, with the reason staff will read.
    static func internalError(_ s: Problem.Suite, staff: String) -> [TestRecord] {
        missing(s, verdict: .IE, message: FeedbackRenderer.internalErrorText, reported: []).map { r in
            var r = r
            r.staffFeedback = staff
            return r
        }
    }
}
