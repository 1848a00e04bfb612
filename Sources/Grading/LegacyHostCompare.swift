// LegacyHostCompare: the course side's comparison and rendering (grader_support/course.py's `_compare` and
// render.py), done by the host when the cached staff run showed that they run no course code
// (docs/legacy-graders.md, "The host's own comparison"). Every test then compares with gradelib's plain
// equality, so the reply is a function of the staff results, the learner's output and hide_output alone,
// and the course's jail (a second interpreter start per submission) is not needed. Anything outside that
// narrow, common shape gives nil and the course's jail decides exactly as before: the reply of a nil here is
// never a different reply, only a slower one.
import Foundation

enum LegacyHostCompare {
    /// One staff result: the test's short and long descriptions and its expected output.
    struct StaffResult: Equatable {
        var short: String
        var long: String?
        var expected: String
    }

    /// What the host posts, and the course side's name for how it ended (for staff).
    struct Outcome {
        var reply: Reply
        var outcome: String
    }

    /// The course side's constants (course.py), byte for byte.
    static let maxShownOutput = 5000
    static let truncated = "...OUTPUT TRUNCATED"

    /// The cached staff record's results, when its course side marked it `host_compare` (else nil).
    static func staffResults(record: Data) -> [StaffResult]? {
        guard !containsSurrogateEscape(record),
              let object = (try? JSONSerialization.jsonObject(with: record)) as? [String: Any],
              object["host_compare"] as? Bool == true,
              let results = object["results"] as? [Any], !results.isEmpty else { return nil }
        var staff: [StaffResult] = []
        for entry in results {
            guard let triple = entry as? [Any], triple.count == 3,
                  let short = triple[0] as? String, let expected = triple[2] as? String else { return nil }
            let long: String?
            switch triple[1] {
            case let text as String: long = text
            case is NSNull: long = nil
            default: return nil // rendered with Python's str(): leave it to the course side
            }
            staff.append(StaffResult(short: short, long: long, expected: expected))
        }
        return staff
    }

    /// The reply for the learner run's stdout against `staff`, or nil when only the course side may answer
    /// (an empty or malformed output, a grader failure, translated messages, mismatched tests).
    static func reply(staff: [StaffResult], learnerStdout stdout: Data, hideOutput: Bool) -> Outcome? {
        // One JSON object on one line, as the runner prints it; anything else is the course side's call.
        var line = stdout
        if line.last == UInt8(ascii: "\n") { line.removeLast() }
        guard line.first == UInt8(ascii: "{"), !line.contains(UInt8(ascii: "\n")), !containsSurrogateEscape(line),
              let output = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any],
              let grader = output["grader"] as? [String: Any], let submission = output["submission"] as? [String: Any],
              let results = output["results"] as? [Any], grader["status"] as? String == "ok" else { return nil }
        if submission["status"] as? String != "ok" {
            // The learner's exception text, untranslated; without one the message is translated: course side.
            guard let exception = submission["exception"] as? String, !exception.isEmpty else { return nil }
            let msg = render(correct: false, errors: [exception], tests: [])
            return Outcome(reply: Reply(correct: false, score: 0, msg: msg), outcome: "learner_error")
        }
        guard results.count == staff.count else { return nil }
        var passed = 0
        var shown: [RenderedTest] = []
        for (expected, entry) in zip(staff, results) {
            guard let triple = entry as? [Any], triple.count == 3, let short = triple[0] as? String,
                  var actual = triple[2] as? String, sameText(short, expected.short) else { return nil }
            if actual.unicodeScalars.count > maxShownOutput {
                actual = String(String.UnicodeScalarView(actual.unicodeScalars.prefix(maxShownOutput))) + truncated
            }
            let correct = sameText(expected.expected, actual)
            if correct { passed += 1 }
            if !hideOutput {
                shown.append(RenderedTest(short: expected.short, long: expected.long, correct: correct,
                                          expected: expected.expected, actual: actual))
            }
        }
        let correct = passed == staff.count
        let score = Double(passed) / Double(staff.count)
        return Outcome(reply: Reply(correct: correct, score: score, msg: render(correct: correct, errors: [], tests: shown)),
                       outcome: "graded")
    }

    /// Python's `==` on strings: the same code points (Swift's `==` would equate canonically equivalent
    /// texts, such as a precomposed and a decomposed "é").
    static func sameText(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }

    /// A JSON `\uD800`–`\uDFFF` escape: a lone surrogate, which Python keeps and Foundation cannot; such
    /// text goes to the course side.
    static func containsSurrogateEscape(_ json: Data) -> Bool {
        let bytes = [UInt8](json)
        guard bytes.count >= 6 else { return false }
        for i in 0..<(bytes.count - 5) where bytes[i] == UInt8(ascii: "\\") && bytes[i + 1] == UInt8(ascii: "u") {
            if bytes[i + 2] | 0x20 == UInt8(ascii: "d"), (UInt8(ascii: "8")...UInt8(ascii: "9")).contains(bytes[i + 3])
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(bytes[i + 3] | 0x20) { return true }
        }
        return false
    }

    // MARK: - render.py's HTML

    struct RenderedTest {
        var short: String
        var long: String?
        var correct: Bool
        var expected: String
        var actual: String
    }

    static func render(correct: Bool, errors: [String], tests: [RenderedTest]) -> String {
        let status = !errors.isEmpty ? "ERROR" : correct ? "CORRECT" : "INCORRECT"
        var errorsHTML = ""
        if !errors.isEmpty {
            let items = errors.map { "<li><pre>\(escape($0))</pre></li>\n" }.joined(separator: "\n")
            errorsHTML = "<div class=\"result-errors\"><ul>\n" + items + "</ul>\n</div>"
        }
        let blocks = tests.map { test -> String in
            let long = test.long.flatMap { $0.isEmpty ? nil : "<p>\(escape($0))</p>" } ?? ""
            if test.correct {
                return "\n  <div class=\"result-output result-correct\">\n    <h4>\(escape(test.short))</h4>\n    <pre>\(long)</pre>\n"
                    + "    <dl>\n    <dt>Output:</dt>\n    <dd class=\"result-actual-output\">\n       <pre>\(escape(test.actual))</pre>\n"
                    + "       </dd>\n    </dl>\n  </div>\n"
            }
            return "\n  <div class=\"result-output result-incorrect\">\n    <h4>\(escape(test.short))</h4>\n    <pre>\(long)</pre>\n"
                + "    <dl>\n    <dt>Your output:</dt>\n    <dd class=\"result-actual-output\"><pre>\(escape(test.actual))</pre></dd>\n"
                + "    <dt>Correct output:</dt>\n    <dd><pre>\(escape(test.expected))</pre></dd>\n    </dl>\n  </div>\n"
        }
        return "\n<div class=\"test\">\n<header>Test results</header>\n  <section>\n    <div class=\"shortform\">\n    \(status)\n"
            + "    </div>\n    <div class=\"longform\">\n      \(errorsHTML)\n      \(blocks.joined())\n    </div>\n  </section>\n</div>\n"
    }

    /// render.py's `escape`: XML-forbidden characters become U+FFFD, then `html.escape(text, quote=True)`.
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0xFFFE, 0xFFFF: out.append("\u{FFFD}")
            case 0x26: out.append(contentsOf: "&amp;".unicodeScalars)
            case 0x3C: out.append(contentsOf: "&lt;".unicodeScalars)
            case 0x3E: out.append(contentsOf: "&gt;".unicodeScalars)
            case 0x22: out.append(contentsOf: "&quot;".unicodeScalars)
            case 0x27: out.append(contentsOf: "&#x27;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
