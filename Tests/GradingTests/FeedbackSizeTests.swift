// Feedback size (issue 14, item 4): learner-derived pieces are cut by bytes after escaping, the
// whole msg stays within feedback.max_bytes, reported tests beyond expect_tests are not rows, and a
// flood ends as the verdict it earned, never IE.
import Foundation
@testable import Grading
import Sandbox
import Testing

@Suite("Feedback size")
struct FeedbackSizeTests {
    init() throws { try #require(G.jail != nil, "the jail cannot run on this host") }

    static func visibleProblem(maxBytes: Int? = nil, tests: Int = 1) throws -> PrivateDirectory {
        let feedback = maxBytes.map { "feedback: {max_bytes: \($0)}\n" } ?? ""
        let entries = (1...tests).map { "  - {name: t\($0), stdin: \"\", expect: \"ok\", visibility: visible}" }.joined(separator: "\n")
        return try G.problem(["problem.yml": "schema: polygrader.problem/v1\nlanguages: [python]\n\(feedback)tests:\n\(entries)\n"])
    }

    @Test("1 MB of 0xff, one character with 200 000 combining marks, an escaped stderr tail: the verdict earned, a msg within 64 KiB, a visible cut note",
          arguments: [("sys.stdout.buffer.write(b'\\xff' * 1000000)", Verdict.WA), ("sys.stdout.write('a' + '\\u0301' * 200000)", .WA),
                      ("sys.stderr.write('<&>' * 20000); sys.exit(3)", .RE)])
    func outputFlood(_ code: String, _ verdict: Verdict) async throws {
        let d = try Self.visibleProblem()
        defer { d.remove() }
        let r = await G.grader().grade(problemPath: d.path, submission: .response(Data("import sys\n\(code)\n".utf8), name: "a.py"))
        #expect(r.verdict == verdict, "\(r.errors.map(\.staff))")
        #expect(r.reply.msg.utf8.count <= 65536, "msg has \(r.reply.msg.utf8.count) bytes")
        #expect(r.reply.msg.contains("bytes not shown"))
        #expect(ExampleCourseTests.wellFormed(r.reply.msg))
    }

    @Test("escaped text is cut by bytes, never inside a reference, with a note; a tail keeps the end")
    func cutByBytes() {
        let marks = "a" + String(repeating: "\u{301}", count: 10_000)
        #expect(marks.count == 1, "one character")
        let cut = XMLText.escape(marks, maxBytes: 100)
        #expect(cut.hasPrefix("a&#x301;"))
        #expect(cut.hasSuffix("\n[… \(marks.utf8.count - 1 - 14 * 2) bytes not shown]"))
        #expect(cut.utf8.count <= 100 + 40)
        #expect(XMLText.isWellFormed("<p>\(cut)</p>"))
        let tail = XMLText.escape("first\n" + String(repeating: "<", count: 50) + "\nlast", maxBytes: 20, keepEnd: true)
        #expect(tail.hasSuffix("&lt;&lt;&lt;\nlast"))
        #expect(tail.hasPrefix("[… "))
        #expect(XMLText.escape("short", maxBytes: 100) == "short")
    }

    @Test("feedback.max_bytes bounds the whole msg: fields shrink, then details go, with a note")
    func maxBytes() async throws {
        let d = try Self.visibleProblem(maxBytes: 4096, tests: 4)
        defer { d.remove() }
        let r = await G.grader().grade(problemPath: d.path, submission: .response(Data("print('y' * 5000)\n".utf8), name: "a.py"))
        #expect(r.verdict == .WA)
        #expect(r.reply.msg.utf8.count <= 4096, "msg has \(r.reply.msg.utf8.count) bytes")
        #expect(r.reply.msg.contains("not shown"))
        #expect(ExampleCourseTests.wellFormed(r.reply.msg))
        var options = GradeOptions()
        options.maxFeedbackBytes = 4096
        let big = try Self.visibleProblem(tests: 4)
        defer { big.remove() }
        let w = await G.grader().grade(problemPath: big.path, submission: .response(Data("print('y' * 5000)\n".utf8), name: "a.py"), options: options)
        #expect(w.reply.msg.utf8.count <= 4096, "a watcher's cap bounds the problem's")
    }

    /// c-bits' accepted solution that floods `lines` fake TAP results: on stdout from a constructor, or
    /// appended to the harness's own report (`$POLYGRADER_REPORT`) when the harness has finished.
    static func flooding(_ lines: Int, intoReport: Bool) throws -> Data {
        let accepted = try String(contentsOfFile: G.course + "/c-bits/submissions/accepted/bits.c", encoding: .utf8)
        let flood = intoReport ? """
            #include <stdio.h>
            #include <stdlib.h>
            static void flood(void) {
                FILE *f = fopen(getenv("POLYGRADER_REPORT"), "a");
                for (int i = 1; f && i <= \(lines); i++) fprintf(f, "ok %d - f\\n", i);
                if (f) fclose(f);
            }
            __attribute__((constructor)) static void later(void) { atexit(flood); }
            """ : """
            #include <stdio.h>
            __attribute__((constructor)) static void flood(void) {
                for (int i = 1; i <= \(lines); i++) printf("ok %d - f\\n", i);
                fflush(stdout);
            }
            """
        return Data((accepted + "\n" + flood).utf8)
    }

    @Test("a flood of 50 000 fake TAP results on stdout counts for nothing: AC as earned, msg within the cap")
    func tapFloodOnStdout() async throws {
        let r = await G.grader().grade(problemPath: G.course + "/c-bits", submission: .response(try Self.flooding(50_000, intoReport: false), name: "bits.c"))
        #expect(r.verdict == .AC, "\(r.errors.map(\.staff))")
        #expect(r.tests.count == 8)
        #expect(r.score == 1)
        #expect(r.reply.msg.utf8.count <= 65536)
        #expect(ExampleCourseTests.wellFormed(r.reply.msg))
    }

    @Test("a flood of 50 000 fake TAP results appended to the report: the report is refused, RE not IE, msg within the cap")
    func tapFloodIntoReport() async throws {
        let r = await G.grader().grade(problemPath: G.course + "/c-bits", submission: .response(try Self.flooding(50_000, intoReport: true), name: "bits.c"))
        #expect(r.verdict == .RE, "\(r.errors.map(\.staff))")
        #expect(r.tests.count == 8)
        #expect(r.score == 0)
        #expect(r.reply.msg.utf8.count <= 65536)
        #expect(ExampleCourseTests.wellFormed(r.reply.msg))
    }

    @Test("600 reported and expected tests: passed rows collapse into a count to stay within max_bytes")
    func manyRows() async throws {
        let d = try G.problem([
            "problem.yml": """
            schema: polygrader.problem/v1
            languages: [c]
            submission: {filename: solution.c}
            tests:
              - name: many
                unit: {framework: harness, files: ["unit/harness.c"], expect_tests: 600}
                visibility: visible
            """,
            "unit/harness.c": """
            #include <stdio.h>
            #include <stdlib.h>
            int answer(void);
            int main(void) {
                FILE *tap = fopen(getenv("POLYGRADER_REPORT"), "w");
                if (!tap) return 2;
                fprintf(tap, "# nonce %s\\n1..600\\n", getenv("POLYGRADER_NONCE"));
                for (int i = 1; i <= 600; i++) fprintf(tap, "ok %d - test_with_a_rather_long_descriptive_name_%d\\n", i, i);
                fclose(tap);
                return answer();
            }
            """,
        ])
        defer { d.remove() }
        let r = await G.grader().grade(problemPath: d.path, submission: .response(Data("int answer(void) { return 0; }\n".utf8), name: "solution.c"))
        #expect(r.verdict == .AC, "\(r.errors.map(\.staff))")
        #expect(r.tests.count == 600)
        #expect(r.reply.msg.utf8.count <= 65536, "msg has \(r.reply.msg.utf8.count) bytes")
        #expect(r.reply.msg.contains("passed tests are not listed"))
        #expect(ExampleCourseTests.wellFormed(r.reply.msg))
    }
}
