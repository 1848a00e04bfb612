// ErrorPresentation: the one boundary between what went wrong and what the learner reads (as
// hummingbird's application boundary): every error becomes a GradingError, every internal error is
// logged with its staff text, and an internal error never reaches the learner as a compile error or
// with its detail (docs/NOTES.md, "One error boundary").
import Intake
import Languages
import Logging
import Sandbox

enum ErrorPresentation {
    /// Any error met during `step` as a GradingError. An error of a kind not listed here is ours (IE).
    static func classify(_ error: any Error, step: String) -> GradingError {
        switch error {
        case let e as GradingError: return e
        case let e as BuildRejection: return .submission(e.message)
        case let e as PayloadError: return .payload(e.reason)
        case let e as SandboxError: return .jail(step: step, detail: e.description)
        case let e as LanguageError:
            if case let .jailFailed(where_, detail) = e { return .jail(step: where_, detail: detail) }
            return .internal("\(step): \(e.description)")
        case let e as IntakeError:
            if e.isLearnerFault { return .submission(e.learnerMessage) }
            // libarchive unusable here is our configuration; a failed download is the course server's.
            if case .archiveSupport = e { return .configuration(e.description) }
            return .internal(e.description)
        default: return .internal("\(step): \(error)")
        }
    }

    /// Logs an error: every IE with its staff text, at error level; a learner's mistake at debug level.
    static func log(_ e: GradingError, problem: String, logger: Logger) {
        if e.verdict == .IE {
            logger.error("internal error", metadata: ["problem": "\(problem)", "kind": "\(e.kind.rawValue)", "staff": "\(e.staffText)"])
        } else {
            logger.debug("submission refused", metadata: ["problem": "\(problem)", "reason": "\(e.staffText)"])
        }
    }

    /// The records as the learner may see them: an IE row says only the neutral text, its detail stays
    /// in `staffFeedback` and the log. Returns the one error entry that sums up the IE rows, if any.
    static func screen(_ records: [TestRecord], problem: String, logger: Logger) -> ([TestRecord], GradeError?) {
        var out = records
        var staff: [String] = []
        for i in out.indices where out[i].verdict == .IE {
            let detail = out[i].staffFeedback ?? "no detail recorded"
            if out[i].staffFeedback == nil { out[i].staffFeedback = detail }
            out[i].message = FeedbackRenderer.internalErrorText
            out[i].checkerFeedback = nil
            staff.append("\(out[i].name): \(detail)")
            logger.error("internal error", metadata: ["problem": "\(problem)", "test": "\(out[i].name)", "staff": "\(detail)"])
        }
        guard !staff.isEmpty else { return (out, nil) }
        return (out, GradeError(kind: .internal, message: FeedbackRenderer.internalErrorText, staff: staff.joined(separator: "; ")))
    }
}
