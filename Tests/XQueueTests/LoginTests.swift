// Logging in: the CSRF GET-then-POST, the headers every later call carries, basic auth, refused logins.
import Foundation
import Testing
@testable import XQueue
import XQueueFakes

@Suite("Logging in to XQueue")
struct LoginTests {
    @Test("login GETs the CSRF cookie, then POSTs the credentials with X-CSRFToken and the login page as Referer")
    func csrfLogin() async throws {
        try await Harness.run(.lms) { client, fake in
            try await client.login()
            let login = await fake.requests(to: "/xqueue/login/")
            #expect(login.map(\.method) == ["GET", "POST"])
            #expect(login[0].cookies.isEmpty)
            #expect(login[1].header("X-CSRFToken") == "token1")
            #expect(login[1].cookies["csrftoken"] == "token1")
            #expect(login[1].header("Referer") == "\(client.configuration.server.absoluteString)/xqueue/login/")
            #expect(login[1].form == ["username": "grader", "password": "s3cret"])
            #expect(await client.session.isLoggedIn)
        }
    }

    @Test("later calls carry the session cookie, the CSRF token rotated at login, and the server as Referer")
    func laterHeaders() async throws {
        try await Harness.run(.lms) { client, fake in
            await fake.enqueue("q")
            let submission = try #require(try await client.getSubmission(queue: "q"))
            _ = try await client.putResult(Reply(correct: true, score: 1, msg: "<p>ok</p>"), for: submission.header)
            for request in await fake.requests(to: "/xqueue/get_submission/") + (await fake.requests(to: "/xqueue/put_result/")) {
                #expect(request.cookies["sessionid"] == "session2")
                #expect(request.header("X-CSRFToken") == "rotated2")
                #expect(request.header("Referer") == client.configuration.server.absoluteString)
            }
            #expect(await fake.stored.count == 1)
        }
    }

    @Test("a server that answers the CSRF GET with 405 is logged in to without a token")
    func oldServer() async throws {
        try await Harness.run(.classic) { client, fake in
            await fake.configure { $0.csrfPreflightStatus = 405 }
            await fake.enqueue("q")
            let submission = try await client.getSubmission(queue: "q")
            #expect(submission != nil)
            let login = await fake.requests(to: "/xqueue/login/")
            #expect(login.map(\.method) == ["GET", "POST"])
            #expect(login[1].header("X-CSRFToken") == nil)
            #expect(login[1].form["username"] == "grader")
        }
    }

    @Test("the CSRF cookie may be named edx-csrftoken")
    func edxCookieName() async throws {
        try await Harness.run(.lms) { client, fake in
            await fake.configure { $0.csrfCookieName = "edx-csrftoken" }
            await fake.enqueue("q")
            let submission = try #require(try await client.getSubmission(queue: "q"))
            #expect(try await client.putResult(Reply(correct: false, score: 0, msg: "<p/>"), for: submission.header) == .stored(attempts: 1))
            let login = await fake.requests(to: "/xqueue/login/")
            #expect(login[1].header("X-CSRFToken") == "token1")
            #expect(await fake.requests(to: "/xqueue/put_result/").first?.header("X-CSRFToken") == "rotated2")
        }
    }

    @Test("wrong credentials give loginRefused with the server's message, after one login attempt",
          arguments: [FakeXQueue.Flavor.lms, .classic])
    func refused(flavor: FakeXQueue.Flavor) async throws {
        try await Harness.run(flavor, configure: { $0.credentials?.password = "wrong" }) { client, fake in
            let error = await Harness.error { try await client.getSubmission(queue: "q") }
            #expect(error == .loginRefused(status: flavor == .lms ? 401 : 200, message: "Incorrect login credentials"))
            #expect(await fake.count("/xqueue/login/", method: "POST") == 1)
            #expect(await fake.count("/xqueue/get_submission/") == 0)
        }
    }

    @Test("basic auth goes on every request, the login included")
    func basicAuth() async throws {
        try await Harness.run(.lms, configure: { $0.basicAuth = .init(username: "edx", password: "edx-pass") }) { client, fake in
            await fake.configure { $0.basicAuth = (user: "edx", password: "edx-pass") }
            await fake.enqueue("q")
            let submission = try #require(try await client.getSubmission(queue: "q"))
            _ = try await client.putResult(Reply(correct: true, score: 1, msg: "<p/>"), for: submission.header)
            let requests = await fake.requests
            #expect(requests.count == 4)
            #expect(requests.allSatisfy { $0.header("Authorization") == "Basic ZWR4OmVkeC1wYXNz" })
        }
    }

    @Test("without AUTH the client never logs in, and a login demand is notAuthenticated at once")
    func noCredentials() async throws {
        try await Harness.run(.classic, configure: { $0.credentials = nil }) { client, fake in
            let error = await Harness.error { try await client.getSubmission(queue: "q") }
            #expect(error == .notAuthenticated(.getSubmission, status: 302, location: "/xqueue/login/"))
            #expect(await fake.count("/xqueue/login/") == 0)
            #expect(await fake.count("/xqueue/get_submission/") == 1)
        }
    }

    @Test("logout ends the session on the server; the next call logs in again")
    func logout() async throws {
        try await Harness.run(.lms) { client, fake in
            try await client.login()
            await client.logout()
            #expect(await client.session.isLoggedIn == false)
            #expect(await fake.count("/xqueue/logout/") == 1)
            #expect(try await client.getSubmission(queue: "q") == nil)
            #expect(await fake.count("/xqueue/login/", method: "POST") == 2)
        }
    }

    @Test("on the LMS a POST without the CSRF header is refused; the client always sends it")
    func csrfEnforced() async throws {
        try await Harness.run(.lms) { client, fake in
            await fake.enqueue("q")
            let submission = try #require(try await client.getSubmission(queue: "q"))
            // The same session, without the token: the fake refuses like Django's CSRF check does.
            let request = await fake.requests(to: "/xqueue/get_submission/")[0]
            var forged = FakeRequest(method: "POST", path: "/xqueue/put_result/", query: [:], headers: request.headers,
                                     body: "xqueue_header=x&xqueue_body=y")
            forged.headers.remove(name: "X-CSRFToken")
            #expect(await fake.handle(forged).status == 403)
            #expect(try await client.putResult(Reply(correct: true, score: 1, msg: "<p/>"), for: submission.header) == .stored(attempts: 1))
            #expect(await fake.stored.map(\.header) == [submission.header.raw])
        }
    }
}
