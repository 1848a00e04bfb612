// `polygrader grade PROBLEM FILE...`: grade one submission locally, exactly as the watcher would.
import ArgumentParser
import Foundation
import Grading
import Intake
import Languages
import Sandbox

struct GradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade a submission against a problem, as the watcher would, and show staff everything.",
        discussion: "Exit 0 when a reply was produced (any verdict), 1 on an internal error, 2 on bad arguments or problem files.")

    @Argument(help: "The problem directory (or its problem .yml).") var problem: String
    @Argument(help: "The learner's files.") var files: [String]
    @Option(help: "Language tag (else from the problem or the file names).") var language: String?
    @Option(help: "A grader_payload JSON object (language, hide_output, tests, skip_grader, lang).") var payload: String?
    @Flag(help: "Submit the files as uploads (xqueue_files) even if the problem takes typed code.") var upload = false
    @Flag(help: "Print the result as JSON.") var json = false
    @Option(help: "Write the learner's feedback HTML to this file.") var html: String?
    @Option(name: .customLong("grader-root"), help: "Resolve PROBLEM (the payload's grader path) under this root, as the watcher does.") var graderRoot: String?
    @OptionGroup var environment: EnvironmentOptions

    func run() async throws {
        var problem = self.problem
        if let graderRoot {
            do { problem = try PayloadResolver.contain(problem, under: graderRoot) } catch { printError("payload error: \(error)"); throw Exit.usage }
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: problem, isDirectory: &isDir) else { printError("\(problem): no such problem"); throw Exit.usage }
        let loaded: Problem
        do { loaded = try ProblemLoader.load(path: problem, displayName: problem) } catch { printError("\(error)"); throw Exit.usage }
        var options = GradeOptions()
        if let payload {
            do { options = try PayloadResolver.options(payload) } catch { printError("--payload: \(error)"); throw Exit.usage }
        }
        if options.language == nil { options.language = language } // the payload's language wins, as before
        var uploads: [SubmittedFile] = []
        for f in files {
            guard let data = FileManager.default.contents(atPath: f) else { printError("cannot read \(f)"); throw Exit.usage }
            uploads.append(SubmittedFile(path: (f as NSString).lastPathComponent, data: data))
        }
        guard !uploads.isEmpty else { printError("give the learner's file(s)"); throw Exit.usage }
        let asFiles = upload || uploads.count > 1 || loaded.source == .files || uploads.contains { ArchiveExtractor.isArchiveName($0.path) }
        if asFiles && loaded.source == .response {
            printError("\(problem) takes typed code (submission.from: response): give one file, without --upload")
            throw Exit.usage
        }
        let submission: SubmissionInput = asFiles ? .files(uploads) : .response(uploads[0].data, name: uploads[0].path)
        let engine = try Engine(environment)
        let registry = await engine.registry()
        let grader = Grader(runner: engine.runner, registry: registry)
        let result = await grader.grade(problemPath: problem, displayName: problem, submission: submission, options: options)
        if let html { try result.reply.msg.write(toFile: html, atomically: true, encoding: .utf8) }
        if json { print(try jsonText(result)) } else { printTable(result) }
        if result.verdict == .IE { throw Exit.failure }
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
