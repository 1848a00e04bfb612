// DemoCourse: the example course's submissions as the demo sends them: every entry of EXPECTED.yml (with
// its expected verdict and score), plus the legacy gradelib problem's submissions. A single-file answer to a
// problem that takes typed code is sent typed (student_response); archives, several files and problems that
// take files are sent as uploads (xqueue_files); problems that take either get both, alternately.
import Foundation
import Yams

struct DemoItem: Sendable {
    var problem: String
    var files: [String]
    var typed: Bool
    var expectedVerdict: String
    var expectedScore: Double
    var expectedCorrect: Bool
}

enum DemoCourse {
    struct Problem: Decodable { let submission: Submission?; struct Submission: Decodable { let from: String? } }
    struct Expected: Decodable {
        let problem: String
        let files: [String]
        let verdict: String
        let score: Double
        let correct: Bool
    }

    /// Legacy problems: (problem, submission, correct, score); their verdict is AC when correct, else WA.
    static let legacy: [(String, String, Bool, Double)] = [
        ("gradelib-squares", "submissions/accepted/square.py", true, 1),
        ("gradelib-squares", "submissions/wrong_answer/double.py", false, 0),
        ("gradelib-squares", "submissions/input_error/lambda.py", false, 0),
    ]

    static func load(_ course: String) throws -> [DemoItem] {
        let path = (course as NSString).appendingPathComponent("EXPECTED.yml")
        guard let text = FileManager.default.contents(atPath: path) else {
            throw DemoError("no \(path): give the example course with --course")
        }
        let expected = try YAMLDecoder().decode([Expected].self, from: text)
        var items: [DemoItem] = []
        var alternate = false
        for e in expected {
            let problemFile = (course as NSString).appendingPathComponent(e.problem + "/problem.yml")
            let from = (try? FileManager.default.contents(atPath: problemFile).map { try YAMLDecoder().decode(Problem.self, from: $0) })??.submission?.from ?? "either"
            let single = e.files.count == 1 && !isArchive(e.files[0])
            var typed = false
            switch from {
            case "response": typed = true
            case "files": typed = false
            default: if single { typed = alternate; alternate.toggle() }
            }
            if !single { typed = false }
            items.append(DemoItem(problem: e.problem, files: e.files, typed: typed, expectedVerdict: e.verdict,
                                  expectedScore: e.score, expectedCorrect: e.correct))
        }
        for (problem, file, correct, score) in legacy
        where FileManager.default.fileExists(atPath: (course as NSString).appendingPathComponent("\(problem)/\(file)")) {
            items.append(DemoItem(problem: problem, files: [file], typed: true, expectedVerdict: correct ? "AC" : "WA",
                                  expectedScore: score, expectedCorrect: correct))
        }
        return items
    }

    static func isArchive(_ name: String) -> Bool {
        [".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz"].contains { name.lowercased().hasSuffix($0) }
    }
}

struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
