// FeedbackRenderer: the learner's `msg`. Keeps xqueue-watcher's outer structure and classes
// (test, shortform, longform, result-correct, result-incorrect, result-errors) so existing
// course CSS works, and adds a table per test (docs/reference/problem-yml.md, "Feedback"; docs/reference/results.md,
// "Score and reply").
// Size: every learner-derived piece is cut by bytes after escaping (`feedback.max_chars`), and the
// whole msg stays within `feedback.max_bytes`: fields shrink first, then details go, then rows of
// passed tests collapse into a count, then rows are cut, each with a visible note. A flood of output
// or of reported tests therefore ends as the verdict it earned, never as an internal error.
import Foundation
import Sandbox

enum FeedbackRenderer {
    static let internalErrorText = "We could not grade this submission because of a problem on our side. It is not your fault; please submit again later."
    static let payloadErrorText = "This problem is not set up for automatic grading. Course staff have been told."
    /// The most test rows one msg lists; the rest are counted in a note.
    static let maxRows = 500
    /// Test names come from reports too: shown cut to this many bytes.
    static let maxNameBytes = 200

    /// An error reply: shortform ERROR with one message.
    static func error(_ message: String, detail: String? = nil) -> String {
        var html = "<div class=\"test\"><header>Test results</header><section><div class=\"shortform\">ERROR</div><div class=\"longform\">"
        html += "<div class=\"result-errors\"><p>\(XMLText.escape(message, maxBytes: 4096))</p>"
        if let detail, !detail.isEmpty { html += "<pre>\(XMLText.escape(detail, maxBytes: 4096))</pre>" }
        html += "</div></div></section></div>"
        return html
    }

    /// What one attempt at rendering keeps: the per-field cap, whether visible tests show their
    /// details, whether passed tests get rows, and how many rows at most.
    struct Plan { var field: Int; var details = true; var passedRows = true; var rows = FeedbackRenderer.maxRows }

    /// Everything a msg shows.
    struct Content {
        var problem: Problem
        var tests: [TestRecord]
        var correct: Bool
        var earned: Double
        var possible: Double
        var compileOutput: String?
        var compileFailed: Bool
        var hideOutput: Bool
        /// Learner files that the problem's own copies replaced (docs/reference/problem-yml.md, "Support files").
        var replaced: [String] = []
    }

    /// The msg, within `maxBytes` (UTF-8 bytes of the final XML).
    static func render(_ c: Content, maxBytes: Int) -> String {
        let field = c.problem.maxChars
        var plans = [Plan(field: field), Plan(field: min(field, 256)), Plan(field: 0, details: false),
                     Plan(field: 0, details: false, passedRows: false)]
        for rows in [100, 20, 0] { plans.append(Plan(field: 0, details: false, passedRows: false, rows: rows)) }
        for plan in plans {
            let html = render(c, plan)
            if html.utf8.count <= maxBytes { return html }
        }
        // Only a huge max_chars-free part could get here (it cannot today); stay within the cap anyway.
        let short = c.compileFailed ? "ERROR" : (c.correct ? "CORRECT" : "INCORRECT")
        return "<div class=\"test\"><header>Test results</header><section><div class=\"shortform\">\(short)</div><div class=\"longform\">"
            + "<p class=\"summary\">Score: \(format(c.earned)) of \(format(c.possible)) points.</p>"
            + "<p class=\"feedback-note\">The details of this result are too long to show.</p></div></section></div>"
    }

    static func render(_ c: Content, _ plan: Plan) -> String {
        let problem = c.problem, tests = c.tests, hideOutput = c.hideOutput
        let short = c.compileFailed ? "ERROR" : (c.correct ? "CORRECT" : "INCORRECT")
        var h = "<div class=\"test\"><header>Test results</header><section><div class=\"shortform\">\(short)</div><div class=\"longform\">"
        h += "<p class=\"summary\">Score: \(format(c.earned)) of \(format(c.possible)) points.</p>"
        if !c.replaced.isEmpty {
            let names = c.replaced.prefix(20).map { "\"" + XMLText.escape($0, maxBytes: maxNameBytes) + "\"" }.joined(separator: ", ")
            let more = c.replaced.count > 20 ? " and \(c.replaced.count - 20) more" : ""
            h += "<p class=\"replaced-files\">The problem's own copy was used instead of your file\(c.replaced.count == 1 ? "" : "s") \(names)\(more).</p>"
        }
        if c.compileFailed {
            h += "<div class=\"result-errors\"><h4>\(XMLText.escape(tests.first?.message ?? "Compilation failed", maxBytes: max(plan.field, 256)))</h4>"
            if problem.showCompileOutput, let out = c.compileOutput, !out.isEmpty {
                h += plan.field > 0 ? "<pre>\(XMLText.escape(out, maxBytes: plan.field))</pre>" : "<p class=\"feedback-note\">The compiler output is too long to show.</p>"
            }
            h += "</div>"
        } else if problem.showCompileWarnings, let out = c.compileOutput, !out.isEmpty, plan.field > 0 {
            h += "<div class=\"compile-warnings\"><h4>Compiler messages</h4><pre>\(XMLText.escape(out, maxBytes: plan.field))</pre></div>"
        }
        let shown = tests.filter { effective($0.visibility, hideOutput) != .hidden }
        if !shown.isEmpty && !c.compileFailed {
            let listed = shown.filter { plan.passedRows || $0.verdict != .AC }
            let rows = listed.prefix(plan.rows)
            if !rows.isEmpty {
                h += "<table class=\"results\"><thead><tr><th>Test</th><th>Result</th><th>Points</th>"
                if problem.showTimeMemory { h += "<th>Time</th><th>Memory</th>" }
                h += "</tr></thead><tbody>"
                for t in rows { h += row(t, problem: problem, hideOutput: hideOutput, plan: plan) }
                h += "</tbody></table>"
            }
            let collapsed = shown.count - listed.count
            if collapsed > 0 { h += "<p class=\"feedback-note\">\(collapsed) passed test\(collapsed == 1 ? " is" : "s are") not listed: the feedback would be too long.</p>" }
            if listed.count > rows.count {
                let n = listed.count - rows.count
                h += "<p class=\"feedback-note\">\(n) more test\(n == 1 ? " is" : "s are") not listed: the feedback would be too long.</p>"
            }
            let detailed = rows.filter { effective($0.visibility, hideOutput) == .visible && $0.verdict != .AC && $0.verdict != .SK }
            if plan.details {
                for t in detailed { h += details(t, problem: problem, field: plan.field) }
            } else if !detailed.isEmpty {
                h += "<p class=\"feedback-note\">The details of each test are not shown: the feedback would be too long.</p>"
            }
        }
        let hidden = tests.filter { effective($0.visibility, hideOutput) == .hidden }
        if !hidden.isEmpty && !c.compileFailed {
            let passed = hidden.filter { $0.verdict == .AC }.count
            var parts = ["\(passed) passed"]
            let failing = Dictionary(grouping: hidden.filter { $0.verdict != .AC }, by: \.verdict)
            for v in Verdict.severity.reversed() { if let n = failing[v]?.count { parts.append("\(n) \(phrase(v))") } }
            h += "<p class=\"hidden-tests\">\(hidden.count) hidden test\(hidden.count == 1 ? "" : "s"): \(parts.joined(separator: ", "))</p>"
        }
        h += "</div></section></div>"
        return h
    }

    static func row(_ t: TestRecord, problem: Problem, hideOutput: Bool, plan: Plan) -> String {
        let cls = t.verdict == .AC ? "result-correct" : "result-incorrect"
        let message = effective(t.visibility, hideOutput) == .visible ? t.message : firstPhrase(t.message)
        var h = "<tr class=\"\(cls)\"><td>\(XMLText.escape(t.name, maxBytes: maxNameBytes))</td><td>\(XMLText.escape(message, maxBytes: max(plan.field, 120)))</td>"
        h += "<td>\(format(t.points.earned))/\(format(t.points.possible))</td>"
        if problem.showTimeMemory {
            let time = t.run.map { String(format: "%.2f s", $0.cpuS) } ?? t.timeS.map { String(format: "%.2f s", $0) } ?? ""
            let mem = t.run.map { Units.format(bytes: $0.memoryPeakBytes) } ?? ""
            h += "<td>\(XMLText.escape(time))</td><td>\(XMLText.escape(mem))</td>"
        }
        return h + "</tr>"
    }

    /// Input, expected, got, first difference, checker feedback and the stderr tail of a visible failing test.
    static func details(_ t: TestRecord, problem: Problem, field: Int) -> String {
        var h = "<div class=\"result-output result-incorrect\"><h4>\(XMLText.escape(t.name, maxBytes: maxNameBytes)): \(XMLText.escape(t.message, maxBytes: field))</h4><dl>"
        if let i = t.input { h += "<dt>Input</dt><dd><pre>\(XMLText.escape(i, maxBytes: field))</pre></dd>" }
        if let e = t.expected { h += "<dt>Expected</dt><dd><pre>\(XMLText.escape(e, maxBytes: field))</pre></dd>" }
        if let g = t.got { h += "<dt>Got</dt><dd class=\"result-actual-output\"><pre>\(XMLText.escape(g, maxBytes: field))</pre></dd>" }
        if problem.diff, let e = t.expected, let g = t.got, let d = firstDifference(e, g) {
            let line = max(field / 2, 16)
            h += "<dt>First difference</dt><dd><pre>line \(d.line)\n- expected: \(XMLText.escape(d.expected, maxBytes: line))\n+ got:      \(XMLText.escape(d.got, maxBytes: line))</pre></dd>"
        }
        if let f = t.checkerFeedback { h += "<dt>Checker</dt><dd>\(XMLText.escape(f, maxBytes: field))</dd>" }
        if t.verdict == .RE, let r = t.run, !r.stderr.isEmpty {
            let tail = r.stderrText.split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(separator: "\n")
            h += "<dt>Error output</dt><dd><pre>\(XMLText.escape(tail, maxBytes: field, keepEnd: true))</pre></dd>"
        }
        return h + "</dl></div>"
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

    static func format(_ x: Double) -> String {
        guard x.isFinite else { return "?" }
        return x == x.rounded() && Swift.abs(x) < 1e15 ? String(Int(x)) : String(format: "%.2f", x)
    }

    /// A compact diff: the first differing line (1-based), expected then got; unescaped and uncut.
    static func firstDifference(_ expected: String, _ got: String) -> (line: Int, expected: String, got: String)? {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false), g = got.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, g.count) {
            let a = i < e.count ? String(e[i]) : "(no line)", b = i < g.count ? String(g[i]) : "(no line)"
            if a != b { return (i + 1, a, b) }
        }
        return nil
    }
}
