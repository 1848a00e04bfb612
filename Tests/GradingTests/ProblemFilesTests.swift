// Problem files through links (issue 14, item 1): every file of a problem is opened beneath its
// directory without following a link; a link leading outside, or to anything but a regular file or
// directory, refuses the problem naming the file, and nothing of its target reaches any output.
import Foundation
import Grading
import Sandbox
import Testing

@Suite("Problem files and links")
struct ProblemFilesTests {
    static let yml = """
        schema: polygrader.problem/v1
        languages: [python]
        tests:
          - {name: a, in: tests/a.in, out: tests/a.out, visibility: visible}
        """

    /// A problem whose visible test's `out` is a link to `target`.
    func linkedOut(_ target: String) throws -> PrivateDirectory {
        let d = try G.problem(["problem.yml": Self.yml, "tests/a.in": "1\n", "tests/real.out": "1\n"])
        try FileManager.default.createSymbolicLink(atPath: d.path + "/tests/a.out", withDestinationPath: target)
        return d
    }

    @Test("a test's out linked to a root-only file or to /proc/self/environ is refused at load, naming the file",
          arguments: ["/etc/shadow", "/proc/self/environ"])
    func linkedExpected(_ target: String) async throws {
        setenv("POLYGRADER_TEST_SECRET", "s3cret-grader-credential", 1)
        let d = try linkedOut(target)
        defer { d.remove() }
        #expect { try ProblemLoader.load(path: d.path, displayName: "p") } throws: { e in
            let text = "\(e)"
            return text.contains("tests/a.out") && text.contains("symbolic link") && !text.contains("root:") && !text.contains("s3cret")
        }
        try #require(G.jail != nil)
        let r = await G.grader().grade(problemPath: d.path, submission: .response(Data("print(input())\n".utf8), name: "a.py"))
        #expect(r.verdict == .IE)
        #expect(r.errors.first?.kind == .problem)
        #expect(r.errors.first?.staff.contains("tests/a.out") == true)
        let everything = r.reply.msg + r.errors.map(\.staff).joined() + r.tests.map { "\($0.message)\($0.checkerFeedback ?? "")" }.joined()
        #expect(!everything.contains("root:") && !everything.contains("s3cret"))
    }

    @Test("a link that stays inside the problem directory is never listed nor opened, and does not refuse the problem")
    func innerLink() throws {
        let d = try G.problem(["problem.yml": """
            schema: polygrader.problem/v1
            languages: [python]
            tests:
              - glob: {in: "tests/*.in", out: "{dir}/{stem}.out"}
            """, "tests/1.in": "x", "tests/1.out": "x", "shared/2.in": "y"])
        defer { d.remove() }
        try FileManager.default.createSymbolicLink(atPath: d.path + "/tests/2.in", withDestinationPath: "../shared/2.in")
        let p = try ProblemLoader.load(path: d.path)
        #expect(p.files.contains("tests/1.in") && !p.files.contains("tests/2.in"))
        #expect(p.items.count == 1)
        // Named explicitly, the same link is refused: problem files are opened without following links.
        try (Self.yml.replacingOccurrences(of: "tests/a.in", with: "tests/2.in").replacingOccurrences(of: "tests/a.out", with: "tests/1.out"))
            .write(toFile: d.path + "/problem.yml", atomically: true, encoding: .utf8)
        #expect { try ProblemLoader.load(path: d.path) } throws: { "\($0)".contains("tests/2.in is a symbolic link") }
    }

    @Test("links out of the directory, dangling links and FIFOs anywhere in the problem refuse it, naming the entry",
          arguments: [("support/evil.h", "/etc/shadow"), ("unit/dir", "/etc"), ("deep/a/b/gone", "/nonexistent/x"), ("dev", "/dev/null")])
    func linksAnywhere(_ link: String, _ target: String) throws {
        let d = try G.problem(["problem.yml": "schema: polygrader.problem/v1\ntests:\n  - {name: a, stdin: x, expect: x}\n"])
        defer { d.remove() }
        try FileManager.default.createDirectory(atPath: d.path + "/" + (link as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: d.path + "/" + link, withDestinationPath: target)
        #expect { try ProblemLoader.load(path: d.path, displayName: "p") } throws: { e in
            "\(e)".contains("p/problem.yml") && "\(e)".contains(link) && !"\(e)".contains(target)
        }
        let fifo = try G.problem(["problem.yml": "schema: polygrader.problem/v1\ntests:\n  - {name: a, stdin: x, expect: x}\n"])
        defer { fifo.remove() }
        #expect(mkfifo(fifo.path + "/pipe", 0o600) == 0)
        #expect { try ProblemLoader.load(path: fifo.path) } throws: { "\($0)".contains("pipe is not a regular file or directory") }
    }

    @Test("support files, unit-test files, test files, checkers and extends are checked at load, links and escapes refused")
    func everyPathChecked() throws {
        let cases: [(String, String)] = [
            ("support_files: [\"files/*.h\"]\ntests:\n  - {name: a, stdin: x, expect: x}\n", "files/*.h"),
            ("tests:\n  - {name: u, unit: {framework: pytest, files: [\"unit/*.py\"], expect_tests: 1}}\n", "unit/*.py"),
            ("tests:\n  - {name: a, stdin: x, expect: x, files: {data.txt: files/data.txt}}\n", "files/data.txt"),
            ("checker: {type: custom, program: files/check.py}\ntests:\n  - {name: a, stdin: x}\n", "files/check.py"),
            ("checker: {type: custom, program: ../check.py}\ntests:\n  - {name: a, stdin: x}\n", "../check.py"),
            ("checker: {type: custom, program: /usr/bin/true}\ntests:\n  - {name: a, stdin: x}\n", "/usr/bin/true"),
            ("extends: files/base.yml\n", "files/base.yml"),
        ]
        for (body, named) in cases {
            let d = try G.problem(["problem.yml": "schema: polygrader.problem/v1\nlanguages: [python]\n" + body,
                                   "real/x": "schema: polygrader.problem/v1\ntests:\n  - {name: b, stdin: x, expect: x}\n"])
            defer { d.remove() }
            try FileManager.default.createDirectory(atPath: d.path + "/files", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: d.path + "/unit", withIntermediateDirectories: true)
            // Links that stay inside the directory: ignored when listing, refused when named.
            for name in ["files/a.h", "unit/test_a.py", "files/data.txt", "files/check.py", "files/base.yml"] {
                try FileManager.default.createSymbolicLink(atPath: d.path + "/" + name, withDestinationPath: "../real/x")
            }
            #expect(throws: ConfigErrors.self, "\(named)") { try ProblemLoader.load(path: d.path) }
            #expect { try ProblemLoader.load(path: d.path) } throws: { "\($0)".contains(named) }
        }
    }

    @Test("box names an author gives must be plain names: no part starting with - or @, none over 255 bytes, not .report")
    func authorBoxNames() throws {
        for (body, bad) in [("submission: {filename: \"-o.py\"}\n", "-o.py"),
                            ("submission: {filename: \".report/x.py\"}\n", ".report/x.py"),
                            ("submission: {filename: \"\(String(repeating: "a", count: 300)).py\"}\n", "bytes")] {
            let d = try G.problem(["problem.yml": "schema: polygrader.problem/v1\n" + body + "tests:\n  - {name: a, stdin: x, expect: x}\n"])
            defer { d.remove() }
            #expect { try ProblemLoader.load(path: d.path) } throws: { "\($0)".contains(bad) }
        }
    }
}
