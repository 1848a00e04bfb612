// Scoring modes, visibility and stop_on_failure, on small scratch problems graded for real.
import Foundation
import Grading
import Sandbox
import Testing

@Suite("Scoring modes and visibility", .serialized)
struct ScoringModeTests {
    /// Doubles its input; wrong on purpose for 3 (prints 7), crashes on 4.
    static let program = "n = int(input())\nif n == 4: raise ValueError('four')\nprint(7 if n == 3 else n * 2)\n"

    func grade(_ yaml: String, _ code: String = ScoringModeTests.program) async throws -> GradeResult {
        let d = try G.problem(["problem.yml": "schema: polygrader.problem/v1\nlanguages: [python]\n" + yaml])
        defer { d.remove() }
        return await G.grader().grade(problemPath: d.path, submission: .response(Data(code.utf8), name: "s.py"))
    }

    static let tests = """
        tests:
          - {name: one, stdin: "1\\n", expect: "2\\n", visibility: visible}
          - {name: two, stdin: "2\\n", expect: "4\\n", points: 2, visibility: summary}
          - {name: three, stdin: "3\\n", expect: "6\\n", visibility: hidden}
          - {name: four, stdin: "4\\n", expect: "8\\n", visibility: hidden}

        """

    @Test("sum: earned over possible, with the worst verdict on top")
    func sum() async throws {
        try #require(G.jail != nil)
        let r = try await grade(Self.tests)
        #expect(r.points.earned == 3 && r.points.possible == 5)
        #expect(r.score == 0.6 && !r.correct)
        #expect(r.verdict == .RE)
        #expect(r.tests.map(\.verdict) == [.AC, .AC, .WA, .RE])
    }

    @Test("all-or-nothing gives 0 unless every test passes; pass_threshold decides correct")
    func allOrNothing() async throws {
        try #require(G.jail != nil)
        let r = try await grade(Self.tests + "scoring: {mode: all-or-nothing}\n")
        #expect(r.score == 0)
        let t = try await grade(Self.tests + "scoring: {pass_threshold: 0.6}\n")
        #expect(t.correct && t.score == 0.6)
    }

    @Test("groups mode scores only groups; an all-or-nothing group earns its points times its smallest fraction")
    func groups() async throws {
        try #require(G.jail != nil)
        let yaml = """
            tests:
              - {name: sample, stdin: "1\\n", expect: "2\\n", visibility: visible}
              - group: easy
                points: 4
                tests:
                  - {name: e1, stdin: "1\\n", expect: "2\\n"}
                  - {name: e2, stdin: "2\\n", expect: "4\\n"}
              - group: hard
                points: 6
                depends_on: [easy]
                tests:
                  - {name: h1, stdin: "5\\n", expect: "10\\n"}
                  - {name: h2, stdin: "3\\n", expect: "6\\n"}
            scoring: {mode: groups}

            """
        let r = try await grade(yaml)
        #expect(r.points.earned == 4 && r.points.possible == 10)
        #expect(r.groups.first { $0.name == "hard" }?.points.earned == 0)
        #expect(r.groups.first { $0.name == "easy" }?.verdict == .AC)
    }

    @Test("depends_on skips dependants of a failed test (SK, no points)")
    func dependsOn() async throws {
        try #require(G.jail != nil)
        let r = try await grade("""
            tests:
              - {name: three, stdin: "3\\n", expect: "6\\n"}
              - {name: one, stdin: "1\\n", expect: "2\\n", depends_on: [three]}

            """)
        #expect(r.tests.map(\.verdict) == [.WA, .SK])
        #expect(r.tests[1].message == "Not run: depends on three")
    }

    @Test("stop_on_failure skips everything after the first failure")
    func stopOnFailure() async throws {
        try #require(G.jail != nil)
        let r = try await grade(Self.tests + "scoring: {stop_on_failure: true}\n")
        #expect(r.tests.map(\.verdict) == [.AC, .AC, .WA, .SK])
    }

    @Test("hidden tests never show their input or expected output; summary shows no diff; hide_output hides visible data")
    func visibility() async throws {
        try #require(G.jail != nil)
        let yaml = """
            tests:
              - {name: vis, stdin: "VISIBLE-IN\\n", expect: "VISIBLE-OUT\\n", visibility: visible}
              - {name: sum, stdin: "SUMMARY-IN\\n", expect: "SUMMARY-OUT\\n", visibility: summary}
              - {name: hid, stdin: "HIDDEN-IN\\n", expect: "HIDDEN-OUT\\n", visibility: hidden}

            """
        let echo = "print(input())\n"
        let r = try await grade(yaml, echo)
        #expect(r.reply.msg.contains("VISIBLE-IN") && r.reply.msg.contains("VISIBLE-OUT"))
        #expect(!r.reply.msg.contains("SUMMARY-IN") && !r.reply.msg.contains("SUMMARY-OUT"))
        #expect(!r.reply.msg.contains("HIDDEN") && !r.reply.msg.contains(">hid<"))
        #expect(r.reply.msg.contains("1 hidden test: 0 passed, 1 wrong answer"))
        let hidden = try await grade(yaml.replacingOccurrences(of: "tests:", with: "feedback: {hide_output: true}\ntests:"), echo)
        #expect(!hidden.reply.msg.contains("VISIBLE-IN"))
    }

    @Test("a problem limit above the language's max_limits is IE with the reason for staff")
    func aboveCeiling() async throws {
        try #require(G.jail != nil)
        let r = try await grade("limits: {memory: 8GiB}\n" + Self.tests)
        #expect(r.verdict == .IE)
        #expect(r.errors.first?.staff.contains("max_limits") == true)
        #expect(r.reply.msg.contains("problem on our side"))
    }
}
