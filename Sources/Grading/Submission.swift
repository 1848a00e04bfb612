// Submission: what a learner handed in, and the per-submission options of a payload.
import Foundation
import Intake

/// A learner's submission: typed code, or uploaded files (xqueue_files, already fetched).
public enum SubmissionInput: Sendable {
    /// Typed code; `name` is only a hint for language detection (docs/reference/results.md, "grade --json").
    case response(Data, name: String?)
    /// Uploaded files, each with its name and exact bytes.
    case files([SubmittedFile])
}

/// Options from the payload (or the command line) for one grading.
public struct GradeOptions: Sendable {
    public var language: String?
    public var hideOutput = false
    public var tests: [String]?
    public var skipGrader = false
    public var locale: String?
    /// The watcher's cap on the whole `msg` in bytes; the smaller of it and the problem's
    /// `feedback.max_bytes` applies (docs/reference/problem-yml.md, "Feedback").
    public var maxFeedbackBytes: Int?
    /// The whole grader_payload object as JSON: legacy mode hands it to the course side as it is.
    public var payloadJSON = "{}"
    /// Legacy mode: the seed of both runs (else one drawn per grading, docs/reference/gradelib.md, "The grading flow"
    /// step 6).
    public var seed: Int?
    /// Legacy mode: the course root whose `conf/locale` holds catalogs (else the nearest above the grader).
    public var courseRoot: String?
    public init(language: String? = nil) { self.language = language }
}
