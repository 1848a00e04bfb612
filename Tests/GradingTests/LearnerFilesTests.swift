// Learner files against the box (issue 14, items 2, 5 and 6): names that tools would read as
// options are refused, clashes with the box layout are a CE naming the file (never IE), replaced
// files are said in the feedback, and checkers get the test input's bytes unaltered.
import Foundation
import Grading
import Intake
import Sandbox
import Testing

@Suite("Learner files in the box")
struct LearnerFilesTests {
    init() throws { try #require(G.jail != nil, "the jail cannot run on this host") }

    static func filesProblem(_ language: String, extra: String = "", files: [String: String] = [:]) throws -> PrivateDirectory {
        try G.problem(["problem.yml": """
            schema: polygrader.problem/v1
            languages: [\(language)]
            submission: {from: files}
            \(extra)tests:
              - {name: a, stdin: "", expect: "ok", visibility: visible}
            """].merging(files) { $1 })
    }

    @Test("an upload @r.c beside an r.c holding gcc options is CE naming it; gcc never reads r.c as options")
    func responseFileUpload() async throws {
        let d = try Self.filesProblem("c")
        defer { d.remove() }
        let r = await G.grader().grade(problemPath: d.path, submission: .files([
            SubmittedFile(path: "@r.c", data: Data("#include <stdio.h>\nint main(void){puts(\"ok\");return 0;}\n".utf8)),
            SubmittedFile(path: "r.c", data: Data("-wrapper /bin/echo,PWNED\n".utf8)),
        ]))
        #expect(r.verdict == .CE)
        #expect(r.reply.msg.contains("@r.c"))
        #expect(!r.reply.msg.contains("PWNED") && !(r.compile?.output.contains("PWNED") ?? false))
        #expect(r.tests.allSatisfy { $0.verdict == .CE })
    }

    @Test("an upload named .report on a unit-test problem is CE naming it, not IE")
    func reportDirectory() async throws {
        let d = try G.problem([
            "problem.yml": """
            schema: polygrader.problem/v1
            languages: [python]
            submission: {from: files}
            tests:
              - {name: u, unit: {framework: pytest, files: ["unit/test_m.py"], expect_tests: 1}}
            """,
            "unit/test_m.py": "import m\ndef test_a():\n    assert m.f() == 1\n",
        ])
        defer { d.remove() }
        let r = await G.grader().grade(problemPath: d.path, submission: .files([
            SubmittedFile(path: "m.py", data: Data("def f():\n    return 1\n".utf8)),
            SubmittedFile(path: ".report", data: Data("x".utf8)),
        ]))
        #expect(r.verdict == .CE, "\(r.errors.map(\.staff))")
        #expect(r.reply.msg.contains(".report"))
        #expect(!r.reply.msg.contains("staging"))
    }

    @Test("a folder named like a support file is CE naming the learner's file")
    func folderOverSupportFile() async throws {
        let accepted = try Data(contentsOf: URL(fileURLWithPath: G.course + "/c-bits/submissions/accepted/bits.c"))
        let dir = try PrivateDirectory.make(prefix: "clash")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path + "/src/bits.h", withIntermediateDirectories: true)
        try accepted.write(to: URL(fileURLWithPath: dir.path + "/src/bits.c"))
        try "int x;\n".write(toFile: dir.path + "/src/bits.h/extra.c", atomically: true, encoding: .utf8)
        let tar = try HostCommand.runBlocking(["/bin/tar", "-C", dir.path + "/src", "-cf", dir.path + "/s.tar", "bits.c", "bits.h/extra.c"],
                                              environment: nil, stdinFile: nil, timeout: 30, outputCap: 4096)
        try #require(tar.status == 0, "\(tar.stderrText)")
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/s.tar"))
        let r = await G.grader().grade(problemPath: G.course + "/c-bits", submission: .files([SubmittedFile(path: "s.tar", data: data)]))
        #expect(r.verdict == .CE, "\(r.errors.map(\.staff))")
        #expect(r.reply.msg.contains("bits.h/extra.c"))
    }

    @Test("a Java class name longer than a file name can be is CE naming the file, not IE")
    func longClassName() async throws {
        let name = "C" + String(repeating: "a", count: 300)
        let code = "public class \(name) { public static void main(String[] a) { System.out.println(\"ok\"); } }\n"
        let r = await G.grader().grade(problemPath: G.course + "/java-sum", submission: .response(Data(code.utf8), name: "Main.java"))
        #expect(r.verdict == .CE, "\(r.errors.map(\.staff))")
        #expect(r.reply.msg.contains("too long"))
        #expect(r.reply.msg.contains("Caaaa"))
    }

    @Test("a support file that replaces a learner file is said in the feedback")
    func replacedSaid() async throws {
        let accepted = try Data(contentsOf: URL(fileURLWithPath: G.course + "/c-bits/submissions/accepted/bits.c"))
        let r = await G.grader().grade(problemPath: G.course + "/c-bits", submission: .files([
            SubmittedFile(path: "bits.c", data: accepted), SubmittedFile(path: "bits.h", data: Data("#error mine\n".utf8)),
        ]))
        #expect(r.verdict == .AC, "\(r.errors.map(\.staff))")
        #expect(r.reply.msg.contains("The problem's own copy was used instead of your file \"bits.h\""))
    }

    @Test("a custom checker receives binary test input byte for byte")
    func binaryInputToChecker() async throws {
        let d = try G.problem([
            "problem.yml": """
            schema: polygrader.problem/v1
            languages: [python]
            checker: {type: custom, program: check.py}
            tests:
              - {name: bin, in: tests/bin.in}
            """,
            "check.py": """
            import sys, json
            data = open(sys.argv[1], 'rb').read()
            print(json.dumps({"passed": data == b'\\xff\\xfe\\x00\\x80\\n', "staff": repr(data)}))
            """,
        ])
        defer { d.remove() }
        try FileManager.default.createDirectory(atPath: d.path + "/tests", withIntermediateDirectories: true)
        try Data([0xff, 0xfe, 0x00, 0x80, 0x0a]).write(to: URL(fileURLWithPath: d.path + "/tests/bin.in"))
        let r = await G.grader().grade(problemPath: d.path, submission: .response(Data("print('x')\n".utf8), name: "a.py"))
        #expect(r.verdict == .AC, "\(r.tests.map { $0.staffFeedback ?? "" })")
    }
}
