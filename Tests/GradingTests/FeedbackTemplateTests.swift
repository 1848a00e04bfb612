// problem.yml `feedback.template` (docs/reference/problem-yml.md, "Feedback templates"): a Mustache file replaces
// the default HTML, sees only what the default may show, escapes learner text, and is refused (the default
// posted) when its output is not well-formed XML.
import Foundation
@testable import Grading
import Sandbox
import Testing

@Suite("Feedback templates")
struct FeedbackTemplateTests {
    init() throws { try #require(G.jail != nil, "the jail cannot run on this host") }

    static let template = """
        <div class="mine"><p>{{status}} {{earned}}/{{possible}}</p>{{#tests}}<p class="t">{{name}}: {{verdict}} {{result}}\
        {{#got}} got [{{got}}] expected [{{expected}}]{{/got}}</p>{{/tests}}<p>hidden {{hidden_passed}}/{{hidden_count}}</p></div>
        """

    static func problem(_ template: String) throws -> PrivateDirectory {
        try G.problem(["problem.yml": """
            schema: polygrader.problem/v1
            languages: [python]
            feedback: {template: feedback.mustache}
            tests:
              - {name: shown, stdin: "", expect: "ok", visibility: visible}
              - {name: secret, stdin: "", expect: "ok", visibility: hidden}
            """, "feedback.mustache": template])
    }

    @Test("the template replaces the default HTML; learner output is escaped; a hidden test shows only in the counts")
    func rendered() async throws {
        let d = try Self.problem(Self.template)
        defer { d.remove() }
        let r = await G.grader().grade(problemPath: d.path, submission: .response(Data("print('<b>no</b> & \"x\"')\n".utf8), name: "a.py"))
        #expect(r.verdict == .WA)
        #expect(r.reply.msg.hasPrefix("<div class=\"mine\"><p>INCORRECT 0/2</p><p class=\"t\">shown: WA "), "\(r.reply.msg)")
        #expect(r.reply.msg.contains("got [&lt;b&gt;no&lt;/b&gt; &amp; &quot;x&quot;\n] expected [ok]"), "\(r.reply.msg)")
        #expect(!r.reply.msg.contains("secret"), "a hidden test's name must not show")
        #expect(r.reply.msg.hasSuffix("<p>hidden 0/1</p></div>"))
        #expect(ExampleCourseTests.wellFormed(r.reply.msg))
    }

    @Test("a template whose output is not well-formed XML is not posted: the default HTML is")
    func refused() async throws {
        let d = try Self.problem("<div><p>{{status}}</div>")
        defer { d.remove() }
        let r = await G.grader().grade(problemPath: d.path, submission: .response(Data("print('ok')\n".utf8), name: "a.py"))
        #expect(r.verdict == .AC)
        #expect(r.reply.msg.hasPrefix("<div class=\"test\"><header>Test results</header>"), "\(r.reply.msg)")
    }

    @Test("a template that does not parse is a problem error at load")
    func parseError() throws {
        let d = try Self.problem("<div>{{#tests}}</div>")
        defer { d.remove() }
        #expect(throws: (any Error).self) { try ProblemLoader.load(path: d.path) }
    }
}
