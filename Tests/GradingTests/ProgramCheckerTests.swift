// Custom (JSON verdict) and Kattis (exit 42/43) checkers, run in the jail; their faults are IE.
import Foundation
import Grading
import Sandbox
import Testing

@Suite("Program checkers")
struct ProgramCheckerTests {
    static let solution = "n = int(input())\nprint(n * 2)\n"

    func problem(checker: String, type: String) throws -> PrivateDirectory {
        try G.problem([
            "problem.yml": """
            schema: polygrader.problem/v1
            languages: [python]
            checker: {type: \(type), program: check.py}
            tests:
              - {name: a, stdin: "2\\n", expect: "4\\n", visibility: visible}
              - {name: b, stdin: "5\\n", expect: "10\\n"}
            """,
            "check.py": checker,
        ])
    }

    @Test("a custom checker's JSON decides: partial fractions are WA with points")
    func custom() async throws {
        try #require(G.jail != nil)
        let d = try problem(checker: """
            import sys, json
            inp, exp, out = (open(p).read() for p in sys.argv[1:4])
            ok = out.strip() == exp.strip()
            print(json.dumps({"passed": ok, "fraction": 1 if ok else 0.5, "feedback": "close" if not ok else "good"}))
            """, type: "custom")
        defer { d.remove() }
        let good = await G.grader().grade(problemPath: d.path, submission: .response(Data(Self.solution.utf8), name: "s.py"))
        #expect(good.verdict == .AC && good.score == 1, "\(good.errors.map(\.staff))")
        let half = await G.grader().grade(problemPath: d.path, submission: .response(Data("input()\nprint(0)\n".utf8), name: "s.py"))
        #expect(half.verdict == .WA)
        #expect(half.score == 0.5)
        #expect(half.tests.first?.checkerFeedback == "close")
    }

    @Test("a Kattis validator: 42 accepts, 43 rejects, teammessage reaches the learner")
    func kattis() async throws {
        try #require(G.jail != nil)
        let d = try problem(checker: """
            import sys
            exp = open(sys.argv[2]).read().strip()
            out = sys.stdin.read().strip()
            if out != exp:
                open(sys.argv[3] + 'teammessage.txt', 'w').write('expected ' + exp)
                sys.exit(43)
            sys.exit(42)
            """, type: "kattis")
        defer { d.remove() }
        let good = await G.grader().grade(problemPath: d.path, submission: .response(Data(Self.solution.utf8), name: "s.py"))
        #expect(good.verdict == .AC, "\(good.errors.map(\.staff)) \(good.tests.map(\.staffFeedback))")
        let bad = await G.grader().grade(problemPath: d.path, submission: .response(Data("input()\nprint(7)\n".utf8), name: "s.py"))
        #expect(bad.verdict == .WA && bad.score == 0)
        #expect(bad.tests.first?.checkerFeedback == "expected 4")
    }

    @Test("a checker that crashes or prints no JSON makes the test IE, never WA")
    func faults() async throws {
        try #require(G.jail != nil)
        for checker in ["raise SystemExit(3)\n", "print('not json')\n", "import json\nprint(json.dumps({'passed': True, 'fraction': 2}))\n"] {
            let d = try problem(checker: checker, type: "custom")
            defer { d.remove() }
            let r = await G.grader().grade(problemPath: d.path, submission: .response(Data(Self.solution.utf8), name: "s.py"))
            #expect(r.verdict == .IE, "\(checker)")
            #expect(r.reply.msg.contains("problem on our side"))
            #expect(r.reply.score == 0)
        }
    }
}
