// Pipeline: one submission through the rooms: problem → language → intake → compile once →
// each test in a fresh run box → check → score → feedback. Every path ends in one reply.
import Foundation
import Intake
import Languages
import Logging
import Sandbox

/// Grades submissions against native problems, exactly as the watcher will.
public struct Grader: Sendable {
    public let runner: LanguageRunner
    public let registry: LanguageRegistry
    public let logger: Logger

    public init(runner: LanguageRunner, registry: LanguageRegistry, logger: Logger = Logger(label: "polygrader.grading")) {
        self.runner = runner; self.registry = registry; self.logger = logger
    }

    /// Grades a submission as the watcher will: the payload names the problem under `graderRoot`.
    public func grade(payload: String, graderRoot: String, submission: SubmissionInput) async -> GradeResult {
        let started = Date()
        let resolved: ResolvedPayload
        do { resolved = try PayloadResolver.resolve(payload, graderRoot: graderRoot) } catch {
            logger.error("payload error: \(error)")
            return GradingState(name: "(payload)").failure(.payload, learner: FeedbackRenderer.payloadErrorText, staff: "\(error)",
                                                           verdict: .IE, started: started)
        }
        var isDir: ObjCBool = false
        FileManager.default.fileExists(atPath: resolved.problemPath, isDirectory: &isDir)
        let ext = (resolved.problemPath as NSString).pathExtension
        if !isDir.boolValue && !["yml", "yaml"].contains(ext) {
            let reason = ext == "py" ? "legacy gradelib graders (\(resolved.problemPath)) are not supported yet"
                                     : "\(resolved.problemPath) is neither a problem directory nor a .yml file"
            return GradingState(name: resolved.problemPath).failure(.payload, learner: FeedbackRenderer.payloadErrorText, staff: reason,
                                                                     verdict: .IE, started: started)
        }
        if isDir.boolValue && !FileManager.default.fileExists(atPath: resolved.problemPath + "/problem.yml") {
            return GradingState(name: resolved.problemPath).failure(.payload, learner: FeedbackRenderer.payloadErrorText,
                                                                     staff: "\(resolved.problemPath) has no problem.yml", verdict: .IE, started: started)
        }
        return await grade(problemPath: resolved.problemPath, submission: submission, options: resolved.options)
    }

    /// Grades `submission` against the problem at `problemPath`; never throws: errors become replies.
    public func grade(problemPath: String, displayName: String? = nil, submission: SubmissionInput,
                      options: GradeOptions = GradeOptions()) async -> GradeResult {
        let started = Date()
        var state = GradingState(name: displayName ?? problemPath)
        let problem: Problem
        do { problem = try ProblemLoader.load(path: problemPath, displayName: displayName) } catch {
            logger.error("problem error: \(error)")
            return state.failure(.problem, learner: FeedbackRenderer.internalErrorText, staff: "\(error)", verdict: .IE, started: started)
        }
        state.problem = problem
        if options.skipGrader { return state.skipped(started: started) }
        if let wanted = options.tests {
            let known = Set(problem.items.flatMap { item -> [String] in
                switch item { case .test(let t): return [t.name, t.entry] + (t.group.map { [$0] } ?? []); case .suite(let s): return [s.name] }
            })
            if let unknown = wanted.first(where: { !known.contains($0) }) {
                return state.failure(.payload, learner: FeedbackRenderer.payloadErrorText, staff: "payload tests: unknown test \"\(unknown)\"",
                                     verdict: .IE, started: started)
            }
        }
        // §5.4: payload, problem, file names, default_language.
        let allowed = problem.languages ?? registry.languages.map(\.name)
        let allowedList = allowed.compactMap { tag in registry.find(tag)?.profile.map { "\($0.displayName) (\($0.extensions.joined(separator: ", ")))" } }
            .joined(separator: ", ")
        var tag = options.language ?? problem.language ?? (problem.languages?.count == 1 ? problem.languages![0] : nil)
        if tag == nil {
            tag = registry.detect(fileNames: SubmissionIntake.names(submission), among: allowed)?.profile.name ?? problem.defaultLanguage
        }
        guard let tag else {
            return state.rejected("Could not tell which language this submission is in. This problem accepts: \(allowedList).",
                                  options: options, started: started)
        }
        guard let status = registry.find(tag), allowed.contains(status.name) else {
            return state.rejected("\"\(tag)\" is not a language this problem accepts. This problem accepts: \(allowedList).",
                                  options: options, started: started)
        }
        guard let lang = status.resolved, status.enabled else {
            return state.failure(.internal, learner: FeedbackRenderer.internalErrorText,
                                 staff: "language \(status.name) is disabled: \(status.reason ?? status.status)", verdict: .IE, started: started)
        }
        state.language = GradeResult.Language(name: lang.profile.name, version: lang.version)
        // Limits of this language, checked against its ceilings before anything runs.
        let baseLimits: LimitLayer
        do { baseLimits = try LimitPlan.layer([problem.limits], language: lang) } catch {
            return state.failure(.problem, learner: FeedbackRenderer.internalErrorText, staff: "\(problem.file): \(error)", verdict: .IE, started: started)
        }
        // Intake.
        let files: [SubmittedFile]
        do { files = try SubmissionIntake.files(submission, problem: problem, language: lang) } catch let r as SubmissionIntake.Rejection {
            return state.rejected(r.message, options: options, started: started)
        } catch {
            return state.failure(.internal, learner: FeedbackRenderer.internalErrorText, staff: "\(error)", verdict: .IE, started: started)
        }
        let missing = SubmissionIntake.missingRequired(files, problem: problem)
        if !missing.isEmpty {
            let msg = "Required file\(missing.count == 1 ? "" : "s") missing: \(missing.joined(separator: ", "))."
            return state.rejected(msg, options: options, started: started)
        }
        if let clash = BoxLayout.conflict(learner: files.map(\.path), problem: problem, language: lang) {
            return state.rejected(clash, options: options, started: started)
        }
        state.replaced = BoxLayout.replaced(learner: files.map(\.path), problem: problem)
        let support = SupportFiles.list(problem)
        let sources: [SourceFile], runFiles: [BoxEntry]
        do {
            sources = try SupportFiles.merge(learner: files, support: support.filter(\.compile), problem: problem)
            runFiles = try support.filter(\.run).map { .file(path: $0.box, contents: try ProblemFiles.read($0.rel, in: problem.directory)) }
        } catch {
            logger.error("problem error: \(problem.file): \(error)")
            return state.failure(.problem, learner: FeedbackRenderer.internalErrorText, staff: "\(problem.file): \(error)", verdict: .IE, started: started)
        }
        let ctx = TestContext(problem: problem, lang: lang, runner: runner, baseLimits: baseLimits, options: options,
                              runFiles: runFiles, logger: logger, registry: registry)
        return await ctx.runAll(sources: sources, state: &state, started: started)
    }
}

/// Support files (§4.4): globs of the problem placed relative to their fixed prefix.
enum SupportFiles {
    /// `rel` is the problem-relative path; it is read only through ProblemFiles.
    struct File { let box: String; let rel: String; let compile: Bool; let run: Bool }

    static func list(_ p: Problem) -> [File] {
        var out: [File] = []
        for s in p.supportFiles {
            for rel in p.files where PathGlob(s.glob).matches(rel) {
                out.append(File(box: boxPath(glob: s.glob, rel: rel, to: s.to), rel: rel, compile: s.compile, run: s.run))
            }
        }
        return out
    }

    /// `files/util.h` → `util.h`; under `to` if given.
    static func boxPath(glob: String, rel: String, to: String) -> String {
        let parts = glob.split(separator: "/")
        let fixed = parts.prefix { !$0.contains("*") && !$0.contains("?") && !$0.contains("[") }
        let fixedDirs = fixed.count == parts.count ? fixed.dropLast().count : fixed.count
        let tail = rel.split(separator: "/").dropFirst(fixedDirs).joined(separator: "/")
        return to.isEmpty ? tail : to + "/" + tail
    }

    /// Learner files with support files on top (a support file replaces a learner file of the same path).
    static func merge(learner: [SubmittedFile], support: [File], problem: Problem) throws -> [SourceFile] {
        var out = learner.map { SourceFile(path: $0.path, data: $0.data, executable: $0.executable) }
        for s in support {
            let data = try ProblemFiles.read(s.rel, in: problem.directory)
            out.removeAll { $0.path == s.box }
            out.append(SourceFile(path: s.box, data: data))
        }
        return out
    }
}

/// Limit layering of a problem for one language (§1.3) and its ceilings.
enum LimitPlan {
    struct AboveCeiling: Error, CustomStringConvertible { let description: String }

    /// Problem-side layers, oldest first: cpu/wall multiplied by time_factor unless per_language.
    static func layer(_ specs: [Problem.LimitSpec], language: ResolvedLanguage) throws -> LimitLayer {
        let run = language.profile.run
        var out = LimitLayer()
        for spec in specs {
            var base = spec.base
            base.cpu = base.cpu.map { $0 * run.timeFactor }
            base.wall = base.wall.map { $0 * run.timeFactor }
            for layer in [base, spec.perLanguage[language.profile.name] ?? LimitLayer()] {
                let hadWall = out.wall
                out = out.overlaid(by: layer)
                if layer.cpu != nil && layer.wall == nil { out.wall = nil } else if layer.wall == nil { out.wall = hadWall }
            }
        }
        if let max = run.maxLimits {
            for v in out.violations(of: max, ceilingName: "\(language.profile.name)'s run.max_limits") {
                throw AboveCeiling(description: "limits.\(v.key): \(v.message)")
            }
        }
        return out
    }
}
