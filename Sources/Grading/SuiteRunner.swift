// SuiteRunner: a unit-test suite (docs/reference/language-profiles.md, "Frameworks"; docs/reference/problem-yml.md,
// "Unit-test suites"): built with the learner's code, run once,
// its report read with no-follow rules; every expected test gets a record and its points.
import Foundation
import Languages
import Sandbox

struct SuiteRunner {
    let ctx: TestContext

    /// Runs the suite once; returns its records, a failed build's compile record and staff notes.
    func run(_ s: Problem.Suite, sources: [SourceFile]) async -> SuiteRun {
        let lang = ctx.lang
        guard let framework = lang.profile.frameworks[s.framework], lang.frameworkStatus[s.framework] == "ok" else {
            return SuiteRun(SuiteRunner.internalError(s, staff: "framework \(s.framework) is unavailable for \(lang.profile.name): \(lang.frameworkStatus[s.framework] ?? "not defined")"))
        }
        // The suite's files land like support files: relative to their glob's fixed prefix.
        var suiteFiles: [SourceFile] = []
        for g in s.files {
            for rel in ctx.problem.files where PathGlob(g).matches(rel) {
                guard let data = try? ProblemFiles.read(rel, in: ctx.problem.directory) else {
                    return SuiteRun(SuiteRunner.internalError(s, staff: "\(ctx.problem.file): unit-test file \(rel) cannot be read"))
                }
                suiteFiles.append(SourceFile(path: SupportFiles.boxPath(glob: g, rel: rel, to: ""), data: data))
            }
        }
        let merged = sources.filter { src in !suiteFiles.contains { $0.path == src.path } } + suiteFiles
        let limits: LimitLayer
        do { limits = try LimitPlan.layer([ctx.problem.limits] + s.limits.dropFirst(), language: lang) } catch {
            return SuiteRun(SuiteRunner.internalError(s, staff: "\(ctx.problem.file): suite \(s.name): \(error)"))
        }
        let build: Build
        do {
            // The suite's runner is the entry point; {main} only matters to the learner's own files.
            let learnerMain = ctx.problem.mainFor(lang.profile.name) ?? sources.first { src in
                lang.profile.source.patterns.contains { PathGlob($0).matches(src.path) } && !suiteFiles.contains { $0.path == src.path }
            }?.path
            build = try await ctx.runner.build(lang, sources: merged, main: learnerMain,
                                               extraArgs: ctx.problem.extraArgs(for: lang.profile.name), framework: framework)
        } catch let rejection as BuildRejection {
            return SuiteRun(SuiteRunner.missing(s, verdict: .CE, message: "Compilation failed: \(rejection.message)", reported: []))
        } catch {
            // The jail failed, not the learner: IE, with the cause for staff only.
            return SuiteRun(SuiteRunner.internalError(s, staff: "suite \(s.name): compile step: \(error)"))
        }
        if !build.succeeded {
            return SuiteRun(SuiteRunner.missing(s, verdict: .CE, message: "Compilation failed" + (build.failureReason.map { ": \($0)" } ?? ""), reported: []),
                            compile: build.compile.map { CompileRecord(run: $0, output: build.output) })
        }
        // A fresh directory and nonce per run: a report forged blind lands nowhere we read (docs/unit-suites.md).
        let channel = ReportChannel.fresh()
        let reportPath = Placeholders.expand(framework.reportPath, scalars: channel.scalars)
        let out: PrivateDirectory
        do { out = try PrivateDirectory.make(prefix: "polygrader-report") } catch {
            return SuiteRun(SuiteRunner.internalError(s, staff: "suite \(s.name): \(error)"))
        }
        defer { out.remove() }
        let boxRel = reportPath.hasPrefix("/box/") ? String(reportPath.dropFirst(5)) : reportPath
        let run: RunResult
        do {
            run = try await ctx.runner.run(build, limits: limits, files: ctx.runFiles, framework: framework, tests: suiteFiles.map(\.path),
                                           collect: reportPath == "stdout" ? [] : [boxRel], collectInto: out.path, report: channel)
        } catch {
            return SuiteRun(SuiteRunner.internalError(s, staff: "suite \(s.name): run: \(error)"))
        }
        if run.status == .IE { return SuiteRun(SuiteRunner.internalError(s, staff: "suite \(s.name): run: \(run.error ?? "internal error")")) }
        let reportData: Data? = reportPath == "stdout" ? run.stdout : FileManager.default.contents(atPath: out.path + "/" + boxRel)
        let parsed = UnitReportParser.parse(format: framework.reportFormat, data: reportData, exitCode: run.exitCode, suite: s.name)
        let trust = ReportTrust.judge(format: framework.reportFormat, data: reportData, outcomes: parsed, run: run,
                                      nonce: ReportChannel.echoesNonce(framework) ? channel.nonce : nil)
        let stems = Set(suiteFiles.map { (($0.path as NSString).lastPathComponent as NSString).deletingPathExtension })
        let outcomes = (trust == .trusted ? parsed ?? [] : [])
            // A testcase whose class or module is not one of the suite's files (a learner's own test,
            // a pytest collection error) is not a test of the suite (docs/reference/language-profiles.md,
            // "Frameworks").
            .filter { o in o.className.map { $0.split(separator: ".").contains { stems.contains(String($0)) } } ?? true }
        let (counted, note) = SuiteRunner.expected(outcomes, s)
        let resolved = StepLimits.resolve(defaults: .runDefaults, step: lang.profile.run.limits.overlaid(by: framework.limits), overlay: limits)
        var runVerdict: Verdict = .RE
        var runMessage = "Not reported: the test runner stopped early"
        if case .refused = trust { runMessage = "Not counted: the test report does not agree with how the test runner ended" }
        if let v = Verdict.of(run: run), [.TLE, .MLE, .OLE, .SV].contains(v) {
            runVerdict = v
            runMessage = Messages.forRun(v, run: run, limits: resolved, feedback: lang.profile.feedback)
        } else if let sig = run.signalName { runMessage += " (\(sig))" } else if let c = run.exitCode { runMessage += " (exit code \(c))" }
        var recs = records(s, outcomes: counted, missingVerdict: runVerdict, missingMessage: runMessage, run: run)
        if case .refused(let why) = trust {
            ctx.logger.warning("unit report refused", metadata: ["suite": "\(s.name)", "reason": "\(why)"])
            for i in recs.indices { recs[i].staffFeedback = "report refused: \(why)" }
        }
        return SuiteRun(recs, notes: note.map { [$0] } ?? [])
    }

    /// Records per docs/reference/problem-yml.md, "Unit-test suites": reported tests with their worth, exact weight ids
    /// not reported, then unnamed `#K`.
    func records(_ s: Problem.Suite, outcomes: [UnitOutcome], missingVerdict: Verdict, missingMessage: String, run: RunResult) -> [TestRecord] {
        var seen: [String: Int] = [:]
        var out: [TestRecord] = []
        for o in outcomes {
            var id = o.id
            seen[id, default: 0] += 1
            if seen[id]! > 1 { id += "#\(seen[id]!)" }
            let worth = SuiteRunner.worth(s, id)
            let message: String = switch o.verdict {
            case .AC: "Passed"
            case .WA: "Wrong answer" + (o.message.map { ": \($0)" } ?? "")
            case .RE: "Runtime error" + (o.message.map { ": \($0)" } ?? "")
            case .SK: "Not run"
            default: o.verdict.rawValue
            }
            var r = TestRecord(name: "\(s.name)/\(id)", group: nil, kind: "unit", verdict: o.verdict,
                               points: .init(earned: o.verdict == .AC ? worth : 0, possible: worth), visibility: s.visibility, message: message)
            r.timeS = o.timeS
            r.fraction = o.verdict == .AC ? 1 : 0
            r.entry = s.name
            out.append(r)
        }
        let reportedIds = Set(out.map { String($0.name.dropFirst(s.name.count + 1)) })
        return out + SuiteRunner.missing(s, verdict: missingVerdict, message: missingMessage, reported: reportedIds, count: outcomes.count)
    }

    static func worth(_ s: Problem.Suite, _ id: String) -> Double {
        if let w = s.weights.first(where: { $0.key == id }) { return w.points }
        if let w = s.weights.first(where: { PathGlob($0.key).matches(id) }) { return w.points }
        return s.pointsPerTest
    }

    /// Records for expected tests that were not reported: exact weight ids first, then `#K`.
    static func missing(_ s: Problem.Suite, verdict: Verdict, message: String, reported: Set<String>, count: Int = 0) -> [TestRecord] {
        var out: [TestRecord] = []
        var n = count
        for w in s.weights where !w.key.contains("*") && !w.key.contains("?") && !reported.contains(w.key) && n < s.expectTests {
            out.append(make(s, id: w.key, worth: w.points, verdict: verdict, message: message)); n += 1
        }
        var k = 1
        while n < s.expectTests {
            out.append(make(s, id: "#\(k)", worth: s.pointsPerTest, verdict: verdict, message: message)); k += 1; n += 1
        }
        return out
    }

    static func make(_ s: Problem.Suite, id: String, worth: Double, verdict: Verdict, message: String) -> TestRecord {
        var r = TestRecord(name: "\(s.name)/\(id)", group: nil, kind: "unit", verdict: verdict, points: .init(earned: 0, possible: worth),
                           visibility: s.visibility, message: message)
        r.entry = s.name
        return r
    }
}
