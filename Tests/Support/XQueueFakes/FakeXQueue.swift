// FakeXQueue: an in-process XQueue with the behaviour of classic XQueue or of edx-submissions 4.0.2 as
// docs/xqueue-client.md describes it (statuses, CSRF, stale keys), plus faults scripted per path, for the
// fault tests of the XQueue client and of the watcher.
import Foundation

/// A fault the next request to a path meets, before the normal handling.
public enum Fault: Sendable {
    /// Answer with this status and an HTML error page, changing nothing.
    case status(Int)
    /// Close the connection without answering, changing nothing.
    case drop
    /// Handle the request normally (state changes included) but answer only after this pause.
    case delay(Duration)
    /// Forget every session first (an expired login), then handle normally.
    case expireSession
    /// Answer with this status and body, changing nothing.
    case raw(status: Int, body: String)
    /// Handle the request normally (state changes included), then close the connection without answering:
    /// the request arrived but its reply was lost on the way.
    case dropAfterHandling
    /// Another grader pulled the submission of this `put_result` first: its key changes, then the request
    /// is handled normally (and refused as stale).
    case pulledElsewhere
}

/// A submission waiting in the fake's queue.
public struct FakeItem: Sendable {
    public let id: Int
    public let queue: String
    /// The `content` string to serve, given the current key; nil means build the standard one.
    public var content: (@Sendable (_ key: String) -> String)?
    public var response = "print('hello')\n"
    public var payload = "\n  {\"grader\": \"ps1/grader.py\"}\n"
    public var files: String? = "{}"
    public var graded = false
    public var key: String?
    /// How many times get_submission served it.
    public var served = 0
    /// When get_submission last served it.
    public var servedAt: ContinuousClock.Instant?
}

public actor FakeXQueue {
    public enum Flavor: Sendable { case classic, lms }

    public let flavor: Flavor
    public var users = ["grader": "s3cret"]
    /// The status of a call without a valid session: 302 on classic XQueue, 403 (DRF) on the LMS.
    public var unauthenticatedStatus: Int
    /// The status of the CSRF GET on the login page; nil answers normally with a cookie (old servers: 405).
    public var csrfPreflightStatus: Int?
    public var csrfCookieName = "csrftoken"
    /// Basic auth the server demands on every request, if any.
    public var basicAuth: (user: String, password: String)?
    /// How long a pulled, unanswered submission is held back before it is served again (the servers'
    /// processing delay); nil serves it again at once.
    public var redeliveryAfter: Duration?
    public private(set) var requests: [FakeRequest] = []
    public private(set) var stored: [(header: String, body: String)] = []
    private var items: [FakeItem] = []
    private var faults: [String: [Fault]] = [:]
    /// Faults every request to a path meets until cleared (a server failing for a while).
    private var lastingFaults: [String: Fault] = [:]
    private var sessions: Set<String> = []
    /// Numbers tokens, sessions and keys in the order they are made (token1, session2, …).
    private var counter = 0
    private var lastID = 100

    public init(_ flavor: Flavor) {
        self.flavor = flavor
        self.unauthenticatedStatus = flavor == .classic ? 302 : 403
    }

    public func configure(_ change: @Sendable (isolated FakeXQueue) -> Void) { change(self) }

    /// Adds a submission and returns its id.
    @discardableResult
    public func enqueue(_ queue: String, _ change: (inout FakeItem) -> Void = { _ in }) -> Int {
        lastID += 1
        var item = FakeItem(id: lastID, queue: queue)
        change(&item)
        items.append(item)
        return item.id
    }

    /// Scripts faults for the next requests to `path` (one each, in order).
    public func inject(_ path: String, _ list: Fault...) { faults[path, default: []] += list }

    /// Every request to `path` meets `fault` until this is called again with nil (after the scripted faults).
    public func setLastingFault(_ path: String, _ fault: Fault?) { lastingFaults[path] = fault }

    public func expireSessions() { sessions.removeAll() }

    /// The submission `id` as the server holds it now.
    public func item(_ id: Int) -> FakeItem? { items.first { $0.id == id } }

    /// The reply bodies stored for submission `id`, in order.
    public func storedBodies(_ id: Int) -> [String] {
        stored.filter { Self.submissionID(inHeader: $0.header) == id }.map(\.body)
    }

    /// Takes submission `id` out of the queue without a reply (staff removed it).
    public func retire(_ id: Int) {
        if let index = items.firstIndex(where: { $0.id == id }) { items[index].graded = true }
    }

    /// The requests to `path` counted by the session cookie they carried ("" for none): one session per connection.
    public func countsBySession(_ path: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for request in requests where request.path == path { counts[request.cookies["sessionid"] ?? "", default: 0] += 1 }
        return counts
    }

    /// How many requests reached `path` (with `method`, if given).
    public func count(_ path: String, method: String? = nil) -> Int {
        requests.filter { $0.path == path && (method == nil || $0.method == method) }.count
    }

    public func requests(to path: String) -> [FakeRequest] { requests.filter { $0.path == path } }

    public func handle(_ request: FakeRequest) -> FakeResponse {
        requests.append(request)
        var delay: Duration?
        var dropReply = false
        var fault: Fault?
        if var pending = faults[request.path], !pending.isEmpty {
            fault = pending.removeFirst()
            faults[request.path] = pending
        } else {
            fault = lastingFaults[request.path]
        }
        switch fault {
        case nil: break
        case let .status(code)?: return .html(code)
        case .drop?: return FakeResponse(status: 0, drop: true)
        case let .raw(status, body)?: return .json(status, body)
        case .expireSession?: sessions.removeAll()
        case let .delay(pause)?: delay = pause
        case .dropAfterHandling?: dropReply = true
        case .pulledElsewhere?:
            if let header = request.form["xqueue_header"], let id = Self.submissionID(inHeader: header),
               let index = items.firstIndex(where: { $0.id == id }) {
                counter += 1
                items[index].key = "elsewhere-\(counter)"
            }
        }
        var response = route(request)
        response.delay = delay
        response.drop = dropReply
        return response
    }

    static func submissionID(inHeader header: String) -> Int? {
        let fields = (try? JSONSerialization.jsonObject(with: Data(header.utf8))) as? [String: Any]
        return fields?["submission_id"] as? Int
    }

    private func route(_ request: FakeRequest) -> FakeResponse {
        if let basicAuth {
            let expected = "Basic " + Data("\(basicAuth.user):\(basicAuth.password)".utf8).base64EncodedString()
            guard request.header("Authorization") == expected else { return .html(401, "basic auth required") }
        }
        if request.path == "/xqueue/login/" { return login(request) }
        guard let session = request.cookies["sessionid"], sessions.contains(session) else { return unauthenticated() }
        // Django's CSRF check on an authenticated unsafe request (the LMS uses SessionAuthentication).
        if flavor == .lms, request.method == "POST",
           request.header("X-CSRFToken") == nil || request.header("X-CSRFToken") != request.cookies[csrfCookieName]
            || request.header("Referer") == nil {
            return .json(403, #"{"detail": "CSRF Failed: CSRF token missing or incorrect."}"#)
        }
        switch request.path {
        case "/xqueue/get_submission/": return getSubmission(request.query["queue_name"] ?? "")
        case "/xqueue/put_result/": return putResult(request.form)
        case "/xqueue/get_queuelen/" where flavor == .classic: return queueLength(request.query["queue_name"] ?? "")
        case let path where path.hasPrefix("/media/") && request.method == "GET":
            return FakeResponse(status: 200, body: "bytes of \(path)")
        case "/xqueue/logout/":
            sessions.remove(session)
            return envelope(0, "Goodbye", headers: [("Set-Cookie", "sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/")])
        default: return .html(404, "<h1>Not Found</h1>")
        }
    }

    private func login(_ request: FakeRequest) -> FakeResponse {
        if request.method == "GET" {
            if let csrfPreflightStatus { return .html(csrfPreflightStatus, "Method Not Allowed") }
            counter += 1
            return envelope(0, "", headers: [("Set-Cookie", "\(csrfCookieName)=token\(counter); Path=/; SameSite=Lax")])
        }
        let form = request.form
        guard let user = form["username"], let password = form["password"] else {
            return envelope(1, "Insufficient login info", status: flavor == .lms ? 400 : 200)
        }
        guard users[user] == password else {
            return envelope(1, "Incorrect login credentials", status: flavor == .lms ? 401 : 200)
        }
        counter += 1
        let session = "session\(counter)"
        sessions.insert(session)
        // Django rotates the CSRF token at login.
        return envelope(0, "Logged in", headers: [("Set-Cookie", "sessionid=\(session); Path=/; HttpOnly"),
                                                  ("Set-Cookie", "\(csrfCookieName)=rotated\(counter); Path=/")])
    }

    private func unauthenticated() -> FakeResponse {
        switch unauthenticatedStatus {
        case 301, 302:
            return FakeResponse(status: unauthenticatedStatus, headers: [("Location", "/xqueue/login/")], body: "")
        default:
            return .json(unauthenticatedStatus, #"{"detail": "Authentication credentials were not provided."}"#)
        }
    }

    private func getSubmission(_ queue: String) -> FakeResponse {
        if queue.isEmpty { return envelope(1, "'get_submission' must provide parameter 'queue_name'", status: 400) }
        if flavor == .classic, !items.contains(where: { $0.queue == queue }) { return envelope(1, "Queue '\(queue)' not found") }
        let now = ContinuousClock.now
        guard let index = items.firstIndex(where: {
            $0.queue == queue && !$0.graded
                && (redeliveryAfter == nil || $0.servedAt.map { now - $0 >= redeliveryAfter! } ?? true)
        }) else {
            return envelope(1, "Queue '\(queue)' is empty")
        }
        counter += 1
        let key = "key-\(items[index].id)-\(counter)"
        items[index].key = key
        items[index].served += 1
        items[index].servedAt = now
        let item = items[index]
        let content = item.content?(key) ?? Self.standardContent(item, key: key)
        return .json(200, Self.json(["return_code": 0, "content": content]))
    }

    private func putResult(_ form: [String: String]) -> FakeResponse {
        let badFormat = envelope(1, "Incorrect reply format", status: flavor == .lms ? 400 : 200)
        guard let header = form["xqueue_header"], let body = form["xqueue_body"],
              let fields = try? JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any],
              let id = fields["submission_id"] as? Int, let key = fields["submission_key"] as? String,
              (try? JSONSerialization.jsonObject(with: Data(body.utf8))) != nil else { return badFormat }
        guard let index = items.firstIndex(where: { $0.id == id }) else {
            return envelope(1, "Submission does not exist", status: flavor == .lms ? 404 : 200)
        }
        // edx-submissions 4.0.2 fails a second reply for a graded submission with an HTML 500.
        if items[index].graded, flavor == .lms { return .html(500) }
        guard items[index].key == key else {
            return envelope(1, "Incorrect key for submission", status: flavor == .lms ? 403 : 200)
        }
        items[index].graded = true
        stored.append((header: header, body: body))
        return envelope(0, "")
    }

    private func queueLength(_ queue: String) -> FakeResponse {
        guard items.contains(where: { $0.queue == queue }) else { return envelope(1, "Queue '\(queue)' not found") }
        return .json(200, Self.json(["return_code": 0, "content": items.filter { $0.queue == queue && !$0.graded }.count]))
    }

    private func envelope(_ code: Int, _ content: String, status: Int = 200, headers: [(String, String)] = []) -> FakeResponse {
        .json(status, Self.json(["return_code": code, "content": content]), headers: headers)
    }

    /// The three layers as the servers build them: each value of `content` is itself a JSON string.
    /// The header keeps unusual spacing and key order so that a test can see it is echoed verbatim.
    public static func standardContent(_ item: FakeItem, key: String) -> String {
        let header = "{\"submission_key\": \"\(key)\",  \"submission_id\": \(item.id)}"
        let body = json(["student_info": json(["anonymous_student_id": "anon-\(item.id)", "submission_time": "20240102030405",
                                               "random_seed": 42]),
                         "student_response": item.response, "grader_payload": item.payload])
        var outer: [String: Any] = ["xqueue_header": header, "xqueue_body": body]
        if let files = item.files { outer["xqueue_files"] = files }
        return json(outer)
    }

    public static func json(_ object: Any) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
