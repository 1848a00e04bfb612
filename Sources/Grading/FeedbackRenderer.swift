// FeedbackRenderer: the learner's `msg`. Keeps xqueue-watcher's outer structure and classes
// (test, shortform, longform, result-correct, result-incorrect, result-errors) so existing
// course CSS works, and adds a table per test (schemas.md §4.9, §6.2).
import Foundation
import Sandbox

enum FeedbackRenderer {
    static let internalErrorText = "We could not grade this submission because of a problem on our side. It is not your fault; please submit again later."
    static let payloadErrorText = "This problem is not set up for automatic grading. Course staff have been told."

    /// An error reply: shortform ERROR with one message.
    static func error(_ message: String, detail: String? = nil) -> String {
        var html = "<div class=\"test\"><header>Test results</header><section><div class=\"shortform\">ERROR</div><div class=\"longform\">"
        html += "<div class=\"result-errors\"><p>\(XMLText.escape(message))</p>"
        if let detail, !detail.isEmpty { html += "<pre>\(XMLText.escape(detail))</pre>" }
        html += "</div></div></section></div>"
        return html
    }

    static func render(problem: Problem, tests: [TestRecord], correct: Bool, earned: Double, possible: Double, compileOutput: String?,
                       compileFailed: Bool, hideOutput: Bool) -> String {
        let short = compileFailed ? "ERROR" : (correct ? "CORRECT" : "INCORRECT")
        var h = "<div class=\"test\"><header>Test results</header><section><div class=\"shortform\">\(short)</div><div class=\"longform\">"
        h += "<p class=\"summary\">Score: \(format(earned)) of \(format(possible)) points.</p>"
        if compileFailed {
            h += "<div class=\"result-errors\"><h4>\(XMLText.escape(tests.first?.message ?? "Compilation failed"))</h4>"
            if problem.showCompileOutput, let out = compileOutput, !out.isEmpty { h += "<pre>\(XMLText.escape(cut(out, problem.maxChars)))</pre>" }
            h += "</div>"
        } else if problem.showCompileWarnings, let out = compileOutput, !out.isEmpty {
            h += "<div class=\"compile-warnings\"><h4>Compiler messages</h4><pre>\(XMLText.escape(cut(out, problem.maxChars)))</pre></div>"
        }
        let shown = tests.filter { effective($0.visibility, hideOutput) != .hidden }
        if !shown.isEmpty && !compileFailed {
            h += "<table class=\"results\"><thead><tr><th>Test</th><th>Result</th><th>Points</th>"
            if problem.showTimeMemory { h += "<th>Time</th><th>Memory</th>" }
            h += "</tr></thead><tbody>"
            for t in shown {
                let cls = t.verdict == .AC ? "result-correct" : "result-incorrect"
                h += "<tr class=\"\(cls)\"><td>\(XMLText.escape(t.name))</td><td>\(XMLText.escape(effective(t.visibility, hideOutput) == .visible ? t.message : firstPhrase(t.message)))</td>"
                h += "<td>\(format(t.points.earned))/\(format(t.points.possible))</td>"
                if problem.showTimeMemory {
                    let time = t.run.map { String(format: "%.2f s", $0.cpuS) } ?? t.timeS.map { String(format: "%.2f s", $0) } ?? ""
                    let mem = t.run.map { Units.format(bytes: $0.memoryPeakBytes) } ?? ""
                    h += "<td>\(time)</td><td>\(XMLText.escape(mem))</td>"
                }
                h += "</tr>"
            }
            h += "</tbody></table>"
            for t in shown where effective(t.visibility, hideOutput) == .visible && t.verdict != .AC && t.verdict != .SK {
                h += "<div class=\"result-output result-incorrect\"><h4>\(XMLText.escape(t.name)): \(XMLText.escape(t.message))</h4><dl>"
                if let i = t.input { h += "<dt>Input</dt><dd><pre>\(XMLText.escape(cut(i, problem.maxChars)))</pre></dd>" }
                if let e = t.expected { h += "<dt>Expected</dt><dd><pre>\(XMLText.escape(cut(e, problem.maxChars)))</pre></dd>" }
                if let g = t.got { h += "<dt>Got</dt><dd class=\"result-actual-output\"><pre>\(XMLText.escape(cut(g, problem.maxChars)))</pre></dd>" }
                if problem.diff, let e = t.expected, let g = t.got, let d = firstDifference(e, g) {
                    h += "<dt>First difference</dt><dd><pre>\(XMLText.escape(d))</pre></dd>"
                }
                if let f = t.checkerFeedback { h += "<dt>Checker</dt><dd>\(XMLText.escape(cut(f, problem.maxChars)))</dd>" }
                if t.verdict == .RE, let r = t.run, !r.stderr.isEmpty {
                    let tail = r.stderrText.split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(separator: "\n")
                    h += "<dt>Error output</dt><dd><pre>\(XMLText.escape(cut(tail, problem.maxChars)))</pre></dd>"
                }
                h += "</dl></div>"
            }
        }
        let hidden = tests.filter { effective($0.visibility, hideOutput) == .hidden }
        if !hidden.isEmpty && !compileFailed {
            let passed = hidden.filter { $0.verdict == .AC }.count
            var parts = ["\(passed) passed"]
            let failing = Dictionary(grouping: hidden.filter { $0.verdict != .AC }, by: \.verdict)
            for v in Verdict.severity.reversed() { if let n = failing[v]?.count { parts.append("\(n) \(phrase(v))") } }
            h += "<p class=\"hidden-tests\">\(hidden.count) hidden test\(hidden.count == 1 ? "" : "s"): \(parts.joined(separator: ", "))</p>"
        }
        h += "</div></section></div>"
        return h
    }

    static func effective(_ v: Problem.Visibility, _ hideOutput: Bool) -> Problem.Visibility {
        hideOutput && v == .visible ? .summary : v
    }

    static func phrase(_ v: Verdict) -> String {
        switch v {
        case .AC: return "passed"
        case .WA: return "wrong answer"
        case .TLE: return "time limit exceeded"
        case .MLE: return "memory limit exceeded"
        case .OLE: return "output limit exceeded"
        case .RE: return "runtime error"
        case .SV: return "forbidden system call"
        case .CE: return "compilation error"
        case .IE: return "internal error"
        case .SK: return "not run"
        }
    }

    /// `summary` shows only the first phrase of a message ("Runtime error", "Time limit exceeded").
    static func firstPhrase(_ s: String) -> String { String(s.split(separator: ":").first ?? Substring(s)) }

    static func cut(_ s: String, _ max: Int) -> String {
        s.count <= max ? s : String(s.prefix(max)) + "\n[… \(s.count - max) more characters]"
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.2f", x)
    }

    /// A compact diff: the first differing line, expected then got.
    static func firstDifference(_ expected: String, _ got: String) -> String? {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false), g = got.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, g.count) {
            let a = i < e.count ? String(e[i]) : "(no line)", b = i < g.count ? String(g[i]) : "(no line)"
            if a != b { return "line \(i + 1)\n- expected: \(a)\n+ got:      \(b)" }
        }
        return nil
    }
}
