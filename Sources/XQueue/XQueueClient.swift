// XQueueClient: the calls of one connection to a classic XQueue or to the LMS's edx-submissions endpoints
// (login, get_submission, put_result, get_queuelen, logout). A pure client: it knows nothing of grading.
import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1

/// One connection to an XQueue server, with its own session (docs/xqueue-client.md, "Cookies": a cookie jar per
/// connection).
/// Create the `HTTPClient` with `XQueueClient.httpClientConfiguration`; several clients may share it.
public actor XQueueClient {
    /// The server and the settings of this connection.
    public nonisolated let configuration: XQueueConfiguration
    /// The session: lend it to file downloads with `session.decorate(&request)`.
    public nonisolated let session: XQueueSession
    let httpClient: HTTPClient
    let logger: Logger
    /// Successful logins so far: a call that hit an expired session logs in again only if nobody has since.
    var generation = 0
    /// Seconds per API call: `configuration.timeouts.api`, changed only by tests that time out one call and
    /// must not see the calls around it time out on a loaded machine.
    var apiTimeout: Double

    /// A client; throws `XQueueError.invalidServer` unless the server is an absolute http(s) URL.
    public init(configuration: XQueueConfiguration, httpClient: HTTPClient, logger: Logger) throws {
        guard let scheme = configuration.server.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = configuration.server.host, !host.isEmpty else {
            throw XQueueError.invalidServer(configuration.server.absoluteString)
        }
        self.configuration = configuration
        self.session = XQueueSession(server: configuration.server, basicAuth: configuration.basicAuth,
                                     verifyTLS: configuration.verifyTLS)
        self.httpClient = httpClient
        self.logger = logger
        self.apiTimeout = configuration.timeouts.api
    }

    /// Changes the API timeout (tests only, see `apiTimeout`).
    func setAPITimeout(_ seconds: Double) { apiTimeout = seconds }

    /// Logs in now (the other calls also log in by themselves when needed). Does nothing without credentials.
    public func login() async throws {
        try await logIn(ifStillAt: generation)
    }

    /// Pulls the oldest submission of `queue`, or nil when the queue is empty.
    public func getSubmission(queue: String) async throws -> Submission? {
        switch try await call(.getSubmission, .GET, "/xqueue/get_submission/", query: [("queue_name", queue)]) {
        case let .success(content):
            let submission = try SubmissionDecoder.decode(content, queue: queue)
            logger.debug("pulled a submission", metadata: ["queue": "\(queue)", "submission": "\(submission.header.id)"])
            return submission
        case let .refused(_, message) where message.hasPrefix("Queue '") && message.hasSuffix("' is empty"):
            return nil
        case let .refused(status, message):
            throw XQueueError.rejected(.getSubmission, status: status, message: message)
        case let .other(status, excerpt):
            throw Self.unexpected(.getSubmission, status: status, excerpt: excerpt)
        case .loginRequired:
            preconditionFailure("call() answers a login request itself")
        }
    }

    /// Posts `reply` for the submission with `header`, retrying connection errors, timeouts and 5xx a bounded
    /// number of times with backoff. A stale-key refusal is never retried. A 500 or 409 after an attempt that
    /// timed out or lost its connection means the first reply most likely arrived: `.probablyStored`, no loop.
    public func putResult(_ reply: Reply, for header: SubmissionHeader) async throws -> PutOutcome {
        let form = [("xqueue_header", header.raw), ("xqueue_body", try reply.body())]
        var mayHaveArrived = false
        var attempt = 1
        while true {
            let failure: XQueueError
            do {
                let reading = try await call(.putResult, .POST, "/xqueue/put_result/", form: form)
                switch reading {
                case .success:
                    logger.debug("result stored", metadata: ["submission": "\(header.id)", "attempts": "\(attempt)"])
                    return .stored(attempts: attempt)
                case let .refused(status, message) where status == 403 || message == "Incorrect key for submission":
                    throw XQueueError.staleKey(submissionID: header.id, message: message)
                case let .refused(status, _) where mayHaveArrived && (status >= 500 || status == 409),
                     let .other(status, _) where mayHaveArrived && (status >= 500 || status == 409):
                    logger.warning("put_result refused after an attempt that may have arrived; taking it as stored",
                                   metadata: ["submission": "\(header.id)", "status": "\(status)", "attempts": "\(attempt)"])
                    return .probablyStored(attempts: attempt, status: status)
                case let .refused(status, message) where status >= 500:
                    failure = .rejected(.putResult, status: status, message: message)
                case let .refused(status, message):
                    throw XQueueError.rejected(.putResult, status: status, message: message)
                case let .other(status, excerpt) where status >= 500:
                    failure = .httpStatus(.putResult, status: status, excerpt: excerpt)
                case let .other(status, excerpt):
                    throw Self.unexpected(.putResult, status: status, excerpt: excerpt)
                case .loginRequired:
                    preconditionFailure("call() answers a login request itself")
                }
            } catch let error as XQueueError {
                switch error {
                case .timedOut(.putResult, _), .transport(.putResult, _): mayHaveArrived = true
                case .connectFailed, .timedOut, .transport: break  // of the re-login: the reply was not sent
                default: throw error
                }
                failure = error
            }
            guard attempt < configuration.putAttempts else { throw failure }
            let pause = configuration.putRetry.delay(afterFailures: attempt, unit: Double.random(in: 0..<1))
            logger.warning("put_result failed, retrying", metadata: [
                "submission": "\(header.id)", "attempt": "\(attempt)", "error": "\(failure)", "pause": "\(pause)"])
            try await Task.sleep(nanoseconds: UInt64(pause * 1e9))
            attempt += 1
        }
    }

    /// The number of submissions waiting in `queue`, or nil where the server has no `get_queuelen` (the LMS).
    public func queueLength(queue: String) async throws -> Int? {
        switch try await call(.getQueueLength, .GET, "/xqueue/get_queuelen/", query: [("queue_name", queue)]) {
        case let .success(.integer(count)) where count >= 0:
            return count
        case let .success(.string(text)) where Int(text).map { $0 >= 0 } ?? false:
            return Int(text)
        case let .success(other):
            throw XQueueError.malformed(.getQueueLength, layer: .content,
                                        detail: "the queue length is \(other.kind), not a count", header: nil)
        case let .refused(status, message):
            throw XQueueError.rejected(.getQueueLength, status: status, message: message)
        case .other(404, _), .other(405, _):
            return nil
        case let .other(status, excerpt):
            throw Self.unexpected(.getQueueLength, status: status, excerpt: excerpt)
        case .loginRequired:
            preconditionFailure("call() answers a login request itself")
        }
    }

    /// Ends the session on the server (at shutdown); a failure is only logged, and the cookies go either way.
    public func logout() async {
        do {
            _ = try await exchange(.logout, .POST, "/xqueue/logout/", form: [])
        } catch {
            logger.debug("logout failed", metadata: ["error": "\(error)"])
        }
        await session.clear()
        generation = 0
    }

    /// The CSRF GET, then the login POST with `X-CSRFToken` and `Referer` (docs/xqueue-client.md, "Behaviour"). Skipped
    /// when another
    /// login succeeded after `seen`, so two calls that met the same expired session log in once between them.
    func logIn(ifStillAt seen: Int) async throws {
        guard let credentials = configuration.credentials, generation == seen else { return }
        await session.clear()
        let loginPath = "/xqueue/login/"
        // Old servers answer this GET with 405 or anything else: only the cookie matters.
        let preflight = try await exchange(.login, .GET, loginPath)
        if await session.csrfToken == nil {
            logger.debug("no CSRF cookie from the login page; logging in without a token", metadata: ["status": "\(preflight.status)"])
        }
        let reply = try await exchange(.login, .POST, loginPath,
                                       form: [("username", credentials.username), ("password", credentials.password)],
                                       referer: configuration.url(loginPath))
        switch Reading(reply) {
        case .success:
            generation += 1
            logger.info("logged in to XQueue", metadata: ["server": "\(configuration.server.absoluteString)", "user": "\(credentials.username)"])
        case let .refused(status, message):
            throw XQueueError.loginRefused(status: status, message: message)
        case let .loginRequired(status, location):
            throw XQueueError.loginRefused(status: status, message: location.map { "redirected to \($0)" } ?? "HTTP \(status)")
        case let .other(status, excerpt) where status == 400 || status == 401 || status == 403:
            throw XQueueError.loginRefused(status: status, message: excerpt)
        case let .other(status, excerpt):
            throw Self.unexpected(.login, status: status, excerpt: excerpt)
        }
    }

    /// A reply that is not an envelope: a 2xx is a malformed envelope, anything else an unexpected status.
    static func unexpected(_ operation: XQueueError.Operation, status: Int, excerpt: String) -> XQueueError {
        if (200..<300).contains(status) {
            return .malformed(operation, layer: .envelope, detail: "not an XQueue reply: \(excerpt)", header: nil)
        }
        return .httpStatus(operation, status: status, excerpt: excerpt)
    }
}
