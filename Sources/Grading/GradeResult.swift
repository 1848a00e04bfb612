// GradeResult: the outcome of grading one submission, as `grade --json` prints it (docs/reference/results.md, "grade
// --json").
import Foundation
import Sandbox

extension KeyedEncodingContainer {
    /// A number for `grade --json`: JSON has no NaN or infinity, so a non-finite value is null
    /// (one bad number must not cost the whole record, docs/reference/results.md, "grade --json").
    mutating func encodeNumber(_ value: Double?, forKey key: Key) throws {
        if let value, value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}

/// The reply posted to XQueue.
public struct Reply: Sendable, Codable, Equatable {
    public var correct: Bool
    public var score: Double
    public var msg: String

    enum CodingKeys: String, CodingKey { case correct, score, msg }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(correct, forKey: .correct); try c.encodeNumber(score, forKey: .score); try c.encode(msg, forKey: .msg)
    }
}

/// One test record.
public struct TestRecord: Sendable, Encodable {
    public struct Points: Sendable, Encodable {
        public var earned: Double; public var possible: Double
        enum CodingKeys: String, CodingKey { case earned, possible }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeNumber(earned, forKey: .earned); try c.encodeNumber(possible, forKey: .possible)
        }
    }
    public var name: String
    public var group: String?
    public var kind: String
    public var verdict: Verdict
    public var points: Points
    public var visibility: Problem.Visibility
    public var message: String
    public var checkerFeedback: String?
    public var staffFeedback: String?
    public var run: RunResult?
    public var timeS: Double?
    /// Shown on visible tests only: input, expected output, the program's output (not encoded).
    var input: String?
    var expected: String?
    var got: String?
    var fraction: Double = 0
    var entry: String = ""

    enum CodingKeys: String, CodingKey {
        case name, group, kind, verdict, points, visibility, message
        case checkerFeedback = "checker_feedback", staffFeedback = "staff_feedback", run, timeS = "time_s"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name); try c.encode(group, forKey: .group); try c.encode(kind, forKey: .kind)
        try c.encode(verdict, forKey: .verdict); try c.encode(points, forKey: .points); try c.encode(visibility, forKey: .visibility)
        try c.encode(message, forKey: .message); try c.encode(checkerFeedback, forKey: .checkerFeedback)
        try c.encode(staffFeedback, forKey: .staffFeedback); try c.encode(run, forKey: .run)
        if let t = timeS { try c.encodeNumber(t, forKey: .timeS) }
    }
}

/// A group's summary.
public struct GroupRecord: Sendable, Encodable {
    public var name: String
    public var verdict: Verdict
    public var points: TestRecord.Points
    public var skippedBecause: String?
    enum CodingKeys: String, CodingKey { case name, verdict, points, skippedBecause = "skipped_because" }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name); try c.encode(verdict, forKey: .verdict); try c.encode(points, forKey: .points)
        try c.encode(skippedBecause, forKey: .skippedBecause)
    }
}

/// An error met while grading: who caused it and what each audience reads.
public struct GradeError: Sendable, Encodable {
    public enum Kind: String, Sendable, Encodable { case payload, problem, intake, `internal` }
    public var kind: Kind
    public var message: String
    public var staff: String
}

/// The compile step's record: a run record plus the compiler output.
public struct CompileRecord: Sendable, Encodable {
    public var run: RunResult
    public var output: String
    public func encode(to encoder: Encoder) throws {
        try run.encode(to: encoder)
        var c = encoder.container(keyedBy: K.self)
        try c.encode(output, forKey: .output)
    }
    enum K: String, CodingKey { case output }
}

/// Everything `polygrader grade --json` prints.
public struct GradeResult: Sendable, Encodable {
    public struct Language: Sendable, Encodable { public var name: String; public var version: String }
    public struct Points: Sendable, Encodable {
        public var earned: Double; public var possible: Double; public var maxPoints: Double?
        enum CodingKeys: String, CodingKey { case earned, possible, maxPoints = "max_points" }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeNumber(earned, forKey: .earned); try c.encodeNumber(possible, forKey: .possible); try c.encodeNumber(maxPoints, forKey: .maxPoints)
        }
    }
    public var schema = "polygrader.result/v1"
    public var problem: String
    public var mode = "native"
    public var language: Language?
    public var verdict: Verdict
    public var correct: Bool
    public var score: Double
    public var fraction: Double
    public var points: Points
    public var reply: Reply
    public var compile: CompileRecord?
    public var tests: [TestRecord]
    public var groups: [GroupRecord]
    public var errors: [GradeError]
    public var durationS: Double
    /// Legacy mode only: the course side's staff detail and both runs (docs/legacy-graders.md).
    public var legacy: LegacyDetail?

    enum CodingKeys: String, CodingKey {
        case schema, problem, mode, language, verdict, correct, score, fraction, points, reply, compile, tests, groups, errors
        case durationS = "duration_s", msg, legacy
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema); try c.encode(problem, forKey: .problem); try c.encode(mode, forKey: .mode)
        try c.encode(language, forKey: .language); try c.encode(verdict, forKey: .verdict); try c.encode(correct, forKey: .correct)
        try c.encodeNumber(score, forKey: .score); try c.encodeNumber(fraction, forKey: .fraction); try c.encode(points, forKey: .points)
        try c.encode(reply, forKey: .reply); try c.encode(compile, forKey: .compile); try c.encode(tests, forKey: .tests)
        try c.encode(groups, forKey: .groups); try c.encode(errors, forKey: .errors); try c.encodeNumber(durationS, forKey: .durationS)
        // docs/reference/gradelib.md, "The flow in polygrader": legacy `--json` has `correct`, `score` and `msg` at the
        // top, as posted.
        if mode == "gradelib" {
            try c.encode(reply.msg, forKey: .msg)
            try c.encodeIfPresent(legacy, forKey: .legacy)
        }
    }
}
