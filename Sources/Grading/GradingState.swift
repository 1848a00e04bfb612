// GradingState: collects what grading found and turns it into the one GradeResult and reply.
import Foundation
import Sandbox

struct GradingState {
    let name: String
    var problem: Problem?
    var language: GradeResult.Language?
    var errors: [GradeError] = []
    var compile: CompileRecord?
    /// Learner files replaced by the problem's own copies, said in the feedback.
    var replaced: [String] = []

    init(name: String) { self.name = name }

    /// A submission that never reached its tests: payload/problem/internal errors (IE) or intake/language (CE).
    func failure(_ kind: GradeError.Kind, learner: String, staff: String, verdict: Verdict, started: Date) -> GradeResult {
        let shown = kind == .payload ? FeedbackRenderer.payloadErrorText : learner
        let msg = FeedbackRenderer.error(shown)
        var errs = errors
        errs.append(GradeError(kind: kind, message: shown, staff: staff))
        return GradeResult(problem: name, language: language, verdict: verdict, correct: false, score: 0, fraction: 0,
                           points: .init(earned: 0, possible: 0, maxPoints: problem?.maxPoints), reply: Reply(correct: false, score: 0, msg: msg),
                           compile: compile, tests: [], groups: [], errors: errs, durationS: Date().timeIntervalSince(started))
    }

    /// A submission rejected before its build (intake rule, language, missing file): every test shows CE.
    func rejected(_ message: String, options: GradeOptions, started: Date) -> GradeResult {
        guard let p = problem else { return failure(.intake, learner: message, staff: message, verdict: .CE, started: started) }
        var records: [TestRecord] = []
        for item in p.items {
            switch item {
            case .test(let t):
                var r = TestRecord(name: t.name, group: t.group, kind: "io", verdict: .CE, points: .init(earned: 0, possible: t.points),
                                   visibility: t.visibility, message: message)
                r.entry = t.entry
                records.append(r)
            case .suite(let s):
                records += SuiteRunner.missing(s, verdict: .CE, message: message, reported: [])
            }
        }
        var st = self
        st.errors.append(GradeError(kind: .intake, message: message, staff: message))
        return st.finish(tests: records, compileFailed: true, compileOutput: nil, options: options, started: started, ceMessage: message)
    }

    /// `skip_grader`: run nothing, full marks.
    func skipped(started: Date) -> GradeResult {
        let msg = "<div class=\"test\"><header>Test results</header><section><div class=\"shortform\">CORRECT</div><div class=\"longform\"><p>This submission was accepted without grading.</p></div></section></div>"
        return GradeResult(problem: name, language: nil, verdict: .AC, correct: true, score: 1, fraction: 1,
                           points: .init(earned: 0, possible: 0, maxPoints: problem?.maxPoints), reply: Reply(correct: true, score: 1, msg: msg),
                           compile: nil, tests: [], groups: [], errors: [], durationS: Date().timeIntervalSince(started))
    }

    /// The scored result of the tests that ran.
    func finish(tests: [TestRecord], compileFailed: Bool, compileOutput: String?, options: GradeOptions, started: Date,
                ceMessage: String? = nil) -> GradeResult {
        let p = problem!
        let groups = p.groups.filter { g in tests.contains { $0.group == g.name } }
        let (earned, possible, allPassed) = Scoring.totals(tests, groups: groups, mode: p.scoringMode)
        let fraction = possible > 0 ? earned / possible : (allPassed ? 1 : 0)
        let correct = fraction >= p.passThreshold - 1e-9
        var verdict: Verdict = tests.allSatisfy { $0.verdict == .AC } ? .AC : Verdict.worst(tests.map(\.verdict))
        if compileFailed { verdict = .CE }
        var errs = errors
        var score = Scoring.rounded(fraction)
        var reply: Reply
        if verdict == .IE {
            // A score from part of the tests would be wrong either way (§6.3).
            reply = Reply(correct: false, score: 0, msg: FeedbackRenderer.error(FeedbackRenderer.internalErrorText))
            score = 0
        } else {
            let content = FeedbackRenderer.Content(problem: p, tests: tests, correct: correct, earned: earned, possible: possible,
                                                   compileOutput: compileOutput, compileFailed: compileFailed,
                                                   hideOutput: p.hideOutput || options.hideOutput, replaced: replaced)
            // The watcher's cap, when it sets one, bounds the problem's (schemas.md §4.9).
            let maxBytes = min(p.maxBytes, options.maxFeedbackBytes ?? Int.max)
            var msg = ceMessage.map { FeedbackRenderer.error($0) } ?? FeedbackRenderer.render(content, maxBytes: maxBytes)
            if !XMLText.isWellFormed(msg) {
                errs.append(GradeError(kind: .internal, message: FeedbackRenderer.internalErrorText, staff: "feedback was not well-formed XML"))
                msg = FeedbackRenderer.error(FeedbackRenderer.internalErrorText)
                verdict = .IE
            }
            reply = Reply(correct: verdict == .IE ? false : correct, score: verdict == .IE ? 0 : score, msg: msg)
        }
        let groupRecords = groups.map { g -> GroupRecord in
            let members = tests.filter { $0.group == g.name }
            let pts = Scoring.groupPoints(tests, [g]).first!
            let skipped = members.first { $0.verdict == .SK }?.message
            return GroupRecord(name: g.name, verdict: members.allSatisfy { $0.verdict == .AC } ? .AC : Verdict.worst(members.map(\.verdict)),
                               points: .init(earned: pts.earned, possible: pts.possible),
                               skippedBecause: skipped.flatMap { $0.hasPrefix("Not run: ") ? String($0.dropFirst(9)) : nil })
        }
        return GradeResult(problem: name, language: language, verdict: verdict, correct: reply.correct, score: reply.score,
                           fraction: verdict == .IE ? 0 : fraction, points: .init(earned: earned, possible: possible, maxPoints: p.maxPoints ?? possible),
                           reply: reply, compile: compile, tests: tests, groups: groupRecords, errors: errs,
                           durationS: Date().timeIntervalSince(started))
    }
}
