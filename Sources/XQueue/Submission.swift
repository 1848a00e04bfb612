// Submission: one pulled submission as the server described it, with its header kept verbatim for the reply.

/// The `xqueue_header` of a pulled submission: the exact string to echo back, and what it says.
public struct SubmissionHeader: Sendable, Equatable, CustomStringConvertible {
    /// The header string exactly as received; `put_result` sends it back byte for byte.
    public let raw: String
    /// `submission_id`, as text (an integer on both servers).
    public let id: String
    /// `submission_key`: every pull makes a new one, and a reply with an older one is refused.
    public let key: String

    /// A header; `raw` must be the string as received.
    public init(raw: String, id: String, key: String) {
        self.raw = raw
        self.id = id
        self.key = key
    }

    /// The submission id only: the key is a credential for this submission's reply, so logs do not show it.
    public var description: String { "submission \(id)" }
}

/// One submission pulled from a queue.
public struct Submission: Sendable, Equatable {
    /// The queue it was pulled from.
    public let queue: String
    /// The header to reply with.
    public let header: SubmissionHeader
    /// The typed code; `""` when the learner uploaded files instead.
    public let studentResponse: String
    /// `grader_payload` as received (normally JSON with surrounding whitespace); reading it is the grader's job.
    public let graderPayload: String
    /// `student_info`, as far as it could be read.
    public let studentInfo: StudentInfo
    /// `xqueue_files`, sorted by name. A URL may be relative (a storage path): resolving it is the downloader's job.
    public let files: [File]

    /// An uploaded file: the learner's file name and where the server keeps it.
    public struct File: Sendable, Equatable {
        public let name: String
        public let url: String
        /// A file reference.
        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }
    }

    /// A submission (the client builds these; tests and other graders may too).
    public init(queue: String, header: SubmissionHeader, studentResponse: String, graderPayload: String,
                studentInfo: StudentInfo, files: [File]) {
        self.queue = queue
        self.header = header
        self.studentResponse = studentResponse
        self.graderPayload = graderPayload
        self.studentInfo = studentInfo
        self.files = files
    }
}

/// `student_info`: never the learner's identity, only an anonymous id, the time and a seed.
/// Each field is nil when absent or of an unexpected type: none of them is needed to grade.
public struct StudentInfo: Sendable, Equatable {
    /// `anonymous_student_id`.
    public let anonymousStudentID: String?
    /// `submission_time` as sent: `YYYYMMDDHHMMSS` on classic XQueue, Unix seconds on the LMS.
    public let submissionTime: String?
    /// `random_seed`, when the problem is randomized (always 1 on the LMS).
    public let randomSeed: Int?

    /// Student information; every field is optional.
    public init(anonymousStudentID: String? = nil, submissionTime: String? = nil, randomSeed: Int? = nil) {
        self.anonymousStudentID = anonymousStudentID
        self.submissionTime = submissionTime
        self.randomSeed = randomSeed
    }
}
