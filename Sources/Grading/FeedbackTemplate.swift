// FeedbackTemplate: problem.yml `feedback.template`, a Mustache file that replaces the default HTML of `msg`
// (docs/reference/problem-yml.md, "Feedback templates"). The template sees exactly what the default HTML may
// show (the same visibility rules, `hide_output`, the same `max_chars` caps) as plain text, which Mustache
// escapes; it has no partials and no lambdas, so it reads no file and runs no code. Its output is posted only
// when it is well-formed XML within `max_bytes`; otherwise the default HTML is posted and staff are told.
import Foundation
import Mustache
import Sandbox

enum FeedbackTemplate {
    /// The template's output, or why the default HTML must be used instead (for staff).
    static func render(_ template: MustacheTemplate, _ c: FeedbackRenderer.Content, maxBytes: Int) -> Result<String, TemplateRefusal> {
        let html = template.render(context(c))
        guard html.utf8.count <= maxBytes else { return .failure(.init(reason: "its output has \(html.utf8.count) bytes, over feedback.max_bytes \(maxBytes)")) }
        guard XMLText.isWellFormed(html) else { return .failure(.init(reason: "its output is not well-formed XML with one root element")) }
        return .success(html)
    }

    struct TemplateRefusal: Error { var reason: String }

    /// The names a template can use (documented in docs/reference/problem-yml.md, "Feedback templates").
    static func context(_ c: FeedbackRenderer.Content) -> [String: Any] {
        let field = c.problem.maxChars
        let hide = c.hideOutput
        func text(_ s: String, _ cap: Int) -> String { XMLText.plain(s, maxBytes: cap) }
        let shown = c.compileFailed ? [] : c.tests.filter { FeedbackRenderer.effective($0.visibility, hide) != .hidden }
        let tests: [[String: Any]] = shown.map { t in
            let visible = FeedbackRenderer.effective(t.visibility, hide) == .visible
            var row: [String: Any] = [
                "name": text(t.name, FeedbackRenderer.maxNameBytes), "verdict": t.verdict.rawValue,
                "result": text(visible ? t.message : FeedbackRenderer.firstPhrase(t.message), max(field, 120)),
                "passed": t.verdict == .AC, "points": FeedbackRenderer.format(t.points.earned),
                "possible": FeedbackRenderer.format(t.points.possible), "visible": visible,
            ]
            if c.problem.showTimeMemory {
                row["time"] = t.run.map { String(format: "%.2f s", $0.cpuS) } ?? t.timeS.map { String(format: "%.2f s", $0) } ?? ""
                row["memory"] = t.run.map { Units.format(bytes: $0.memoryPeakBytes) } ?? ""
            }
            // Details only where the default HTML shows them: a visible test that did not pass.
            if visible && t.verdict != .AC && t.verdict != .SK {
                if let v = t.input { row["input"] = text(v, field) }
                if let v = t.expected { row["expected"] = text(v, field) }
                if let v = t.got { row["got"] = text(v, field) }
                if let v = t.checkerFeedback { row["checker"] = text(v, field) }
            }
            return row
        }
        let hidden = c.compileFailed ? [] : c.tests.filter { FeedbackRenderer.effective($0.visibility, hide) == .hidden }
        var context: [String: Any] = [
            "status": c.compileFailed ? "ERROR" : (c.correct ? "CORRECT" : "INCORRECT"),
            "correct": c.correct, "compile_failed": c.compileFailed,
            "earned": FeedbackRenderer.format(c.earned), "possible": FeedbackRenderer.format(c.possible),
            "tests": tests, "hidden_count": hidden.count, "hidden_passed": hidden.filter { $0.verdict == .AC }.count,
            "replaced": c.replaced.map { text($0, FeedbackRenderer.maxNameBytes) },
        ]
        if c.compileFailed {
            context["compile_message"] = text(c.tests.first?.message ?? "Compilation failed", max(field, 256))
            if c.problem.showCompileOutput, let out = c.compileOutput, !out.isEmpty { context["compile_output"] = text(out, field) }
        } else if c.problem.showCompileWarnings, let out = c.compileOutput, !out.isEmpty {
            context["compile_output"] = text(out, field)
        }
        return context
    }
}
