// PushSettings: how the passive grader (`polygrader serve`, docs/push-mode.md) listens, whom it
// answers, how big a request may be and how long a request may wait for a free slot.
import Foundation

/// The passive grader's settings.
public struct PushSettings: Sendable {
    /// Who may push. A pusher that does not prove it gets 401 and nothing is graded.
    public enum Authentication: Sendable, Equatable {
        /// HTTP basic auth with this user and password (what classic XQueue can send to a passive grader).
        case basic(user: String, password: String)
        /// A shared secret in the `X-Polygrader-Secret` header.
        case sharedSecret(String)
        /// Anyone who can reach the address (only with `--no-auth`, for a listener on a private socket).
        case none
    }

    /// `HOST:PORT`, `[IPV6]:PORT` or a bare `PORT` (on 127.0.0.1); port 0 asks the kernel for one.
    public var listen: String
    public var authentication: Authentication
    /// The largest request body accepted; a larger one gets 413 unread.
    public var maxRequestBytes: Int = 1 << 20
    /// How long a request waits for a free grading slot before 503 with `Retry-After`.
    public var slotWait: Double = 10

    public init(listen: String, authentication: Authentication, maxRequestBytes: Int = 1 << 20, slotWait: Double = 10) {
        self.listen = listen; self.authentication = authentication
        self.maxRequestBytes = maxRequestBytes; self.slotWait = slotWait
    }

    /// The header that carries a shared secret.
    public static let secretHeader = "X-Polygrader-Secret"

    /// Reads an authentication file: `user:password` on its first line is basic auth; `secret:TEXT` a shared
    /// secret. A file, not a flag, so the credential is not visible in the process list.
    public static func authentication(fromFile path: String) throws -> Authentication {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw PushError.authFile(path, "cannot be read") }
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard let colon = line.firstIndex(of: ":") else { throw PushError.authFile(path, "its first line is not USER:PASSWORD or secret:TEXT") }
        let left = String(line[..<colon]), right = String(line[line.index(after: colon)...])
        guard !left.isEmpty, !right.isEmpty else { throw PushError.authFile(path, "the user, password or secret is empty") }
        return left == "secret" ? .sharedSecret(right) : .basic(user: left, password: right)
    }
}

/// Why the passive grader could not start.
public enum PushError: Error, Sendable, CustomStringConvertible {
    case authFile(String, String)
    case unknownQueue(String)

    public var description: String {
        switch self {
        case let .authFile(path, why): return "the authentication file \(path): \(why)"
        case let .unknownQueue(name): return "no queue named \(name.debugDescription) is configured"
        }
    }
}
