// Unit-test reports (issue 14, items 3 and 6): a report holding a DTD is refused before it is
// parsed (no entity is ever expanded in polygrader's process), the parse is bounded, and a
// non-finite time never breaks `grade --json`.
import Foundation
import Grading
import Sandbox
import Testing

@Suite("Hostile unit-test reports")
struct HostileReportTests {
    static func parse(_ xml: String) -> [UnitOutcome]? {
        UnitReportParser.parse(format: "junit-xml", data: Data(xml.utf8), exitCode: 1, suite: "s")
    }

    @Test("a plain JUnit report parses")
    func plain() {
        let r = Self.parse(#"<testsuites><testsuite><testcase classname="T" name="a" time="0.5"/><testcase classname="T" name="b"><failure message="no"/></testcase></testsuite></testsuites>"#)
        #expect(r?.map(\.id) == ["T.a", "T.b"])
        #expect(r?.map(\.verdict) == [.AC, .WA])
        #expect(r?.first?.timeS == 0.5)
    }

    @Test("a report with a DTD or an entity declaration is refused, whatever the case, never expanded",
          arguments: [#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><testsuite><testcase classname="T" name="&b;"/></testsuite>"#,
                      #"<!doctype r [<!ENTITY a "x">]><testsuite><testcase classname="T" name="&a;"/></testsuite>"#,
                      #"<!DOCTYPE testsuite SYSTEM "file:///etc/passwd"><testsuite><testcase classname="T" name="a"/></testsuite>"#])
    func dtd(_ xml: String) {
        #expect(Self.parse(xml) == nil)
        #expect(UnitReportParser.parse(format: "check-xml", data: Data(xml.utf8), exitCode: 1, suite: "s") == nil)
    }

    @Test("nesting deeper than 64 elements, more than 200 000 elements, or more than 4 MiB is refused")
    func bounds() {
        let deep = String(repeating: "<x>", count: 100) + #"<testcase classname="T" name="a"/>"# + String(repeating: "</x>", count: 100)
        #expect(Self.parse(deep) == nil)
        let many = "<testsuite>" + String(repeating: "<x/>", count: 250_000) + #"<testcase classname="T" name="a"/></testsuite>"#
        #expect(Self.parse(many) == nil)
        let large = #"<testsuite><testcase classname="T" name="a"><system-out>"# + String(repeating: "y", count: 5 << 20) + "</system-out></testcase></testsuite>"
        #expect(Self.parse(large) == nil)
        #expect(UnitReportParser.parse(format: "tap", data: Data(String(repeating: "ok 1 - a\n", count: 500_000).utf8), exitCode: 0, suite: "s") == nil)
    }

    @Test("a time of nan, inf or a negative number is no time at all")
    func nonFiniteTime() {
        for t in ["nan", "inf", "-1", "1e999"] {
            let r = Self.parse(#"<testsuite><testcase classname="T" name="a" time="\#(t)"/></testsuite>"#)
            #expect(r?.first?.timeS == nil, "\(t)")
        }
    }

    @Test("learner code rewriting the report at exit with time=\"nan\" and 300 extra tests: grade --json still encodes, extra tests ignored")
    func learnerReport() async throws {
        try #require(G.jail != nil)
        let d = try G.problem([
            "problem.yml": """
            schema: polygrader.problem/v1
            languages: [python]
            submission: {filename: mod.py}
            tests:
              - name: suite
                unit: {framework: pytest, files: ["unit/test_mod.py"], expect_tests: 2}
                visibility: visible
            """,
            "unit/test_mod.py": "import mod\ndef test_a():\n    assert mod.f() == 1\ndef test_b():\n    assert mod.f() == 1\n",
        ])
        defer { d.remove() }
        let cases = (0..<300).map { #"<testcase classname="test_mod" name="fake\#($0)" time="nan"/>"# }.joined()
        let code = """
            import atexit, os
            def f():
                return 1
            def _rewrite():
                d = os.environ.get('REPORT_DIR', '/box/.report')
                for name in os.listdir(d):
                    if name.endswith('.xml'):
                        open(os.path.join(d, name), 'w').write('<testsuites><testsuite><testcase classname="test_mod" name="test_a" time="nan"/>\(cases)</testsuite></testsuites>')
            atexit.register(_rewrite)
            """
        let r = await G.grader().grade(problemPath: d.path, submission: .response(Data(code.utf8), name: "mod.py"))
        #expect(r.verdict == .AC, "\(r.errors.map(\.staff)) \(r.tests.map(\.message))")
        #expect(r.tests.count == 2)
        let encoder = JSONEncoder()
        let json = try encoder.encode(r)
        let obj = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(obj?["verdict"] as? String == "AC")
    }
}
