// The built-in checkers, byte by byte (docs/reference/problem-yml.md, "Checkers").
import Foundation
@testable import Grading
import Testing

@Suite("Checkers")
struct CheckerTests {
    func check(_ type: String, _ out: String, _ exp: String, _ edit: (inout Problem.CheckerSpec) -> Void = { _ in }) -> Double {
        var s = Problem.CheckerSpec()
        s.type = type
        edit(&s)
        return TextCheckers.check(s, output: Data(out.utf8), expected: Data(exp.utf8)).fraction
    }

    @Test("exact compares bytes, a missing final newline included")
    func exact() {
        #expect(check("exact", "1 2\n", "1 2\n") == 1)
        #expect(check("exact", "1 2", "1 2\n") == 0)
    }

    @Test("tokens ignores whitespace layout but not case, unless asked")
    func tokens() {
        #expect(check("tokens", "1   2\r\n\n3", "1 2 3\n") == 1)
        #expect(check("tokens", "Yes", "yes") == 0)
        #expect(check("tokens", "Yes", "yes") { $0.caseSensitive = false } == 1)
        #expect(check("tokens", "1 2", "1 2 3") == 0)
    }

    @Test("lines: trailing whitespace and blank lines are ignored by default, leading whitespace counts")
    func lines() {
        #expect(check("lines", "a  \nb\r\n\n\n", "a\nb\n") == 1)
        #expect(check("lines", " a\nb\n", "a\nb\n") == 0)
        #expect(check("lines", "a \n", "a\n") { $0.trailingWhitespaceIgnore = false } == 0)
        #expect(check("lines", "a\n\nb\n", "a\nb\n") == 0)
    }

    @Test("floats: absolute and relative tolerance; words compare as tokens; nan is a word")
    func floats() {
        #expect(check("floats", "2.50001 x", "2.5 x") { $0.abs = 1e-4 } == 1)
        #expect(check("floats", "2.6", "2.5") { $0.abs = 1e-4 } == 0)
        #expect(check("floats", "1000001", "1000000") { $0.abs = 0; $0.rel = 1e-5; $0.floatMode = "rel" } == 1)
        #expect(check("floats", "0.0000001", "0") { $0.abs = 1e-6; $0.floatMode = "rel" } == 1)
        #expect(check("floats", "nan", "nan") == 1)
        #expect(check("floats", "abc", "1.0") == 0)
        #expect(check("floats", "1e3", "1000") == 1)
    }

    @Test("unordered compares multisets of lines, as token sequences")
    func unordered() {
        #expect(check("unordered", "b 2\na  1\n\n", "a 1\nb 2\n") == 1)
        #expect(check("unordered", "a 1\na 1\n", "a 1\nb 2\n") == 0)
    }

    @Test("regex matches the whole output by default, or searches")
    func regex() {
        #expect(check("regex", "answer: 42\n", "answer: \\d+\n") == 1)
        #expect(check("regex", "the answer: 42 ok\n", "answer: \\d+") == 0)
        #expect(check("regex", "the answer: 42 ok\n", "") { $0.pattern = "answer: \\d+"; $0.matchFull = false } == 1)
        #expect(check("regex", "ANSWER: 1", "") { $0.pattern = "answer: \\d"; $0.regexFlags = "i" } == 1)
    }
}

@Suite("Unit-test reports")
struct UnitReportTests {
    @Test("JUnit XML: failures are WA, errors RE, skipped SK; parameter lists leave the id")
    func junit() {
        let xml = """
        <?xml version="1.0"?><testsuite><testcase classname="FractionTest" name="addsFractions()"/>
        <testcase classname="FractionTest" name="add(int, int)[2]"><failure message="expected 3"/></testcase>
        <testcase classname="FractionTest" name="divides()"><error type="java.lang.ArithmeticException"/></testcase>
        <testcase classname="FractionTest" name="later()"><skipped/></testcase></testsuite>
        """
        let o = UnitReportParser.parse(format: "junit-xml", data: Data(xml.utf8), exitCode: 1, suite: "unit")!
        #expect(o.map(\.id) == ["FractionTest.addsFractions", "FractionTest.add[2]", "FractionTest.divides", "FractionTest.later"])
        #expect(o.map(\.verdict) == [.AC, .WA, .RE, .SK])
        #expect(o[2].message == "java.lang.ArithmeticException")
    }

    @Test("a report with a DTD entity is not expanded and a malformed report is nil")
    func hostileXML() {
        let evil = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/shadow\">]><testsuite><testcase classname=\"T\" name=\"a\"><failure message=\"&e;\"/></testcase></testsuite>"
        let o = UnitReportParser.parse(format: "junit-xml", data: Data(evil.utf8), exitCode: 1, suite: "u")
        #expect(o?.first?.message?.contains("root:") != true)
        #expect(UnitReportParser.parse(format: "junit-xml", data: Data("<testsuite><testcase".utf8), exitCode: 1, suite: "u") == nil)
    }

    @Test("TAP: ok, not ok and SKIP; the description is the id")
    func tap() {
        let o = UnitReportParser.parse(format: "tap", data: Data("1..3\nok 1 - adds\nnot ok 2 - subtracts\nok 3 # SKIP later\n".utf8), exitCode: 1, suite: "s")!
        #expect(o.map(\.id) == ["adds", "subtracts", "3"])
        #expect(o.map(\.verdict) == [.AC, .WA, .SK])
    }
}

@Suite("Scoring and verdicts")
struct ScoringTests {
    @Test("the score is rounded half up to four decimals and clamped")
    func rounding() {
        #expect(Scoring.rounded(2.0 / 3.0) == 0.6667)
        #expect(Scoring.rounded(0.12345) == 0.1235)
        #expect(Scoring.rounded(.nan) == 0)
        #expect(Scoring.rounded(1.5) == 1)
    }

    @Test("verdict precedence across tests: IE > CE > TLE > MLE > OLE > SV > RE > WA > SK > AC")
    func precedence() {
        #expect(Verdict.worst([.WA, .RE, .SK]) == .RE)
        #expect(Verdict.worst([.OLE, .SV]) == .OLE)
        #expect(Verdict.worst([.TLE, .MLE, .CE]) == .CE)
        #expect(Verdict.worst([.AC, .SK]) == .SK)
        #expect(Verdict.worst([.IE, .CE]) == .IE)
    }
}

@Suite("Feedback XML")
struct FeedbackXMLTests {
    @Test("control characters, invalid UTF-8 and markup are made safe and the result parses")
    func escaping() {
        var bytes = Data("<script>&\"'".utf8)
        bytes.append(contentsOf: [0x00, 0x07, 0xff, 0xfe, 0x1b])
        bytes.append(Data("é\u{FFFF}".utf8))
        let text = XMLText.escape(bytes)
        #expect(!text.contains("<script>"))
        #expect(XMLText.isWellFormed("<div>\(text)</div>"))
        #expect(text.contains("&#xFFFD;"))
        #expect(text.contains("&#xE9;"))
    }

    @Test("two roots or broken markup are not well-formed")
    func wellFormed() {
        #expect(!XMLText.isWellFormed("<a/><b/>"))
        #expect(!XMLText.isWellFormed("<a><b></a>"))
        #expect(XMLText.isWellFormed(FeedbackRenderer.error("x < y & \u{1}")))
    }
}
