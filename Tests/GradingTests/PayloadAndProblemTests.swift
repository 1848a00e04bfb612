// Payloads and problem files: containment under grader_root, strict problem.yml, and replies for
// every error (docs/reference/problem-yml.md; "Payload resolution"; docs/reference/results.md, "Every error gets a
// reply").
import Foundation
import Grading
import Intake
import Sandbox
import Testing

@Suite("Payloads and problem files")
struct PayloadAndProblemTests {
    @Test("grader paths with .., absolute paths, control characters or symlinks out of the root are payload errors")
    func containment() throws {
        let root = try G.problem(["ok/problem.yml": "x"])
        defer { root.remove() }
        symlink("/etc", root.path + "/escape")
        for bad in ["../etc", "ok/../../etc", "/etc/passwd", "escape/passwd", "ok\n", "", "missing"] {
            #expect(throws: PayloadError.self, "\(bad)") { try PayloadResolver.contain(bad, under: root.path) }
        }
        #expect(try PayloadResolver.contain("ok", under: root.path).hasSuffix("/ok"))
    }

    @Test("payload flags follow Python truthiness; tests may be a name or a list")
    func flags() throws {
        let root = try G.problem(["p/problem.yml": "x"])
        defer { root.remove() }
        let r = try PayloadResolver.resolve(#"  {"grader": "p", "hide_output": "false", "skip_grader": 0, "tests": "sample", "lang": "fr"} "#, graderRoot: root.path)
        #expect(r.options.hideOutput)
        #expect(!r.options.skipGrader)
        #expect(r.options.tests == ["sample"])
        #expect(r.options.locale == "fr")
        #expect(throws: PayloadError.self) { try PayloadResolver.resolve("[1]", graderRoot: root.path) }
        #expect(throws: PayloadError.self) { try PayloadResolver.resolve("{}", graderRoot: root.path) }
    }

    @Test("a misspelled key in problem.yml is an error with a hint, not a silently published test")
    func strictProblem() throws {
        let d = try G.problem(["problem.yml": "schema: polygrader.problem/v1\ntests:\n  - {name: a, stdin: x, expect: x, visiblity: hidden}\n"])
        defer { d.remove() }
        #expect { try ProblemLoader.load(path: d.path, displayName: "p") } throws: {
            "\($0)".contains("p/problem.yml:3:36: tests[0].visiblity: unknown key (hint: did you mean \"visibility\"?)")
        }
    }

    @Test("unknown depends_on names and cycles are errors")
    func dependencies() throws {
        let d = try G.problem(["problem.yml": """
            schema: polygrader.problem/v1
            tests:
              - {name: a, stdin: x, expect: x, depends_on: [b]}
              - {name: b, stdin: x, expect: x, depends_on: [a]}
              - {name: c, stdin: x, expect: x, depends_on: [nope]}
            """])
        defer { d.remove() }
        #expect { try ProblemLoader.load(path: d.path) } throws: { "\($0)".contains("cycle") && "\($0)".contains("unknown test \"nope\"") }
    }

    @Test("every payload error gets a well-formed reply with the neutral message")
    func payloadReplies() async throws {
        try #require(G.jail != nil)
        let grader = await G.grader()
        for payload in ["not json", #"{"grader": "../../etc"}"#, #"{"grader": "ps1/grader.py"}"#, #"{"grader": "c-sum", "tests": ["nope"]}"#] {
            let r = await grader.grade(payload: payload, graderRoot: G.course, submission: .response(Data("x".utf8), name: "a.c"))
            #expect(r.verdict == .IE, "\(payload)")
            #expect(r.reply.correct == false && r.reply.score == 0)
            #expect(r.reply.msg.contains("not set up for automatic grading"), "\(payload)")
            #expect(r.errors.first?.kind == .payload)
            #expect(ExampleCourseTests.wellFormed(r.reply.msg))
        }
    }

    @Test("skip_grader replies correct with full score and runs nothing")
    func skip() async throws {
        try #require(G.jail != nil)
        let r = await G.grader().grade(payload: #"{"grader": "c-sum", "skip_grader": true}"#, graderRoot: G.course,
                                       submission: .response(Data("junk".utf8), name: "a.c"))
        #expect(r.correct && r.score == 1 && r.tests.isEmpty)
    }

    @Test("a payload's tests run only those tests, scored over them")
    func precheck() async throws {
        try #require(G.jail != nil)
        let code = try String(contentsOfFile: G.course + "/c-sum/submissions/accepted/sum.c", encoding: .utf8)
        let r = await G.grader().grade(payload: #"{"grader": "c-sum", "tests": "sample"}"#, graderRoot: G.course,
                                       submission: .response(Data(code.utf8), name: "sum.c"))
        #expect(r.tests.map(\.name) == ["sample/01", "sample/02"])
        #expect(r.score == 1)
    }

    @Test("a problem file that extends another replaces its keys and can select tests (precheck)")
    func extendsAndSelect() async throws {
        try #require(G.jail != nil)
        let p = try ProblemLoader.load(path: G.course + "/c-sum/precheck.yml")
        #expect(p.select == ["sample"])
        #expect(p.languages == ["c"])
        let code = try String(contentsOfFile: G.course + "/c-sum/submissions/accepted/sum.c", encoding: .utf8)
        let r = await G.grader().grade(payload: #"{"grader": "c-sum/precheck.yml"}"#, graderRoot: G.course,
                                       submission: .response(Data(code.utf8), name: "sum.c"))
        #expect(r.tests.map(\.name) == ["sample/01", "sample/02"])
        #expect(r.verdict == .AC && r.score == 1)
        let d = try G.problem(["base.yml": "schema: polygrader.problem/v1\nlanguages: [python]\nscoring: {pass_threshold: 0.5}\ntests:\n  - {name: a, stdin: x, expect: x}\n",
                               "child.yml": "schema: polygrader.problem/v1\nextends: base.yml\nscoring: {mode: all-or-nothing}\n",
                               "loop.yml": "schema: polygrader.problem/v1\nextends: loop.yml\n"])
        defer { d.remove() }
        let child = try ProblemLoader.load(path: d.path + "/child.yml")
        #expect(child.passThreshold == 1, "scoring is replaced whole, not merged")
        #expect(child.scoringMode == .allOrNothing)
        #expect(child.items.count == 1)
        #expect(throws: ConfigErrors.self) { try ProblemLoader.load(path: d.path + "/loop.yml") }
    }

    @Test("an archive attack in an upload is CE naming the entry, and every test shows CE")
    func archiveAttack() async throws {
        try #require(G.jail != nil)
        let dir = try PrivateDirectory.make(prefix: "evil")
        defer { dir.remove() }
        // A tar with a ../ entry, made with the host's tar (trusted test tooling).
        try "int main(void){return 0;}\n".write(toFile: dir.path + "/main.c", atomically: true, encoding: .utf8)
        let r = try HostCommand.runBlocking(["/usr/bin/python3", "-c", """
            import tarfile
            t = tarfile.open('\(dir.path)/evil.tar.gz', 'w:gz')
            t.add('\(dir.path)/main.c', arcname='../main.c')
            t.close()
            """], environment: nil, stdinFile: nil, timeout: 30, outputCap: 4096)
        try #require(r.status == 0, "\(r.stderrText)")
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/evil.tar.gz"))
        let result = await G.grader().grade(problemPath: G.course + "/c-rpn", submission: .files([SubmittedFile(path: "evil.tar.gz", data: data)]))
        #expect(result.verdict == .CE)
        #expect(result.reply.msg.contains("../main.c"))
        #expect(result.tests.allSatisfy { $0.verdict == .CE })
        #expect(ExampleCourseTests.wellFormed(result.reply.msg))
    }

    @Test("a program printing invalid UTF-8 and control bytes still yields a well-formed msg")
    func binaryOutput() async throws {
        try #require(G.jail != nil)
        let d = try G.problem(["problem.yml": "schema: polygrader.problem/v1\nlanguages: [python]\ntests:\n  - {name: t, stdin: \"\", expect: \"ok\", visibility: visible}\n"])
        defer { d.remove() }
        let code = "import sys\nsys.stdout.buffer.write(b'\\xff\\xfe<b>&\\x00\\x07\\x1b]]>')\n"
        let r = await G.grader().grade(problemPath: d.path, submission: .response(Data(code.utf8), name: "a.py"))
        #expect(r.verdict == .WA)
        #expect(ExampleCourseTests.wellFormed(r.reply.msg), "\(r.reply.msg)")
        #expect(!r.reply.msg.contains("<b>"))
    }
}
