// XQueueError: why a call to the XQueue server failed, for the operator's log and the watcher's decisions.

/// Errors of the XQueue module. None of them is the learner's doing; `description` is for staff logs and never
/// contains a password or a submission key.
public enum XQueueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configured server is not an absolute http(s) URL.
    case invalidServer(String)
    /// No connection could be made (refused, unreachable, connect timeout, TLS handshake): nothing was sent.
    case connectFailed(Operation, detail: String)
    /// The connection was lost after the request may have been sent.
    case transport(Operation, detail: String)
    /// No complete reply within `seconds`.
    case timedOut(Operation, seconds: Double)
    /// A status the call does not expect, with the start of the body.
    case httpStatus(Operation, status: Int, excerpt: String)
    /// The server refused the login (wrong credentials, or a user not allowed to grade).
    case loginRefused(status: Int, message: String)
    /// The server still wants a login after one fresh login and one retry, or no credentials are configured.
    case notAuthenticated(Operation, status: Int, location: String?)
    /// The server answered `return_code` 1: "Queue 'Q' not found", "Incorrect reply format", "Submission does not exist"…
    case rejected(Operation, status: Int, message: String)
    /// `put_result` was refused because the key is not the submission's current one (it was pulled again):
    /// never retried, the result cannot be stored any more.
    case staleKey(submissionID: String, message: String)
    /// A reply could not be read at `layer`. `header` is set when the submission's header was read, so that
    /// the submission can still be answered.
    case malformed(Operation, layer: Layer, detail: String, header: SubmissionHeader?)
    /// Our own reply was not sent because the server would store it wrongly (a NaN or negative score).
    case invalidReply(reason: String)

    /// The call that failed.
    public enum Operation: String, Sendable, Equatable {
        case login = "login"
        case getSubmission = "get_submission"
        case putResult = "put_result"
        case getQueueLength = "get_queuelen"
        case logout = "logout"
        /// A submission POSTed to the passive grader (`polygrader serve`).
        case push = "push"
    }

    /// The nested JSON layers of a reply, outermost first (docs/xqueue-client.md).
    public enum Layer: String, Sendable, Equatable {
        /// The HTTP body: `{"return_code": 0|1, "content": …}`.
        case envelope
        /// `content`: a JSON string holding `{"xqueue_header", "xqueue_body", "xqueue_files"}`.
        case content
        /// `xqueue_header`: `{"submission_id", "submission_key"}`.
        case header
        /// `xqueue_body`: `{"student_info", "student_response", "grader_payload"}`.
        case body
        /// `xqueue_files`: `{file name: URL}`.
        case files
    }

    /// Whether trying the same call again later may succeed (the server or the network), as opposed to an
    /// answer that will not change (bad credentials, a stale key, a malformed submission, our own bad reply).
    public var isTransient: Bool {
        switch self {
        case .connectFailed, .transport, .timedOut, .notAuthenticated: return true
        case let .httpStatus(_, status, _): return status >= 500 || status == 429
        case .invalidServer, .loginRefused, .rejected, .staleKey, .malformed, .invalidReply: return false
        }
    }

    /// One line for the operator's log.
    public var description: String {
        switch self {
        case let .invalidServer(text):
            return "XQueue server \(text.debugDescription) is not an absolute http or https URL"
        case let .connectFailed(operation, detail):
            return "\(operation.rawValue): could not connect: \(detail)"
        case let .transport(operation, detail):
            return "\(operation.rawValue): connection lost: \(detail)"
        case let .timedOut(operation, seconds):
            return "\(operation.rawValue): no complete reply within \(Self.seconds(seconds))"
        case let .httpStatus(operation, status, excerpt):
            return "\(operation.rawValue): unexpected HTTP status \(status)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        case let .loginRefused(status, message):
            return "login refused (HTTP \(status)): \(message)"
        case let .notAuthenticated(operation, status, location):
            let target = location.map { " to \($0)" } ?? ""
            return "\(operation.rawValue): the server still asks for a login (HTTP \(status)\(target)) after logging in again"
                + (status == 301 ? "; if it moved, set SERVER to its new address" : "")
        case let .rejected(operation, status, message):
            return "\(operation.rawValue): the server refused (HTTP \(status)): \(message)"
        case let .staleKey(id, message):
            return "put_result for submission \(id) refused: \(message) (it was pulled again since; not retried)"
        case let .malformed(operation, layer, detail, header):
            let which = header.map { " (\($0))" } ?? ""
            // A pushed submission is a request to us, not a server's reply.
            let what = operation == .push ? "request" : "reply"
            return "\(operation.rawValue): malformed \(what) at \(layer.rawValue)\(which): \(detail)"
        case let .invalidReply(reason):
            return "put_result not sent: \(reason)"
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
