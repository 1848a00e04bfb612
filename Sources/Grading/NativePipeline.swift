// NativePipeline: one submission against a problem.yml problem: problem → language → intake →
// compile once → each test in a fresh run box → check → score → feedback. Each stage returns a value
// or throws a GradingError; ResultFold turns either into the one reply.
import Foundation
import Intake
import Languages
import Logging
import Sandbox

struct NativePipeline {
    let grader: Grader
    let problemPath: String
    let name: String
    let submission: SubmissionInput
    let options: GradeOptions

    func grade() async -> GradeResult {
        let started = Date()
        var fold = ResultFold(name: name, logger: grader.logger)
        do {
            let problem: Problem
            do { problem = try ProblemLoader.load(path: problemPath, displayName: name) } catch {
                throw GradingError.problem(file: problemPath, detail: "\(error)")
            }
            fold.problem = problem
            if options.skipGrader { return fold.skipped(started: started) }
            try checkSelection(problem)
            let lang = try language(problem)
            fold.language = GradeResult.Language(name: lang.profile.name, version: lang.version)
            let baseLimits: LimitLayer
            do { baseLimits = try LimitPlan.layer([problem.limits], language: lang) } catch {
                throw GradingError.problem(file: problem.file, detail: "\(error)")
            }
            let files = try learnerFiles(problem, lang)
            fold.replaced = BoxLayout.replaced(learner: files.map(\.path), problem: problem)
            let support = SupportFiles.list(problem)
            let sources: [SourceFile], runFiles: [BoxEntry]
            do {
                sources = try SupportFiles.merge(learner: files, support: support.filter(\.compile), problem: problem)
                runFiles = try support.filter(\.run).map { .file(path: $0.box, contents: try ProblemFiles.read($0.rel, in: problem.directory)) }
            } catch {
                throw GradingError.problem(file: problem.file, detail: "\(error)")
            }
            let ctx = TestContext(problem: problem, lang: lang, runner: grader.runner, baseLimits: baseLimits, options: options,
                                  runFiles: runFiles, logger: grader.logger, registry: grader.registry)
            let outcome = try await ctx.runAll(sources: sources)
            return fold.finish(outcome, options: options, started: started)
        } catch {
            return fold.stopped(ErrorPresentation.classify(error, step: "grading"), options: options, started: started)
        }
    }

    /// The payload's `tests` must name tests of the problem.
    func checkSelection(_ problem: Problem) throws {
        guard let wanted = options.tests else { return }
        let known = Set(problem.items.flatMap { item -> [String] in
            switch item { case .test(let t): return [t.name, t.entry] + (t.group.map { [$0] } ?? []); case .suite(let s): return [s.name] }
        })
        if let unknown = wanted.first(where: { !known.contains($0) }) { throw GradingError.payload("payload tests: unknown test \"\(unknown)\"") }
    }

    /// docs/reference/problem-yml.md, "Choosing the language": payload, problem, file names, default_language; unknown
    /// or not allowed is the learner's CE.
    func language(_ problem: Problem) throws -> ResolvedLanguage {
        let registry = grader.registry
        let allowed = problem.languages ?? registry.languages.map(\.name)
        let allowedList = allowed.compactMap { tag in registry.find(tag)?.profile.map { "\($0.displayName) (\($0.extensions.joined(separator: ", ")))" } }
            .joined(separator: ", ")
        var tag = options.language ?? problem.language ?? (problem.languages?.count == 1 ? problem.languages![0] : nil)
        if tag == nil {
            tag = registry.detect(fileNames: SubmissionIntake.names(submission), among: allowed)?.profile.name ?? problem.defaultLanguage
        }
        guard let tag else {
            throw GradingError.submission("Could not tell which language this submission is in. This problem accepts: \(allowedList).")
        }
        guard let status = registry.find(tag), allowed.contains(status.name) else {
            throw GradingError.submission("\"\(tag)\" is not a language this problem accepts. This problem accepts: \(allowedList).")
        }
        guard let lang = status.resolved, status.enabled else {
            throw GradingError.languageUnavailable(name: status.name, reason: status.reason ?? status.status)
        }
        return lang
    }

    /// The learner's files after intake, required files and box layout checked.
    func learnerFiles(_ problem: Problem, _ lang: ResolvedLanguage) throws -> [SubmittedFile] {
        let files = try SubmissionIntake.files(submission, problem: problem, language: lang)
        let missing = SubmissionIntake.missingRequired(files, problem: problem)
        if !missing.isEmpty {
            throw GradingError.submission("Required file\(missing.count == 1 ? "" : "s") missing: \(missing.joined(separator: ", ")).")
        }
        if let clash = BoxLayout.conflict(learner: files.map(\.path), problem: problem, language: lang) {
            throw GradingError.submission(clash)
        }
        return files
    }
}
