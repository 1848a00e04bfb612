// Reply: the result posted back for a submission, checked before it leaves (the LMS accepts a bad score
// with success and then never shows the grade, docs/xqueue-client.md, "`put_result`").
import Foundation

/// The `xqueue_body` of a `put_result`.
public struct Reply: Sendable, Equatable {
    /// Whether the answer is correct.
    public var correct: Bool
    /// The score on the scale the server expects (a 0...1 fraction, or points): finite and not negative.
    public var score: Double
    /// The feedback HTML; it must already be well-formed XML with one root (the caller renders and checks it).
    public var msg: String

    /// A reply; `body()` checks it.
    public init(correct: Bool, score: Double, msg: String) {
        self.correct = correct
        self.score = score
        self.msg = msg
    }

    /// The JSON text sent as `xqueue_body`, or `XQueueError.invalidReply` if the score cannot be sent.
    public func body() throws -> String {
        guard score.isFinite else { throw XQueueError.invalidReply(reason: "the score is \(score), not a finite number") }
        guard score >= 0 else { throw XQueueError.invalidReply(reason: "the score \(score) is negative") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Wire(correct: correct, score: score, msg: msg))
        return String(decoding: data, as: UTF8.self)
    }

    private struct Wire: Encodable {
        let correct: Bool
        let score: Double
        let msg: String
    }
}

/// How a `put_result` ended when it did not fail.
public enum PutOutcome: Sendable, Equatable {
    /// The server answered success.
    case stored(attempts: Int)
    /// An attempt timed out or lost its connection, and a later one was refused in the way a server refuses a
    /// second reply for the same submission (edx-submissions answers it with 500): the first one most likely
    /// arrived. Not retried further; worth a log line.
    case probablyStored(attempts: Int, status: Int)
}
