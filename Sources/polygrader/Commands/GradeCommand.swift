// `polygrader grade PROBLEM FILE...`: grade one submission locally, exactly as the watcher would: the
// command builds the grader_payload the watcher would receive and calls the same entry point
// (Grader.grade(payload:graderRoot:)). Native problems: docs/reference/results.md, "grade --json"; legacy grader.py:
// docs/reference/gradelib.md, "The flow in polygrader".
import ArgumentParser
import Foundation
import Grading
import Intake
import Languages
import Sandbox
import Watcher

struct GradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade a submission against a problem, as the watcher would, and show staff everything.",
        discussion: "Exit 0 when a reply was produced (any verdict), 1 on an internal error, 2 on bad arguments or problem files.")

    @Argument(help: "The problem directory (or its problem .yml), or a legacy grader .py.") var problem: String
    @Argument(help: "The learner's files (one file for a legacy grader).") var files: [String] = []
    @Option(help: "Language tag (else from the problem or the file names).") var language: String?
    @Option(help: "A grader_payload JSON object (language, hide_output, tests, skip_grader, lang).") var payload: String?
    @Option(help: "Legacy graders: the seed of both runs (default: random 0…20000).") var seed: Int?
    @Flag(help: "Submit the files as uploads (xqueue_files) even if the problem takes typed code.") var upload = false
    @Flag(help: "Print the result as JSON.") var json = false
    @Option(help: "Write the learner's feedback HTML to this file.") var html: String?
    @Option(name: .customLong("grader-root"), help: "The course root: PROBLEM is resolved under it as the watcher does, and legacy graders find conf/locale there.")
    var graderRoot: String?
    @Flag(help: ArgumentHelp("Legacy graders: grade the submissions named on stdin (`SEED PATH` per line) with one Grader, one JSON line each (benchmarks/legacy).", visibility: .hidden))
    var batch = false
    @Flag(name: .customLong("course-compare"), help: ArgumentHelp("Legacy graders: always compare in the course's jail, never on the host (docs/legacy-graders.md, \"The host's own comparison\"; benchmarks/legacy --course-compare).", visibility: .hidden))
    var courseCompare = false
    @OptionGroup var environment: EnvironmentOptions

    func run() async throws {
        let (root, rel, courseRoot) = try locate()
        let full = (root as NSString).appendingPathComponent(rel)
        let mode: ProblemMode
        do { mode = try ProblemMode.of(full) } catch { printError("\(problem): \(error)"); throw Exit.usage }
        if batch { return try await runBatch(mode: mode, root: root, rel: rel, courseRoot: courseRoot) }
        var uploads: [SubmittedFile] = []
        for f in files {
            guard let data = FileManager.default.contents(atPath: f) else { printError("cannot read \(f)"); throw Exit.usage }
            uploads.append(SubmittedFile(path: (f as NSString).lastPathComponent, data: data))
        }
        guard !uploads.isEmpty else { printError("give the learner's file(s)"); throw Exit.usage }
        let submission: SubmissionInput
        // A one-shot grading checks only the languages it can use: the problem's, or --language's.
        var needed: Set<String>? = nil
        switch mode {
        case .native(let path):
            let loaded: Problem
            do { loaded = try ProblemLoader.load(path: path, displayName: problem) } catch { printError("\(error)"); throw Exit.usage }
            let asFiles = upload || uploads.count > 1 || loaded.source == .files || uploads.contains { ArchiveExtractor.isArchiveName($0.path) }
            if asFiles && loaded.source == .response {
                printError("\(problem) takes typed code (submission.from: response): give one file, without --upload")
                throw Exit.usage
            }
            submission = asFiles ? .files(uploads) : .response(uploads[0].data, name: uploads[0].path)
            let payloadLanguage = payload.flatMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }?["language"] as? String
            let named = [loaded.language, language, payloadLanguage].compactMap { $0 } + (loaded.languages ?? [])
            if !named.isEmpty { needed = Set(named.map { $0.lowercased() }) }
        case .legacy, .gradelib:
            needed = []
            guard uploads.count == 1, !upload else { printError("\(problem) is a legacy grader: give exactly one submission file"); throw Exit.usage }
            // The file's bytes exactly, whatever its name: `\r\n` must reach the grader (docs/reference/gradelib.md,
            // "The grading flow").
            submission = .response(uploads[0].data, name: nil)
        }
        let payloadText = try payloadJSON(grader: rel)
        let engine = try environment.engine()
        var registry = await engine.registry(only: needed)
        // A problem may name a language by an alias of another file: then the whole registry.
        if let needed, !needed.isEmpty, needed.contains(where: { registry.find($0) == nil }) { registry = await engine.registry() }
        let grader = engine.grader(registry: registry)
        let result = await grader.grade(payload: payloadText, graderRoot: root, submission: submission,
                                        local: LocalOverrides(seed: seed, courseRoot: courseRoot, displayName: problem))
        if let html { try result.reply.msg.write(toFile: html, atomically: true, encoding: .utf8) }
        if json { print(try jsonText(result)) } else if result.mode == "gradelib" { printLegacy(result) } else { printTable(result) }
        if result.verdict == .IE { throw Exit.failure }
    }

    /// `--batch`: what the watcher pays per submission, without a process start per submission. One
    /// Grader (built once, as a handler is) grades every submission through the watcher's entry point on
    /// one slot (as a watcher with one slot does);
    /// a `{"ready": true}` line says the set-up is done, then one compact JSON line per graded line of
    /// stdin: the result as `--json` gives it, plus `host_cpu_s`, this process's own CPU time for it.
    func runBatch(mode: ProblemMode, root: String, rel: String, courseRoot: CourseRoot) async throws {
        switch mode { case .legacy, .gradelib: break; case .native: printError("--batch takes a legacy grader"); throw Exit.usage }
        guard files.isEmpty else { printError("--batch takes a legacy grader and no files"); throw Exit.usage }
        let payloadText = try payloadJSON(grader: rel)
        let engine = try environment.engine()
        // As the watcher grades: one handler's Grader, every run of a submission on one slot's jail.
        var legacy = LegacySettings()
        legacy.hostCompare = !courseCompare
        let base = engine.grader(registry: await engine.registry(only: []), legacy: legacy)
        let grader = base.onJail(engine.jail.onSlot(engine.jail.instance.slotNumbers.first ?? 0))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        emit("{\"ready\": true}")
        while let line = readLine() {
            let fields = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard fields.count == 2, let seed = Int(fields[0]), let data = FileManager.default.contents(atPath: fields[1]) else {
                printError("--batch: expected `SEED PATH` naming a readable file, got \(line)"); throw Exit.usage
            }
            let cpu0 = Self.ownCPUSeconds()
            let result = await grader.grade(payload: payloadText, graderRoot: root, submission: .response(data, name: nil),
                                            local: LocalOverrides(seed: seed, courseRoot: courseRoot, displayName: problem))
            let cpu = Self.ownCPUSeconds() - cpu0
            var object = try JSONSerialization.jsonObject(with: encoder.encode(result)) as? [String: Any] ?? [:]
            object["host_cpu_s"] = cpu
            emit(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
        }
    }

    /// This process's user + system CPU time (every thread; the jail helpers are separate processes).
    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(Int32(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// One line on stdout, written at once (the driver waits for it).
    func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// The grader root and PROBLEM's path under it, as a payload would name it. With --grader-root,
    /// PROBLEM is relative to it (the payload's `grader`) or a path inside it; without, the problem's
    /// own directory is the root and catalogs are the nearest `conf/locale` above the grader.
    func locate() throws -> (root: String, rel: String, courseRoot: CourseRoot) {
        let fm = FileManager.default
        if let graderRoot {
            guard let realRoot = PayloadResolver.realpath(graderRoot) else { printError("--grader-root \(graderRoot): no such directory"); throw Exit.usage }
            if !problem.hasPrefix("/"), fm.fileExists(atPath: (realRoot as NSString).appendingPathComponent(problem)) {
                return (realRoot, problem, .graderRoot)
            }
            guard let real = PayloadResolver.realpath(problem), real.hasPrefix(realRoot + "/") else {
                printError("\(problem): not found under --grader-root \(graderRoot)"); throw Exit.usage
            }
            return (realRoot, String(real.dropFirst(realRoot.count + 1)), .graderRoot)
        }
        guard let real = PayloadResolver.realpath(problem) else { printError("\(problem): no such problem"); throw Exit.usage }
        return ((real as NSString).deletingLastPathComponent, (real as NSString).lastPathComponent, .nearest)
    }

    /// The grader_payload the watcher would get: --payload's keys, the grader path, --language if unset.
    func payloadJSON(grader rel: String) throws -> String {
        var object: [String: Any] = [:]
        if let payload {
            guard let o = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any] else {
                printError("--payload: not a JSON object"); throw Exit.usage
            }
            do { _ = try PayloadResolver.options(payload) } catch { printError("--payload: \(error)"); throw Exit.usage }
            object = o
        }
        object["grader"] = rel
        object.removeValue(forKey: "problem")
        if object["language"] == nil, let language { object["language"] = language } // the payload's language wins
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    func printLegacy(_ r: GradeResult) {
        print("\(r.problem): correct \(r.reply.correct)  score \(r.reply.score)  (gradelib, \(String(format: "%.2f", r.durationS)) s)")
        if let l = r.legacy {
            print("outcome: \(l.outcome)" + (l.seed.map { "  seed \($0)" } ?? ""))
            for line in l.staffLog { print("staff: " + line) }
        }
        for e in r.errors { print("\(e.kind.rawValue) error: \(e.staff)") }
        print(r.reply.msg)
    }

    func printTable(_ r: GradeResult) {
        let lang = r.language.map { "\($0.name) \($0.version)" } ?? "-"
        print("\(r.problem): \(r.verdict.rawValue)  score \(r.score)  correct \(r.correct)  (\(lang), \(String(format: "%.2f", r.durationS)) s)")
        if let c = r.compile, !c.output.isEmpty { print("compiler output:\n" + c.output.split(separator: "\n").prefix(20).map { "  " + $0 }.joined(separator: "\n")) }
        let rows = r.tests.map { t -> [String] in
            let time = t.run.map { String(format: "%.3f s", $0.cpuS) } ?? t.timeS.map { String(format: "%.3f s", $0) } ?? "-"
            let mem = t.run.map { Units.format(bytes: $0.memoryPeakBytes) } ?? "-"
            let pts = String(format: "%g/%g", t.points.earned, t.points.possible)
            return [t.name, t.verdict.rawValue, pts, time, mem, t.visibility.rawValue, t.message]
        }
        let header = ["TEST", "VERDICT", "POINTS", "CPU", "MEMORY", "SHOWN", "MESSAGE"]
        let all = [header] + rows
        let widths = (0..<6).map { i in all.map { $0[i].count }.max() ?? 0 }
        for row in all {
            print((0..<6).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[6])
        }
        for e in r.errors { print("\(e.kind.rawValue) error: \(e.staff)") }
        print(String(format: "points %g/%g  fraction %.4f", r.points.earned, r.points.possible, r.fraction))
    }
}
