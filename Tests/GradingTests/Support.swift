// Shared setup for grading tests: the real jail, the shipped languages, one Grader.
import Foundation
import Grading
import Intake
import Languages
import Sandbox

enum G {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let course = root + "/examples/course"
    static let sandboxes = try! SandboxCatalog.load(directory: root + "/sandboxes")
    static let jail: PolyjailRunner? = try? PolyjailRunner(minimum: .noCgroup)
    static var runner: LanguageRunner { LanguageRunner(jail: jail!, sandboxes: sandboxes) }
    static let registry = Task { await LanguageRegistry.load(directory: root + "/languages", sandboxes: sandboxes, runner: runner) }
    static func grader() async -> Grader { Grader(runner: runner, registry: await registry.value) }

    /// Grades files (paths relative to the problem) of an example problem.
    static func grade(_ problem: String, _ files: [String], language: String? = nil, upload: Bool = false) async -> GradeResult {
        let dir = course + "/" + problem
        let subs = files.map { SubmittedFile(path: ($0 as NSString).lastPathComponent, data: FileManager.default.contents(atPath: dir + "/" + $0)!) }
        let p = try! ProblemLoader.load(path: dir)
        let asFiles = upload || subs.count > 1 || p.source == .files || subs.contains { ArchiveExtractor.isArchiveName($0.path) }
        let input: SubmissionInput = asFiles ? .files(subs) : .response(subs[0].data, name: subs[0].path)
        return await grader().grade(problemPath: dir, submission: input, options: GradeOptions(language: language))
    }

    /// A scratch problem directory with the given files.
    static func problem(_ files: [String: String]) throws -> PrivateDirectory {
        let d = try PrivateDirectory.make(prefix: "problem")
        for (path, text) in files {
            let full = d.path + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return d
    }
}
