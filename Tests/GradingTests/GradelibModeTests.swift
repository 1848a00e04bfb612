// problem.yml with `mode: gradelib` (docs/reference/problem-yml.md, "Mode gradelib"): an xqueue-watcher grader
// graded as legacy mode does, with the problem file's files, limits and feedback, in the real jail.
import Foundation
@testable import Grading
import Sandbox
import Testing

@Suite("problem.yml mode gradelib", .serialized)
struct GradelibModeTests {
    static let grader = LegacyHostTests.graderText + "grader.add_test(gradelib.InvokeStudentFunctionTest('square', [2]))\n"
    static let right = Data("def square(x):\n    return x * x\n".utf8)
    static let wrong = Data("def square(x):\n    return x + x\n".utf8)

    static func problem(_ yml: String, files: [String: String] = [:]) throws -> PrivateDirectory {
        var all = ["ps1/problem.yml": "schema: polygrader.problem/v1\nmode: gradelib\n" + yml]
        for (k, v) in files { all["ps1/" + k] = v }
        return try G.problem(all)
    }

    static func grade(_ dir: PrivateDirectory, _ submission: Data, name: String = "ps1", payload: [String: Any] = [:]) async throws -> GradeResult {
        let grader = Grader(runner: G.runner, registry: await G.registry.value,
                            legacy: LegacySettings(supportDirectory: G.root + "/support/python"))
        var p = payload
        p["grader"] = name
        let text = String(decoding: try JSONSerialization.data(withJSONObject: p), as: UTF8.self)
        return await grader.grade(payload: text, graderRoot: dir.path, submission: .response(submission, name: nil), local: LocalOverrides(seed: 3))
    }

    init() throws { try #require(G.jail != nil, "the jail cannot run on this host") }

    @Test("a directory whose problem.yml says mode gradelib grades its grader.py and answer.py")
    func directory() async throws {
        let d = try Self.problem("", files: ["grader.py": Self.grader, "answer.py": LegacyHostTests.answer])
        #expect(try ProblemMode.of(d.path + "/ps1") == .gradelib(problem: d.path + "/ps1", grader: d.path + "/ps1/grader.py"))
        let good = try await Self.grade(d, Self.right)
        #expect(good.mode == "gradelib" && good.reply.correct && good.reply.score == 1, "\(good.reply.msg)")
        let bad = try await Self.grade(d, Self.wrong)
        #expect(!bad.reply.correct && bad.reply.score == 0.5, "square(3) fails, square(2) passes (2 + 2 = 2 * 2)")
        #expect(bad.reply.msg.contains("<dt>Correct output:</dt>"))
    }

    @Test("gradelib.grader and gradelib.answer name other files; the problem.yml beside a .py grades that .py")
    func namedFiles() async throws {
        let d = try Self.problem("gradelib: {grader: checks.py, answer: solution/reference.py}\n",
                                 files: ["checks.py": Self.grader, "solution/reference.py": LegacyHostTests.answer])
        let r = try await Self.grade(d, Self.right)
        #expect(r.reply.correct && r.reply.score == 1, "\(r.legacy?.outcome ?? "-") \(r.errors.map(\.staff)) \(r.reply.msg)")
        #expect(try ProblemMode.of(d.path + "/ps1/checks.py") == .gradelib(problem: d.path + "/ps1/problem.yml", grader: d.path + "/ps1/checks.py"))
        let viaPy = try await Self.grade(d, Self.wrong, name: "ps1/checks.py")
        #expect(!viaPy.reply.correct && viaPy.reply.score == 0.5)
    }

    @Test("feedback.hide_output hides the tests as the payload's hide_output does")
    func hideOutput() async throws {
        let d = try Self.problem("feedback: {hide_output: true}\n", files: ["grader.py": Self.grader, "answer.py": LegacyHostTests.answer])
        let r = try await Self.grade(d, Self.wrong)
        #expect(!r.reply.correct && r.reply.score == 0.5)
        #expect(!r.reply.msg.contains("<h4>"), "\(r.reply.msg)")
    }

    @Test("limits.cpu applies to the runs: a loop ends in the reference's reply, not a hang")
    func limits() async throws {
        let d = try Self.problem("limits: {cpu: 0.5, wall: 2}\n", files: ["grader.py": Self.grader, "answer.py": LegacyHostTests.answer])
        let r = try await Self.grade(d, Data("def square(x):\n    while True: pass\n".utf8))
        #expect(!r.reply.correct && r.legacy?.learnerRun?.status == .TLE, "\(r.legacy?.learnerRun?.status.rawValue ?? "-")")
        #expect((r.legacy?.learnerRun?.cpuS ?? 9) < 1.0, "the handler default is 1 s of CPU; the problem asked for 0.5")
    }

    @Test("a .py beside a native problem.yml is a payload error, not a silent legacy grading")
    func pyBesideNative() throws {
        let d = try G.problem(["ps1/problem.yml": "schema: polygrader.problem/v1\ntests: []\n", "ps1/grader.py": Self.grader, "ps1/answer.py": ""])
        #expect(throws: GradingError.self) { try ProblemMode.of(d.path + "/ps1/grader.py") }
    }

    @Test("native-only keys, other limits and a missing grader are problem errors", arguments: [
        "tests: []\n", "checker: tokens\n", "limits: {stack: 8MiB}\n", "gradelib: {grader: missing.py}\n", "gradelib: {grader: g.txt}\n",
    ])
    func loaderErrors(_ yml: String) throws {
        let d = try Self.problem(yml, files: ["grader.py": Self.grader, "answer.py": LegacyHostTests.answer, "g.txt": ""])
        #expect(throws: (any Error).self) { try ProblemLoader.load(path: d.path + "/ps1") }
    }

    @Test("gradelib: is refused in mode native")
    func gradelibKeyInNative() throws {
        let d = try G.problem(["problem.yml": "schema: polygrader.problem/v1\ngradelib: {grader: g.py}\ntests: []\n", "g.py": ""])
        #expect(throws: (any Error).self) { try ProblemLoader.load(path: d.path) }
    }
}
