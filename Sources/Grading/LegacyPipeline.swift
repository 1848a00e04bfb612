// LegacyPipeline: an xqueue-watcher JailedGrader problem (grader.py + answer.py), graded the way
// docs/legacy-graders.md describes: two jailed interpreter starts per submission, the learner's
// (checks, preprocessing, the tests on the learner's code) and the course's (everything that needs
// course code: the staff run of answer.py, compare_results, scoring, the reply's HTML). When the cached
// staff run showed that comparing runs no course code, the host compares and renders itself and the
// course's start is skipped (LegacyHostCompare). Only data crosses the jail boundary, and every byte
// that comes back is untrusted.
import Foundation
import Languages
import Logging
import Sandbox

struct LegacyPipeline {
    let grader: Grader
    let graderFile: String
    let name: String
    let submission: SubmissionInput
    let options: GradeOptions
    /// The answer's path (`gradelib.answer` of a problem.yml); nil: answer.py beside the grader.
    var answerFile: String? = nil
    /// The handler's settings with a problem.yml's limits laid over them; nil: the handler's.
    var problemSettings: LegacySettings? = nil

    /// The toolchain and limits of this grading.
    var settings: LegacySettings { problemSettings ?? grader.legacy }

    /// `mode: gradelib` (docs/reference/problem-yml.md, "Mode gradelib"): the problem file's limits over the
    /// handler's, its feedback as the payload's `lang` and `hide_output` where the payload sets none, and
    /// its answer file.
    static func grade(problem path: String, graderFile: String, grader: Grader, name: String, submission: SubmissionInput,
                      options: GradeOptions) async -> GradeResult {
        let problem: Problem
        do { problem = try ProblemLoader.load(path: path, displayName: name) } catch {
            var result = ResultFold(name: name, logger: grader.logger).stopped(
                ErrorPresentation.classify(GradingError.problem(file: path, detail: "\(error)"), step: "problem"), options: options, started: Date())
            result.mode = "gradelib"
            return result
        }
        var settings = grader.legacy
        let limits = problem.limits.base
        if let v = limits.cpu { settings.limits.cpu = v }
        if let v = limits.wall { settings.limits.wall = v }
        if let v = limits.processes { settings.limits.processes = v }
        if let v = limits.fileSize { settings.limits.fileSize = v }
        if let v = limits.memory { settings.profileMemory = v } // the runs' cgroup memory; a handler's VMEM still applies
        var options = options
        var payload = (try? JSONSerialization.jsonObject(with: Data(options.payloadJSON.utf8))) as? [String: Any] ?? [:]
        if payload["lang"] == nil, problem.locale != "en" { payload["lang"] = problem.locale }
        if problem.hideOutput, !PayloadResolver.truthy(payload["hide_output"]) { payload["hide_output"] = true }
        if let data = try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]) {
            options.payloadJSON = String(decoding: data, as: UTF8.self)
        }
        options.hideOutput = options.hideOutput || problem.hideOutput
        return await LegacyPipeline(grader: grader, graderFile: graderFile, name: name, submission: submission, options: options,
                                    answerFile: (problem.directory as NSString).appendingPathComponent(problem.gradelibAnswer),
                                    problemSettings: settings).grade()
    }

    /// The boxes' file names (docs/legacy-graders.md, "The host's steps"): the data files have no
    /// `.py` name, so nothing the grader imports can find the answer.
    enum BoxName {
        static let answer = "answer.txt", submission = "submission.txt", learnerOut = "learner.out"
        static let payload = "payload.json", locale = "locale", staff = "staff.json"
    }

    func grade() async -> GradeResult {
        let started = Date()
        let fold = ResultFold(name: name, logger: grader.logger)
        do {
            // Step 1: skip_grader, in Python's sense of truth; nothing is read or run.
            if options.skipGrader { return LegacyReply.skipped(name: name, started: started) }
            let seed = options.seed ?? Int.random(in: 0...20000)
            let text = try submissionBytes()
            let graderName = (graderFile as NSString).lastPathComponent
            guard isSafeRelativePath(graderName), graderName.hasSuffix(".py"), graderName.count > 3 else {
                throw GradingError.problem(file: graderFile, detail: "a grader's file name must be a plain NAME.py")
            }
            guard let graderData = FileManager.default.contents(atPath: graderFile) else {
                throw GradingError.problem(file: graderFile, detail: "the grader cannot be read")
            }
            let answerPath = answerFile ?? ((graderFile as NSString).deletingLastPathComponent as NSString).appendingPathComponent("answer.py")
            let answer = FileManager.default.contents(atPath: answerPath)
            let python: ResolvedTool
            do { python = try await grader.legacyToolchains.resolve(settings.python) } catch {
                throw GradingError.languageUnavailable(name: "legacy python \(settings.python)", reason: "\(error)")
            }
            let catalogs: [BoxEntry]
            do { catalogs = try CourseCatalogs.entries(courseRoot: courseRoot(), boxDirectory: BoxName.locale) } catch {
                throw GradingError.problem(file: graderFile, detail: "conf/locale: \(error)")
            }
            let memory = settings.profileMemory ?? grader.registry.find("python")?.profile?.run.limits.memory
                ?? LimitLayer.runDefaults.memory ?? 256 << 20
            let graderEntry = BoxEntry.file(path: graderName, contents: graderData)

            // Step 3, the learner's jail: the grader alone, the submission on stdin; never the answer or
            // the catalogs. Without answer.py the reply is L364 whatever the learner does: skip it.
            var learner: RunResult?
            var learnerCallS: Double?
            if answer != nil {
                let (limits, addressSpace, fileSize) = settings.runLimits(profileMemory: memory)
                var call = makeCall(["grader_support.student", graderName, String(seed), String(fileSize)], limits, addressSpace)
                call.box = [graderEntry]
                call.stdin = .data(text)
                let t0 = Date()
                learner = try await jailed(python, call, step: "learner run")
                learnerCallS = Date().timeIntervalSince(t0)
            }
            // Step 4, the course's jail: course code and data, never learner code; the staff run's results
            // from the cache when the same grader, answer, package, settings, lang (and seed) made them.
            let cacheKey = answer.map { staffKey(graderName: graderName, grader: graderData, answer: $0) }
            let cached = cacheKey.flatMap { grader.staffCache.lookup($0, seed: seed) }
            if let cached, let learner, let outcome = hostComparison(staffRecord: cached.record, learner: learner) {
                var result = LegacyReply.result(name: name, reply: outcome.reply, verdict: outcome.reply.correct ? .AC : .WA,
                                                started: started)
                result.legacy = LegacyDetail(outcome: outcome.outcome, staffLog: [], seed: seed, learnerRun: learner, courseRun: nil)
                result.legacy?.learnerCallS = learnerCallS
                result.legacy?.staffCache = cached.seedFree ? "hit-seedless" : "hit"
                return result
            }
            let (limits, addressSpace, fileSize) = settings.courseLimits(profileMemory: memory)
            var call = makeCall(["grader_support.course", graderName, BoxName.answer, BoxName.submission, BoxName.learnerOut,
                             String(seed), BoxName.payload, String(fileSize)] + (cached == nil ? [] : [BoxName.staff]), limits, addressSpace)
            call.box = [graderEntry, .file(path: BoxName.submission, contents: text),
                        .file(path: BoxName.learnerOut, contents: learner?.stdout ?? Data()),
                        .file(path: BoxName.payload, contents: Data(options.payloadJSON.utf8))] + catalogs
            if let answer { call.box.append(.file(path: BoxName.answer, contents: answer)) }
            if let cached { call.box.append(.file(path: BoxName.staff, contents: cached.record)) }
            let t0 = Date()
            let course = try await jailed(python, call, step: "course run")
            let courseCallS = Date().timeIntervalSince(t0)
            // Step 5: the course side's one line, validated as untrusted.
            let line = course.stdoutTruncated ? nil : LegacyReply.CourseLine.parse(course.stdout)
            if let cacheKey, let staffRun = line?.staffRun, let record = LegacyStaffCache.parse(staffRun) {
                grader.staffCache.store(cacheKey, seed: seed, record: record.record, seedFree: record.seedFree)
            }
            var result = LegacyReply.result(name: name, course: course, line: line, learner: learner, seed: seed,
                                            logger: grader.logger, started: started)
            result.legacy?.learnerCallS = learnerCallS
            result.legacy?.courseCallS = courseCallS
            result.legacy?.staffCache = cached.map { $0.seedFree ? "hit-seedless" : "hit" } ?? (cacheKey == nil ? nil : "miss")
            return result
        } catch {
            var result = fold.stopped(ErrorPresentation.classify(error, step: "legacy grading"), options: options, started: started)
            result.mode = "gradelib"
            return result
        }
    }

    /// The host's own comparison (LegacyHostCompare) when the handler allows it, the cached staff run was
    /// marked for it and the learner's output has the plain shape; nil: the course's jail decides.
    func hostComparison(staffRecord: Data, learner: RunResult) -> LegacyHostCompare.Outcome? {
        guard settings.hostCompare, !learner.stdoutTruncated,
              let staff = LegacyHostCompare.staffResults(record: staffRecord) else { return nil }
        // hide_output as the course side reads it: from the payload it is given.
        let payload = (try? JSONSerialization.jsonObject(with: Data(options.payloadJSON.utf8))) as? [String: Any]
        return LegacyHostCompare.reply(staff: staff, learnerStdout: learner.stdout,
                                       hideOutput: PayloadResolver.truthy(payload?["hide_output"]))
    }

    /// What the staff run's results depend on (LegacyStaffCache.Key), the seed left to the lookup.
    func staffKey(graderName: String, grader graderData: Data, answer: Data) -> LegacyStaffCache.Key {
        let settings = self.settings
        var lang = "en"
        if let payload = (try? JSONSerialization.jsonObject(with: Data(options.payloadJSON.utf8))) as? [String: Any],
           let value = payload["lang"] {
            lang = (value as? String).map { "s:" + $0 } ?? "other:\(value)"
        }
        return LegacyStaffCache.Key(graderName: graderName, grader: graderData, answer: answer,
                                    support: LegacyStaffCache.supportVersion(settings.supportDirectory),
                                    settings: "\(settings.python)|\(settings.limits)|\(settings.profileMemory.map(String.init) ?? "-")",
                                    lang: lang, seed: nil)
    }

    /// The submission's bytes, unchanged (`\r\n` must reach the grader, docs/reference/gradelib.md, "The grading
    /// flow").
    func submissionBytes() throws -> Data {
        switch submission {
        case let .response(data, _): return data
        case let .files(files):
            guard files.count == 1 else { throw GradingError.submission("This problem takes one Python file; \(files.count) were submitted.") }
            return files[0].data
        }
    }

    /// Where `conf/locale` is looked up: the given course root, else the nearest directory above the
    /// grader that holds one (docs/reference/gradelib.md, "The flow in polygrader").
    func courseRoot() -> String? {
        if let root = options.courseRoot { return root }
        var dir = (graderFile as NSString).deletingLastPathComponent
        while true {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/conf/locale", isDirectory: &isDir), isDir.boolValue { return dir }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent == dir || parent.isEmpty { return nil }
            dir = parent
        }
    }

    /// A run of the package: `-B`, an environment of exactly the hash seed and the package's path.
    func makeCall(_ arguments: [String], _ limits: Limits, _ addressSpace: UInt64?) -> ToolRun {
        let support = settings.supportDirectory
        var call = ToolRun(arguments: ["-B", "-m"] + arguments, sandbox: LegacySettings.sandbox, limits: limits,
                           environment: ["PYTHONHASHSEED": "0", "PYTHONPATH": support])
        call.addressSpace = addressSpace
        call.readOnly = [support + "/grader_support"]
        return call
    }

    /// One jailed run; the jail's own failure is retried once in a fresh box, then it is ours (IE).
    func jailed(_ python: ResolvedTool, _ call: ToolRun, step: String) async throws -> RunResult {
        var last = "the jail failed"
        for attempt in 0..<2 {
            do {
                let r = try await grader.runner.run(python, call)
                if r.status != .IE { return r }
                last = r.error ?? "internal error"
            } catch {
                last = "\(error)"
            }
            if attempt == 0 { grader.logger.warning("legacy \(step): internal error, retrying once in a fresh box", metadata: ["staff": "\(last)"]) }
        }
        throw GradingError.jail(step: step, detail: last)
    }
}

/// The interpreters legacy handlers name, resolved once each.
actor LegacyToolchains {
    private var resolved: [String: ResolvedTool] = [:]

    func resolve(_ path: String) async throws -> ResolvedTool {
        if let t = resolved[path] { return t }
        let t = try await ToolchainResolver.interpreter(path, resolve: ["-c", "import sys; print(sys.executable); print(sys.prefix); print(sys.base_prefix)"])
        resolved[path] = t
        return t
    }
}
