// LegacyReply: the reply of a legacy problem. The course's jail prints it as one JSON line; that line
// comes from a process running course code, so it is validated before anything of it is posted, and
// its staff fields never reach the learner (docs/legacy-graders.md, step 5).
import Foundation
import Logging
import Sandbox

/// What `grade --json` shows staff about a legacy grading (never posted).
public struct LegacyDetail: Sendable, Encodable {
    /// The course side's `outcome` (graded, input_errors, staff_error, …) or `course_failed`.
    public var outcome: String
    /// Tracebacks of course code and other staff detail, capped and stripped of control characters.
    public var staffLog: [String]
    public var seed: Int?
    public var learnerRun: RunResult?
    public var courseRun: RunResult?
    /// The staff-result cache for this grading: `hit`, `hit-seedless`, `miss` (docs/legacy-graders.md).
    public var staffCache: String?
    /// Wall seconds of each jail call as the host saw it (staging, the helper, reading the outputs).
    public var learnerCallS: Double?
    public var courseCallS: Double?

    enum CodingKeys: String, CodingKey {
        case outcome, staffLog = "staff_log", seed, learnerRun = "learner_run", courseRun = "course_run"
        case staffCache = "staff_cache", learnerCallS = "learner_call_s", courseCallS = "course_call_s"
    }
}

enum LegacyReply {
    /// `skip_grader`: the reference's exact reply (CORRECT, empty longform).
    static let skippedMsg = "\n<div class=\"test\">\n<header>Test results</header>\n  <section>\n    <div class=\"shortform\">\n    CORRECT\n    </div>\n    <div class=\"longform\">\n      \n      \n    </div>\n  </section>\n</div>\n"
    /// The course side gave no acceptable reply: the reference's L364 message, untranslated.
    static let courseFailedMsg = "\n<div class=\"test\">\n<header>Test results</header>\n  <section>\n    <div class=\"shortform\">\n    ERROR\n    </div>\n    <div class=\"longform\">\n      <div class=\"result-errors\"><ul>\n<li><pre>There was a problem running the staff solution (Staff debug: L364)</pre></li>\n</ul>\n</div>\n      \n    </div>\n  </section>\n</div>\n"
    /// Caps on staff text taken from a jail: per entry and entries.
    static let maxStaffEntry = 16 << 10, maxStaffEntries = 50

    /// The course side's line, accepted only with `correct` a boolean, `score` a finite number and
    /// `msg` a string; `outcome` and `staff_log` are read leniently and only ever for staff.
    struct CourseLine: Decodable {
        var correct: Bool
        var score: Double
        var msg: String
        var outcome: String?
        var staffLog: [String]
        /// The staff run's record for the host's cache, when it ran in that process (LegacyStaffCache).
        var staffRun: String?

        enum CodingKeys: String, CodingKey { case correct, score, msg, outcome, staffLog = "staff_log", staffRun = "staff_run" }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            correct = try c.decode(Bool.self, forKey: .correct)
            score = try c.decode(Double.self, forKey: .score)
            msg = try c.decode(String.self, forKey: .msg)
            outcome = try? c.decodeIfPresent(String.self, forKey: .outcome)
            staffLog = (try? c.decodeIfPresent([String].self, forKey: .staffLog)) ?? []
            staffRun = try? c.decodeIfPresent(String.self, forKey: .staffRun)
        }

        /// One JSON object on one line (a trailing newline allowed), or nil.
        static func parse(_ stdout: Data) -> CourseLine? {
            var bytes = stdout
            if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
            guard !bytes.isEmpty, !bytes.contains(UInt8(ascii: "\n")), bytes.first == UInt8(ascii: "{") else { return nil }
            guard let line = try? JSONDecoder().decode(CourseLine.self, from: bytes), line.score.isFinite else { return nil }
            return line
        }
    }

    static func skipped(name: String, started: Date) -> GradeResult {
        var r = result(name: name, reply: Reply(correct: true, score: 1, msg: skippedMsg), verdict: .AC, started: started)
        r.legacy = LegacyDetail(outcome: "skipped", staffLog: [])
        return r
    }

    /// The reply from the course run (and the learner run, for staff), or L364 when it gave none.
    static func result(name: String, course: RunResult, learner: RunResult?, seed: Int, logger: Logger, started: Date) -> GradeResult {
        result(name: name, course: course, line: course.stdoutTruncated ? nil : CourseLine.parse(course.stdout), learner: learner,
               seed: seed, logger: logger, started: started)
    }

    /// As above, with the course side's line already parsed (nil: none acceptable).
    static func result(name: String, course: RunResult, line: CourseLine?, learner: RunResult?, seed: Int, logger: Logger,
                       started: Date) -> GradeResult {
        let detail = { (outcome: String, log: [String]) in
            LegacyDetail(outcome: outcome, staffLog: log, seed: seed, learnerRun: learner, courseRun: course)
        }
        guard let line else {
            let why = "the course side gave no acceptable reply (run \(course.status.rawValue)\(course.limit.map { ", limit \($0)" } ?? ""))"
            let stderr = staffText(course.stderrText)
            logger.error("legacy course run failed", metadata: ["problem": "\(name)", "staff": "\(why): \(stderr)"])
            var r = result(name: name, reply: Reply(correct: false, score: 0, msg: courseFailedMsg), verdict: .WA, started: started)
            r.legacy = detail("course_failed", [why, stderr])
            return r
        }
        let outcome = staffText(line.outcome ?? "unknown")
        let log = line.staffLog.prefix(maxStaffEntries).map(staffText)
        if !log.isEmpty { logger.info("legacy course detail", metadata: ["problem": "\(name)", "outcome": "\(outcome)", "staff": "\(log)"]) }
        var r = result(name: name, reply: Reply(correct: line.correct, score: line.score, msg: line.msg),
                       verdict: line.correct ? .AC : .WA, started: started)
        r.legacy = detail(outcome, Array(log))
        return r
    }

    static func result(name: String, reply: Reply, verdict: Verdict, started: Date) -> GradeResult {
        var r = GradeResult(problem: name, language: nil, verdict: verdict, correct: reply.correct, score: reply.score,
                            fraction: reply.score, points: .init(earned: reply.score, possible: 1, maxPoints: nil), reply: reply,
                            compile: nil, tests: [], groups: [], errors: [], durationS: Date().timeIntervalSince(started))
        r.mode = "gradelib"
        return r
    }

    /// Untrusted text for staff: capped, control characters other than newline and tab replaced.
    static func staffText(_ s: String) -> String {
        let capped = s.count > maxStaffEntry ? String(s.prefix(maxStaffEntry)) + "…" : s
        return String(String.UnicodeScalarView(capped.unicodeScalars.map {
            ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7f ? "\u{FFFD}" : $0
        }))
    }
}
