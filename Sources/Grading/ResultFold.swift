// ResultFold: the one place that folds what grading found (the runners' records, the compile record,
// staff notes) into the GradeResult and its reply. Runners return records; nothing else mutates them.
import Foundation
import Logging
import Sandbox

/// What the tests of one submission produced, returned by the runners and folded once.
struct TestsOutcome {
    var records: [TestRecord] = []
    var compile: CompileRecord?
    var compileFailed = false
    var compileOutput: String?
    /// Staff-only notes (a report with more tests than expected, …): never shown to the learner.
    var notes: [GradeError] = []
}

struct ResultFold {
    let name: String
    let logger: Logger
    var problem: Problem?
    var language: GradeResult.Language?
    /// Learner files replaced by the problem's own copies, said in the feedback.
    var replaced: [String] = []

    init(name: String, logger: Logger) { self.name = name; self.logger = logger }

    /// Grading stopped on `error`: through ErrorPresentation, a learner's mistake is a CE on every test
    /// with their message, anything else an IE whose detail only staff read.
    func stopped(_ error: GradingError, options: GradeOptions, started: Date) -> GradeResult {
        ErrorPresentation.log(error, problem: name, logger: logger)
        if error.verdict == .CE, problem != nil { return rejected(error.learnerText, options: options, started: started) }
        let entry = GradeError(kind: error.kind, message: error.learnerText, staff: error.staffText)
        return GradeResult(problem: name, language: language, verdict: error.verdict, correct: false, score: 0, fraction: 0,
                           points: .init(earned: 0, possible: 0, maxPoints: problem?.maxPoints),
                           reply: Reply(correct: false, score: 0, msg: FeedbackRenderer.error(error.learnerText)),
                           compile: nil, tests: [], groups: [], errors: [entry], durationS: Date().timeIntervalSince(started))
    }

    /// A submission rejected before its build (intake rule, language, missing file): every test shows CE.
    private func rejected(_ message: String, options: GradeOptions, started: Date) -> GradeResult {
        let p = problem!
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
        let outcome = TestsOutcome(records: records, compileFailed: true, notes: [GradeError(kind: .intake, message: message, staff: message)])
        return finish(outcome, options: options, started: started, ceMessage: message)
    }

    /// `skip_grader`: run nothing, full marks.
    /// The problem's feedback template when it has one and its output is acceptable, else the default HTML
    /// (a refused template output is logged for staff: the learner still gets a reply).
    func renderFeedback(_ content: FeedbackRenderer.Content, maxBytes: Int) -> String {
        if let file = content.problem.feedbackTemplate {
            switch FeedbackTemplate.render(file.template, content, maxBytes: maxBytes) {
            case .success(let html): return html
            case .failure(let refusal):
                logger.warning("feedback template not used", metadata: ["problem": "\(name)", "template": "\(file.path)",
                                                                        "staff": "\(refusal.reason); the default feedback was posted"])
            }
        }
        return FeedbackRenderer.render(content, maxBytes: maxBytes)
    }

    func skipped(started: Date) -> GradeResult {
        let msg = "<div class=\"test\"><header>Test results</header><section><div class=\"shortform\">CORRECT</div><div class=\"longform\"><p>This submission was accepted without grading.</p></div></section></div>"
        return GradeResult(problem: name, language: nil, verdict: .AC, correct: true, score: 1, fraction: 1,
                           points: .init(earned: 0, possible: 0, maxPoints: problem?.maxPoints), reply: Reply(correct: true, score: 1, msg: msg),
                           compile: nil, tests: [], groups: [], errors: [], durationS: Date().timeIntervalSince(started))
    }

    /// The scored result of the tests that ran.
    func finish(_ outcome: TestsOutcome, options: GradeOptions, started: Date, ceMessage: String? = nil) -> GradeResult {
        let p = problem!
        // IE rows are screened here, once, whichever runner produced them.
        let (tests, internalError) = ErrorPresentation.screen(outcome.records, problem: name, logger: logger)
        let compileFailed = outcome.compileFailed, compileOutput = outcome.compileOutput, compile = outcome.compile
        let groups = p.groups.filter { g in tests.contains { $0.group == g.name } }
        let (earned, possible, allPassed) = Scoring.totals(tests, groups: groups, mode: p.scoringMode)
        let fraction = possible > 0 ? earned / possible : (allPassed ? 1 : 0)
        let correct = fraction >= p.passThreshold - 1e-9
        var verdict: Verdict = tests.allSatisfy { $0.verdict == .AC } ? .AC : Verdict.worst(tests.map(\.verdict))
        if compileFailed { verdict = .CE }
        var errs = outcome.notes + (internalError.map { [$0] } ?? [])
        var score = Scoring.rounded(fraction)
        var reply: Reply
        if verdict == .IE {
            // A score from part of the tests would be wrong either way (docs/reference/results.md, "Every error gets a
            // reply").
            reply = Reply(correct: false, score: 0, msg: FeedbackRenderer.error(FeedbackRenderer.internalErrorText))
            score = 0
        } else {
            let content = FeedbackRenderer.Content(problem: p, tests: tests, correct: correct, earned: earned, possible: possible,
                                                   compileOutput: compileOutput, compileFailed: compileFailed,
                                                   hideOutput: p.hideOutput || options.hideOutput, replaced: replaced)
            // The watcher's cap, when it sets one, bounds the problem's (docs/reference/problem-yml.md, "Feedback").
            let maxBytes = min(p.maxBytes, options.maxFeedbackBytes ?? Int.max)
            var msg = ceMessage.map { FeedbackRenderer.error($0) } ?? renderFeedback(content, maxBytes: maxBytes)
            if !XMLText.isWellFormed(msg) {
                let e = GradingError.internal("feedback was not well-formed XML")
                ErrorPresentation.log(e, problem: name, logger: logger)
                errs.append(GradeError(kind: e.kind, message: e.learnerText, staff: e.staffText))
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
