// The example course graded for real: every submission in examples/course gets exactly the
// verdicts, score and correctness written by hand in EXPECTED.yml, and every msg is valid XML.
import Foundation
import Grading
import Testing
import Yams
#if canImport(FoundationXML)
import FoundationXML
#endif

struct ExpectedCase: Sendable, CustomTestStringConvertible {
    let problem: String
    let files: [String]
    let language: String?
    let verdict: String
    let score: Double
    let correct: Bool
    let tests: [String: String]
    var testDescription: String { "\(problem): \(files.joined(separator: ", "))" }

    static let all: [ExpectedCase] = {
        guard let text = try? String(contentsOfFile: G.course + "/EXPECTED.yml", encoding: .utf8),
              let list = try? Yams.load(yaml: text) as? [[String: Any]] else { return [] }
        return list.map { e in
            ExpectedCase(problem: e["problem"] as! String, files: e["files"] as! [String], language: e["language"] as? String,
                         verdict: e["verdict"] as! String, score: (e["score"] as? Double) ?? Double(e["score"] as? Int ?? 0),
                         correct: e["correct"] as! Bool,
                         tests: (e["tests"] as? [String: Any] ?? [:]).mapValues { "\($0)" })
        }
    }()
}

@Suite("The example course", .serialized)
struct ExampleCourseTests {
    init() throws { try #require(G.jail != nil, "the jail cannot run on this host") }

    @Test("the example course has at least three problems per language and its expectations")
    func coverage() {
        #expect(ExpectedCase.all.count >= 40)
        for prefix in ["py-", "c-", "java-"] {
            #expect(Set(ExpectedCase.all.map(\.problem).filter { $0.hasPrefix(prefix) }).count >= 3)
        }
    }

    @Test("each example submission gets its expected verdicts and score", arguments: ExpectedCase.all)
    func example(_ e: ExpectedCase) async throws {
        let r = await G.grade(e.problem, e.files, language: e.language)
        let got = Dictionary(r.tests.map { ($0.name, $0.verdict.rawValue) }, uniquingKeysWith: { a, _ in a })
        #expect(r.verdict.rawValue == e.verdict, "\(r.errors.map(\.staff))")
        #expect(abs(r.score - e.score) < 1e-9)
        #expect(r.correct == e.correct)
        #expect(got == e.tests)
        #expect(r.reply.score == r.score && r.reply.correct == r.correct)
        #expect(Self.wellFormed(r.reply.msg), "msg is not well-formed XML: \(r.reply.msg.prefix(300))")
        #expect(r.reply.msg.contains("class=\"shortform\""))
    }

    /// An independent check (not the renderer's own): a strict parse that must report no error.
    static func wellFormed(_ xml: String) -> Bool {
        final class Errors: NSObject, XMLParserDelegate {
            var count = 0, open = 0, roots = 0
            func parser(_ p: XMLParser, parseErrorOccurred e: Error) { count += 1 }
            func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if open == 0 { roots += 1 }
                open += 1
            }
            func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) { open -= 1 }
        }
        let p = XMLParser(data: Data(xml.utf8))
        p.shouldResolveExternalEntities = false
        let d = Errors()
        p.delegate = d
        return p.parse() && p.parserError == nil && d.count == 0 && d.roots == 1 && d.open == 0
    }
}
