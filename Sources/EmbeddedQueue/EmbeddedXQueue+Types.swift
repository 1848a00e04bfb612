// The values the embedded queue is configured with and reports: its settings, what a submission carries, the
// result a grader posted, a submission's history, and the counters (docs/embedded-queue.md).
import Foundation

extension EmbeddedXQueue {
    /// How the queue listens and behaves.
    public struct Configuration: Sendable {
        /// The loopback port; 0 lets the system choose (read the bound one from `listening()`).
        public var port: Int
        /// The grader's account: login with anything else is refused.
        public var username: String
        /// The grader's password.
        public var password: String
        /// The queue names served; nil serves any name (an unknown queue is just empty, as on the LMS).
        /// With a list, other names get `Queue 'Q' not found`, as classic XQueue answers for an unconfigured queue.
        public var queues: Set<String>?
        /// How long a pulled but unanswered submission waits before it is served again (classic XQueue's
        /// `SUBMISSION_PROCESSING_DELAY`, 1 minute).
        public var redeliveryDelay: Duration
        /// Whether `xqueue_files` hold absolute URLs (classic XQueue) or server-relative `/media/QUEUE/ID` paths
        /// (edx-submissions with local storage), which a grader must resolve against its files base URL.
        public var absoluteFileURLs: Bool
        /// The largest request body read (a `put_result` form); larger requests get 413.
        public var maxRequestBytes: Int

        /// A configuration; the defaults are classic XQueue's.
        public init(port: Int = 0, username: String = "grader", password: String = "grader-password",
                    queues: Set<String>? = nil, redeliveryDelay: Duration = .seconds(60),
                    absoluteFileURLs: Bool = true, maxRequestBytes: Int = 4 << 20) {
            self.port = port
            self.username = username
            self.password = password
            self.queues = queues
            self.redeliveryDelay = redeliveryDelay
            self.absoluteFileURLs = absoluteFileURLs
            self.maxRequestBytes = maxRequestBytes
        }
    }

    /// `student_info` as classic XQueue forwards it from the LMS; never the learner's identity.
    public struct StudentInfo: Sendable, Equatable {
        /// `anonymous_student_id`; nil makes one from the submission id.
        public var anonymousStudentID: String?
        /// `submission_time`; nil uses the enqueue time as `YYYYMMDDHHMMSS` (UTC).
        public var submissionTime: String?
        /// `random_seed`, sent only when set (randomized problems).
        public var randomSeed: Int?

        /// Student information; every field is optional.
        public init(anonymousStudentID: String? = nil, submissionTime: String? = nil, randomSeed: Int? = nil) {
            self.anonymousStudentID = anonymousStudentID
            self.submissionTime = submissionTime
            self.randomSeed = randomSeed
        }
    }
}

/// The reply a grader posted for a submission (`put_result`'s `xqueue_body`, validated).
public struct PostedResult: Sendable, Equatable {
    /// `correct`.
    public let correct: Bool
    /// `score`: a finite number, not negative.
    public let score: Double
    /// `msg`: the feedback HTML.
    public let msg: String

    /// A result.
    public init(correct: Bool, score: Double, msg: String) {
        self.correct = correct
        self.score = score
        self.msg = msg
    }
}

/// One submission's history in the queue.
public struct SubmissionRecord: Sendable, Equatable {
    /// The id `enqueue` returned (`submission_id` on the wire).
    public let id: Int
    /// The queue it waits in.
    public let queue: String
    /// When it was enqueued.
    public let enqueuedAt: ContinuousClock.Instant
    /// How many times a grader pulled it (more than 1 when it was served again after the delay).
    public internal(set) var pulls: Int = 0
    /// When it was first pulled.
    public internal(set) var firstPulledAt: ContinuousClock.Instant?
    /// The first result accepted for it; later ones only count as duplicates.
    public internal(set) var result: PostedResult?
    /// When that result arrived.
    public internal(set) var repliedAt: ContinuousClock.Instant?
    /// Further `put_result`s with the current key after the first was stored.
    public internal(set) var duplicateReplies: Int = 0

    /// Enqueue to reply, once answered.
    public var latency: Duration? { repliedAt.map { $0 - enqueuedAt } }
    /// Enqueue to first pull, once pulled.
    public var waitBeforePull: Duration? { firstPulledAt.map { $0 - enqueuedAt } }
}

/// What the queue has seen since it was created; the demo and the benchmarks print these.
public struct QueueCounters: Sendable, Equatable {
    /// Submissions enqueued.
    public internal(set) var enqueued = 0
    /// `get_submission` calls that served a submission (re-serves included).
    public internal(set) var pulls = 0
    /// Of those, submissions served again after the redelivery delay.
    public internal(set) var redeliveries = 0
    /// `get_submission` calls that found the queue empty.
    public internal(set) var emptyPulls = 0
    /// `put_result` calls whose result was stored (one per answered submission).
    public internal(set) var puts = 0
    /// `put_result` calls with the current key for a submission already answered.
    public internal(set) var duplicatePuts = 0
    /// `put_result` calls refused with `Incorrect key for submission`.
    public internal(set) var stalePuts = 0
    /// `put_result` calls refused as malformed or for an unknown submission.
    public internal(set) var rejectedPuts = 0
    /// `get_queuelen` calls answered.
    public internal(set) var queueLengthCalls = 0
    /// Successful logins.
    public internal(set) var logins = 0
    /// Refused logins (bad credentials, missing CSRF token).
    public internal(set) var failedLogins = 0
    /// API calls answered with a redirect to the login page (no valid session).
    public internal(set) var unauthenticatedCalls = 0
    /// Files served.
    public internal(set) var fileDownloads = 0
}
