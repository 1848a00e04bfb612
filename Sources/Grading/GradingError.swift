// GradingError: the one error type of Grading. Each case knows what the learner may read and what
// only staff read; ErrorPresentation is the one place that decides which of the two is shown.

/// Why grading stopped before (or around) the tests, said twice: for the learner and for staff.
public enum GradingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The payload names nothing gradable (staff: why). The learner reads the neutral payload text.
    case payload(String)
    /// The problem's own files are wrong: problem.yml, its limits, support or test files, a checker.
    case problem(file: String, detail: String)
    /// The learner can fix this (intake rules, language, file names, entry point): a CE with this text.
    case submission(String)
    /// A language the submission needs is disabled on this host.
    case languageUnavailable(name: String, reason: String)
    /// The jail or a toolchain failed during `step`; never the learner's doing.
    case jail(step: String, detail: String)
    /// Our configuration cannot handle this submission (an archive format this host cannot unpack safely).
    case configuration(String)
    /// Anything else that went wrong on our side.
    case `internal`(String)

    /// Only `.submission` is the learner's fault; every other case is an internal error (IE).
    public var verdict: Verdict { if case .submission = self { return .CE } else { return .IE } }

    /// What the learner reads: their own mistake in full, or a neutral sentence that holds no detail.
    public var learnerText: String {
        switch self {
        case let .submission(message): return message
        case .payload: return FeedbackRenderer.payloadErrorText
        default: return FeedbackRenderer.internalErrorText
        }
    }

    /// What staff read in logs and `grade --json`: the full detail.
    public var staffText: String {
        switch self {
        case let .payload(reason): return "payload: \(reason)"
        case let .problem(file, detail): return "\(file): \(detail)"
        case let .submission(message): return message
        case let .languageUnavailable(name, reason): return "language \(name) is disabled: \(reason)"
        case let .jail(step, detail): return "jail failure in the \(step) step: \(detail)"
        case let .configuration(detail): return "configuration: \(detail)"
        case let .internal(detail): return detail
        }
    }

    /// The `errors[].kind` of `grade --json` (docs/reference/results.md, "grade --json").
    var kind: GradeError.Kind {
        switch self {
        case .payload: return .payload
        case .problem: return .problem
        case .submission: return .intake
        case .languageUnavailable, .jail, .configuration, .internal: return .internal
        }
    }

    public var description: String { staffText }
}
