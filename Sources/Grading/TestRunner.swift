// TestRunner: the tests of one submission in file order: dependencies and stop_on_failure,
// stdin/stdout tests in fresh boxes with their checker, unit-test suites with their reports.
import Foundation
import Intake
import Languages
import Logging
import Sandbox

struct TestContext {
    let problem: Problem
    let lang: ResolvedLanguage
    let runner: LanguageRunner
    let baseLimits: LimitLayer
    let options: GradeOptions
    let runFiles: [BoxEntry]
    let logger: Logger
    let registry: LanguageRegistry
    let checkers = CheckerBuilds()

    var selection: [String]? { options.tests ?? problem.select }

    func selected(_ names: [String]) -> Bool {
        guard let sel = selection else { return true }
        return names.contains { sel.contains($0) }
    }

    /// Runs the selected tests in file order and returns their records; a build that cannot start
    /// throws (the learner's BuildRejection, or the jail's failure).
    func runAll(sources: [SourceFile]) async throws -> TestsOutcome {
        let items = problem.items.filter { item in
            switch item {
            case .test(let t): return selected([t.name, t.entry] + (t.group.map { [$0] } ?? []))
            case .suite(let s): return selected([s.name])
            }
        }
        let hasIO = items.contains { if case .test = $0 { return true } else { return false } }
        var outcome = TestsOutcome()
        var build: Build?
        if hasIO {
            do {
                build = try await runner.build(lang, sources: sources, main: problem.mainFor(lang.profile.name),
                                               extraArgs: problem.extraArgs(for: lang.profile.name))
            } catch {
                throw ErrorPresentation.classify(error, step: "compile")
            }
            if let b = build, let c = b.compile { outcome.compile = CompileRecord(run: c, output: b.output) }
            outcome.compileOutput = build?.output
        }
        outcome.compileFailed = build.map { !$0.succeeded } ?? false
        var records: [TestRecord] = []
        var failedOnce = false
        for item in items {
            switch item {
            case .test(let t):
                if outcome.compileFailed {
                    let reason = build?.failureReason.map { "Compilation failed: \($0)" } ?? "Compilation failed"
                    records.append(record(t, .CE, message: reason))
                    continue
                }
                if let skip = skipReason(deps: t.dependsOn + groupDeps(t.group), records: records, failedOnce: failedOnce) {
                    records.append(record(t, .SK, message: skip)); continue
                }
                let r = await runIO(t, build: build!)
                if r.verdict != .AC { failedOnce = true }
                records.append(r)
            case .suite(let s):
                if let skip = skipReason(deps: s.dependsOn, records: records, failedOnce: failedOnce) {
                    records += SuiteRunner.missing(s, verdict: .SK, message: skip, reported: [])
                    continue
                }
                let run = await SuiteRunner(ctx: self).run(s, sources: sources)
                if run.records.contains(where: { $0.verdict != .AC }) { failedOnce = true }
                records += run.records
                if outcome.compile == nil { outcome.compile = run.compile }
                outcome.notes += run.notes
            }
        }
        outcome.records = records
        return outcome
    }

    func groupDeps(_ group: String?) -> [String] {
        group.flatMap { g in problem.groups.first { $0.name == g }?.dependsOn } ?? []
    }

    /// Why a test does not run (SK), if it does not.
    func skipReason(deps: [String], records: [TestRecord], failedOnce: Bool) -> String? {
        if problem.stopOnFailure && failedOnce { return "Not run: an earlier test failed" }
        for d in deps {
            let matching = records.filter { $0.name == d || $0.entry == d || $0.group == d || $0.name.hasPrefix(d + "/") }
            if matching.isEmpty || matching.contains(where: { $0.verdict != .AC }) { return "Not run: depends on \(d)" }
        }
        return nil
    }

    func record(_ t: Problem.TestCase, _ v: Verdict, message: String, run: RunResult? = nil, fraction: Double = 0) -> TestRecord {
        var r = TestRecord(name: t.name, group: t.group, kind: "io", verdict: v,
                           points: .init(earned: v == .AC ? t.points : (v == .WA ? t.points * fraction : 0), possible: t.points),
                           visibility: t.visibility, message: message, run: run)
        r.fraction = v == .AC ? 1 : fraction
        r.entry = t.entry
        return r
    }

    /// One stdin/stdout test: a fresh box, its input, its limits; the checker only on a normal end.
    func runIO(_ t: Problem.TestCase, build: Build) async -> TestRecord {
        let limits: LimitLayer
        do { limits = try LimitPlan.layer([problem.limits] + t.limits.dropFirst(), language: lang) } catch {
            var r = record(t, .IE, message: FeedbackRenderer.internalErrorText)
            r.staffFeedback = "\(problem.file): \(error)"
            return r
        }
        // Problem files are read here, through ProblemFiles, and handed to the jail as bytes: the jail
        // never opens a path of the problem directory (where a link could lead anywhere).
        let dir = problem.directory
        let inputData: Data?, expectedData: Data?, files: [BoxEntry]
        do {
            inputData = try t.input.map { try ProblemFiles.read($0, in: dir) } ?? t.stdin.map { Data($0.utf8) }
            expectedData = try t.output.map { try ProblemFiles.read($0, in: dir) } ?? t.expect.map { Data($0.utf8) }
            files = try runFiles + t.files.map { BoxEntry.file(path: $0.box, contents: try ProblemFiles.read($0.path, in: dir)) }
        } catch {
            var r = record(t, .IE, message: FeedbackRenderer.internalErrorText)
            r.staffFeedback = "\(problem.file): \(error)"
            return r
        }
        let stdin: StdinSource = inputData.map { .data($0) } ?? .empty
        var run: RunResult?
        var thrown: String?
        for attempt in 0..<2 {
            do {
                run = try await runner.run(build, stdin: stdin, args: t.args, limits: limits, files: files)
            } catch {
                thrown = "\(error)"
                run = nil
            }
            if let r = run, r.status != .IE { break }
            if attempt == 0 { logger.warning("test \(t.name): internal error, retrying once in a fresh box") }
        }
        guard let r = run, r.status != .IE else {
            var rec = record(t, .IE, message: FeedbackRenderer.internalErrorText, run: run)
            rec.staffFeedback = "jail: \(run?.error ?? thrown ?? "the jail failed")"
            return rec
        }
        let resolved = StepLimits.resolve(defaults: .runDefaults, step: lang.profile.run.limits, overlay: limits)
        var rec: TestRecord
        if let v = Verdict.of(run: r) {
            rec = record(t, v, message: Messages.forRun(v, run: r, limits: resolved, feedback: lang.profile.feedback), run: r)
        } else if ["custom", "kattis"].contains(t.checker.type), let program = t.checker.program {
            do {
                let b = try await checkers.build(program: program, spec: t.checker, problem: problem, registry: registry, runner: runner)
                // The checker gets the input's bytes as they are: binary input must reach it unaltered.
                let c = try await ProgramChecker.check(t.checker, input: inputData ?? Data(), expected: expectedData ?? Data(), output: r.stdout,
                                                       build: b, runner: runner)
                let v: Verdict = c.fraction >= 1 ? .AC : .WA
                rec = record(t, v, message: v == .AC ? "Passed" : "Wrong answer", run: r, fraction: c.fraction)
                rec.checkerFeedback = c.feedback
                rec.staffFeedback = c.staff
            } catch {
                rec = record(t, .IE, message: FeedbackRenderer.internalErrorText, run: r)
                rec.staffFeedback = "checker: \(error)"
            }
        } else {
            let c = TextCheckers.check(t.checker, output: r.stdout, expected: expectedData ?? Data())
            let v: Verdict = c.fraction >= 1 ? .AC : .WA
            rec = record(t, v, message: v == .AC ? "Passed" : "Wrong answer", run: r, fraction: c.fraction)
            rec.checkerFeedback = c.feedback
            rec.staffFeedback = c.staff
        }
        if t.visibility == .visible {
            rec.input = inputData.map { String(decoding: $0, as: UTF8.self) }
            rec.expected = expectedData.map { String(decoding: $0, as: UTF8.self) }
            rec.got = r.stdoutText
        }
        return rec
    }
}
