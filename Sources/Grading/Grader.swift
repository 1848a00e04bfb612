// Grader: the one entry point of grading, for the watcher and for `polygrader grade`. It resolves the
// payload to a problem on disk, decides the problem's mode (docs/reference/problem-yml.md, "Mode") and hands the
// submission
// to that mode's pipeline: native (problem.yml) or legacy (an xqueue-watcher grader.py). Every path
// ends in exactly one GradeResult; errors pass through ErrorPresentation.
import Foundation
import Languages
import Logging
import Sandbox

/// How a problem on disk is graded (docs/reference/problem-yml.md, "Mode").
public enum ProblemMode: Sendable, Equatable {
    /// A directory with problem.yml, or a .yml file, in mode native (or one that does not load: the
    /// native pipeline reports why).
    case native(String)
    /// An xqueue-watcher JailedGrader problem: the grader file (its answer.py beside it).
    case legacy(grader: String)
    /// A problem file with `mode: gradelib`: `grader` (its `gradelib.grader`, or the `.py` the payload
    /// names beside it) graded as legacy mode does, with the file's limits and feedback.
    case gradelib(problem: String, grader: String)

    /// The mode of the problem at `path`; a path that names nothing gradable is a payload error.
    public static func of(_ path: String) throws -> ProblemMode {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { throw GradingError.payload("\(path) does not exist") }
        if isDir.boolValue {
            if fm.fileExists(atPath: path + "/problem.yml") { return declared(path, grader: nil) }
            if fm.fileExists(atPath: path + "/grader.py") && fm.fileExists(atPath: path + "/answer.py") {
                return .legacy(grader: path + "/grader.py")
            }
            throw GradingError.payload("\(path) has no problem.yml (nor grader.py with answer.py)")
        }
        switch (path as NSString).pathExtension {
        case "yml", "yaml": return declared(path, grader: nil)
        case "py":
            // A problem.yml beside the .py decides: `mode: gradelib` grades this .py with its settings.
            let beside = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("problem.yml")
            if fm.fileExists(atPath: beside) {
                let mode = declared(beside, grader: path)
                if case .native = mode {
                    throw GradingError.payload("\(path) is a .py beside a problem.yml whose mode is native: name the problem, not the .py")
                }
                return mode
            }
            return .legacy(grader: path)
        default: throw GradingError.payload("\(path) is neither a problem directory, a .yml file nor a .py grader")
        }
    }

    /// The mode a problem file declares. Only a file that mentions `gradelib` or `extends` (whose base may)
    /// is loaded here; a file that does not load is native, and the native pipeline reports its errors.
    static func declared(_ path: String, grader: String?) -> ProblemMode {
        var isDir: ObjCBool = false
        FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
        let file = isDir.boolValue ? path + "/problem.yml" : path
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8),
              text.contains("gradelib") || text.contains("extends"),
              let problem = try? ProblemLoader.load(path: path), problem.mode == .gradelib else { return .native(path) }
        return .gradelib(problem: path, grader: grader ?? (problem.directory as NSString).appendingPathComponent(problem.gradelibGrader))
    }
}

/// Grades submissions exactly as the watcher will, in the mode the problem on disk asks for.
public struct Grader: Sendable {
    public let runner: LanguageRunner
    public let registry: LanguageRegistry
    /// The legacy mode's Python and limits (a JailedGrader handler's CODEJAIL block).
    public let legacy: LegacySettings
    public let logger: Logger
    /// Legacy interpreters, resolved once per Grader (one per handler).
    let legacyToolchains: LegacyToolchains
    /// Legacy staff results, per handler (docs/legacy-graders.md, "The staff-result cache").
    let staffCache: LegacyStaffCache

    public init(runner: LanguageRunner, registry: LanguageRegistry, legacy: LegacySettings = LegacySettings(),
                logger: Logger = Logger(label: "polygrader.grading")) {
        self.init(runner: runner, registry: registry, legacy: legacy, logger: logger, legacyToolchains: LegacyToolchains(),
                  staffCache: LegacyStaffCache())
    }

    private init(runner: LanguageRunner, registry: LanguageRegistry, legacy: LegacySettings, logger: Logger,
                 legacyToolchains: LegacyToolchains, staffCache: LegacyStaffCache) {
        self.runner = runner; self.registry = registry; self.legacy = legacy; self.logger = logger
        self.legacyToolchains = legacyToolchains; self.staffCache = staffCache
    }

    /// The same grader with every run of its gradings sent to `jail` (the watcher's slot for one
    /// submission); what it resolved once stays shared.
    public func onJail(_ jail: any Jail) -> Grader {
        Grader(runner: LanguageRunner(jail: jail, sandboxes: runner.sandboxes), registry: registry, legacy: legacy,
               logger: logger, legacyToolchains: legacyToolchains, staffCache: staffCache)
    }

    /// The same grader with another logger (a submission's metadata on every line).
    public func with(logger: Logger) -> Grader {
        Grader(runner: runner, registry: registry, legacy: legacy, logger: logger, legacyToolchains: legacyToolchains, staffCache: staffCache)
    }

    /// The one entry point: the payload names the problem under `graderRoot`; `local` holds what only the
    /// command line sets (a fixed seed, where course catalogs are looked up).
    public func grade(payload: String, graderRoot: String, submission: SubmissionInput,
                      local: LocalOverrides = LocalOverrides()) async -> GradeResult {
        let started = Date()
        let resolved: ResolvedPayload
        do { resolved = try PayloadResolver.resolve(payload, graderRoot: graderRoot) } catch {
            let fold = ResultFold(name: "(payload)", logger: logger)
            return fold.stopped(ErrorPresentation.classify(error, step: "payload"), options: GradeOptions(), started: started)
        }
        var options = resolved.options
        options.seed = local.seed
        switch local.courseRoot {
        case .graderRoot: options.courseRoot = graderRoot
        case .nearest: options.courseRoot = nil
        case .directory(let d): options.courseRoot = d
        }
        return await grade(problemPath: resolved.problemPath, displayName: local.displayName, submission: submission, options: options)
    }

    /// The reply for a submission whose intake failed before grading could start (its `xqueue_files`
    /// could not be fetched): the same boundary decides what the learner reads and what staff read.
    public func intakeFailed(_ error: any Error, payload: String) -> GradeResult {
        let fold = ResultFold(name: (try? PayloadResolver.options(payload))?.language ?? "(submission)", logger: logger)
        return fold.stopped(ErrorPresentation.classify(error, step: "download"), options: GradeOptions(), started: Date())
    }

    /// Grades `submission` against the problem at `problemPath` (already contained), in its mode.
    public func grade(problemPath: String, displayName: String? = nil, submission: SubmissionInput,
                      options: GradeOptions = GradeOptions()) async -> GradeResult {
        let name = displayName ?? problemPath
        let mode: ProblemMode
        do { mode = try ProblemMode.of(problemPath) } catch {
            let fold = ResultFold(name: name, logger: logger)
            return fold.stopped(ErrorPresentation.classify(error, step: "payload"), options: options, started: Date())
        }
        switch mode {
        case .native(let path):
            return await NativePipeline(grader: self, problemPath: path, name: name, submission: submission, options: options).grade()
        case .legacy(let graderFile):
            return await LegacyPipeline(grader: self, graderFile: graderFile, name: name, submission: submission, options: options).grade()
        case .gradelib(let problemPath, let graderFile):
            return await LegacyPipeline.grade(problem: problemPath, graderFile: graderFile, grader: self, name: name,
                                              submission: submission, options: options)
        }
    }
}

/// What only the command line sets for one grading.
public struct LocalOverrides: Sendable {
    /// Legacy mode's seed (else one drawn per grading, docs/reference/gradelib.md, "The grading flow" step 6).
    public var seed: Int?
    /// Where legacy mode looks for `conf/locale`.
    public var courseRoot: CourseRoot = .graderRoot
    /// The problem's name in results (else its resolved path).
    public var displayName: String?
    public init(seed: Int? = nil, courseRoot: CourseRoot = .graderRoot, displayName: String? = nil) {
        self.seed = seed; self.courseRoot = courseRoot; self.displayName = displayName
    }
}

/// The course root whose `conf/locale` holds a legacy problem's catalogs (docs/reference/gradelib.md, "The flow in
/// polygrader").
public enum CourseRoot: Sendable, Equatable {
    /// The queue's grader_root (the watcher).
    case graderRoot
    /// The nearest directory holding `conf/locale`, walking up from the grader's (`grade` without `--grader-root`).
    case nearest
    /// This directory.
    case directory(String)
}
