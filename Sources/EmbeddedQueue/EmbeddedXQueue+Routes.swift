// The XQueue API of the embedded queue: login with Django's CSRF check, logout, get_submission, put_result,
// get_queuelen, and the uploaded files. Unauthenticated API calls are redirected to the login page, as
// classic XQueue does (docs/embedded-queue.md lists each answer).
import Foundation

extension EmbeddedXQueue {
    private static let loginPath = "/xqueue/login/"

    /// The answer to one request.
    func answer(_ request: Incoming) -> Outgoing {
        switch request.path {
        case Self.loginPath: return login(request)
        case "/xqueue/logout/": return logout(request)
        case "/xqueue/get_submission/", "/xqueue/put_result/", "/xqueue/get_queuelen/":
            guard isLoggedIn(request) else {
                book.counters.unauthenticatedCalls += 1
                // Django's login_required: a redirect to the login page, which the grader must not follow.
                return Outgoing(status: 302, headers: [(name: "Location",
                                                        value: Self.loginPath + "?next=" + Wire.pathSegment(request.path))])
            }
            if request.method == "POST", !csrfPasses(request) { return Self.csrfFailure }
            switch (request.path, request.method) {
            case ("/xqueue/get_submission/", "GET"): return getSubmission(request)
            case ("/xqueue/put_result/", "POST"): return putResult(request)
            case ("/xqueue/get_queuelen/", "GET"): return queueLength(request)
            default: return .html(405, "Method Not Allowed")
            }
        case let path where path.hasPrefix("/media/"):
            return file(request)
        default:
            return .html(404, "Not Found")
        }
    }

    private static let csrfFailure = Outgoing.html(403, "Forbidden (403): CSRF verification failed. Request aborted.")

    private func isLoggedIn(_ request: Incoming) -> Bool {
        request.cookies["sessionid"].map { sessions.contains($0) } ?? false
    }

    /// Django's double-submit check: the `X-CSRFToken` header equals the `csrftoken` cookie.
    private func csrfPasses(_ request: Incoming) -> Bool {
        guard let cookie = request.cookies["csrftoken"], !cookie.isEmpty else { return false }
        return request.csrfToken == cookie
    }

    private func login(_ request: Incoming) -> Outgoing {
        switch request.method {
        case "GET":
            // The CSRF dance's first step: the page sets the cookie (kept if the client already has one).
            let token = request.cookies["csrftoken"].flatMap { $0.isEmpty ? nil : $0 } ?? Wire.randomToken()
            return .envelope(1, "Insufficient login info", headers: [Self.csrfCookie(token)])
        case "POST":
            guard csrfPasses(request) else {
                book.counters.failedLogins += 1
                return Self.csrfFailure
            }
            guard let form = request.form, let username = form["username"], let password = form["password"] else {
                book.counters.failedLogins += 1
                return .envelope(1, "Insufficient login info")
            }
            guard username == configuration.username, password == configuration.password else {
                book.counters.failedLogins += 1
                logger.info("embedded XQueue refused a login", metadata: ["user": "\(username)"])
                return .envelope(1, "Incorrect login credentials")
            }
            // Like Django's login(): a fresh session id, the old one dropped, and a rotated CSRF token.
            if let old = request.cookies["sessionid"] { sessions.remove(old) }
            let session = Wire.randomToken()
            sessions.insert(session)
            book.counters.logins += 1
            return .envelope(0, "Logged in", headers: [
                (name: "Set-Cookie", value: "sessionid=\(session); HttpOnly; Path=/; SameSite=Lax"),
                Self.csrfCookie(Wire.randomToken()),
            ])
        default:
            return .html(405, "Method Not Allowed")
        }
    }

    private func logout(_ request: Incoming) -> Outgoing {
        if request.method == "POST", isLoggedIn(request), !csrfPasses(request) { return Self.csrfFailure }
        if let session = request.cookies["sessionid"] { sessions.remove(session) }
        return .envelope(0, "Goodbye", headers: [
            (name: "Set-Cookie", value: "sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
        ])
    }

    private func getSubmission(_ request: Incoming) -> Outgoing {
        guard let queue = request.query["queue_name"], !queue.isEmpty else {
            return .envelope(1, "'get_submission' must provide parameter 'queue_name'")
        }
        if let refusal = unknownQueue(queue) { return refusal }
        guard let served = book.pull(queue: queue, key: Wire.randomToken(), now: .now) else {
            return .envelope(1, "Queue '\(queue)' is empty")
        }
        let base = configuration.absoluteFileURLs ? (baseURL?.absoluteString ?? "") : ""
        let content = Wire.content(served, queue: queue) { fileID in
            base + "/media/" + Wire.pathSegment(queue) + "/" + fileID
        }
        return .envelope(0, content)
    }

    private func putResult(_ request: Incoming) -> Outgoing {
        guard let form = request.form, let headerText = form["xqueue_header"], let bodyText = form["xqueue_body"],
              let header = Wire.header(headerText), let result = Wire.result(bodyText) else {
            book.counters.rejectedPuts += 1
            logger.warning("embedded XQueue refused a malformed put_result")
            return .envelope(1, "Incorrect reply format")
        }
        switch book.put(id: header.id, key: header.key, result: result, now: .now) {
        case .stored:
            announce(book.entries[header.id - 1].record)
            return .envelope(0, "")
        case .duplicate:
            // Classic XQueue takes it; the first result stays, and the counter shows the grader answered twice.
            logger.warning("embedded XQueue got a second result for a submission", metadata: ["submission": "\(header.id)"])
            return .envelope(0, "")
        case .staleKey:
            return .envelope(1, "Incorrect key for submission")
        case .unknownSubmission:
            return .envelope(1, "Submission does not exist")
        }
    }

    private func queueLength(_ request: Incoming) -> Outgoing {
        guard let queue = request.query["queue_name"], !queue.isEmpty else {
            return .envelope(1, "'get_queuelen' must provide parameter 'queue_name'")
        }
        if let refusal = unknownQueue(queue) { return refusal }
        book.counters.queueLengthCalls += 1
        return Outgoing(status: 200, headers: [(name: "Content-Type", value: "application/json")],
                        body: Wire.envelope(count: book.length(queue: queue, now: .now)))
    }

    /// `/media/QUEUE/ID`: an upload's bytes, for a logged-in grader only (as a private file storage may demand).
    private func file(_ request: Incoming) -> Outgoing {
        guard request.method == "GET" else { return .html(405, "Method Not Allowed") }
        guard isLoggedIn(request) else { return .html(403, "Forbidden") }
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false)
        // "", "media", QUEUE, ID
        guard parts.count == 4, let queue = parts[2].removingPercentEncoding,
              let stored = book.files[String(parts[3])], stored.queue == queue else { return .html(404, "Not Found") }
        book.counters.fileDownloads += 1
        return Outgoing(status: 200, headers: [(name: "Content-Type", value: "application/octet-stream")], body: stored.data)
    }

    private func unknownQueue(_ queue: String) -> Outgoing? {
        guard let known = configuration.queues, !known.contains(queue) else { return nil }
        return .envelope(1, "Queue '\(queue)' not found")
    }

    private static func csrfCookie(_ token: String) -> (name: String, value: String) {
        (name: "Set-Cookie", value: "csrftoken=\(token); Path=/; SameSite=Lax")
    }
}
