// An expired session: one fresh login and one retry of the same request, never a loop.
import Foundation
import Testing
@testable import XQueue
import XQueueFakes

@Suite("Re-login on an expired session")
struct ReloginTests {
    @Test("an expired session answered with 301, 302, 401 or 403 costs one login and one retry", arguments: [301, 302, 401, 403])
    func oneRetry(status: Int) async throws {
        try await Harness.run(.lms) { client, fake in
            await fake.configure { $0.unauthenticatedStatus = status }
            await fake.enqueue("q")
            try await client.login()
            await fake.inject("/xqueue/get_submission/", .expireSession)
            let submission = try #require(try await client.getSubmission(queue: "q"))
            #expect(submission.header.id == "101")
            #expect(await fake.count("/xqueue/login/", method: "POST") == 2)
            #expect(await fake.count("/xqueue/get_submission/") == 2)
        }
    }

    @Test("put_result after an expired session logs in again and stores the reply once")
    func putAfterExpiry() async throws {
        try await Harness.run(.classic) { client, fake in
            await fake.enqueue("q")
            let submission = try #require(try await client.getSubmission(queue: "q"))
            await fake.inject("/xqueue/put_result/", .expireSession)
            #expect(try await client.putResult(Reply(correct: true, score: 1, msg: "<p/>"), for: submission.header) == .stored(attempts: 1))
            #expect(await fake.count("/xqueue/put_result/") == 2)
            #expect(await fake.count("/xqueue/login/", method: "POST") == 2)
            #expect(await fake.stored.count == 1)
        }
    }

    @Test("a login demand right after a fresh login is notAuthenticated: two logins, two requests, no loop")
    func secondFailure() async throws {
        try await Harness.run(.classic) { client, fake in
            try await client.login()
            await fake.inject("/xqueue/get_submission/", .expireSession, .expireSession, .expireSession)
            let error = await Harness.error { try await client.getSubmission(queue: "q") }
            #expect(error == .notAuthenticated(.getSubmission, status: 302, location: "/xqueue/login/"))
            #expect(await fake.count("/xqueue/login/", method: "POST") == 2)
            #expect(await fake.count("/xqueue/get_submission/") == 2)
        }
    }

    @Test("a 403 carrying the envelope is the server's answer, not a login demand")
    func envelopeForbidden() async throws {
        try await Harness.run(.lms) { client, fake in
            try await client.login()
            await fake.inject("/xqueue/get_submission/", .raw(status: 403, body: #"{"return_code": 1, "content": "Not allowed"}"#))
            let error = await Harness.error { try await client.getSubmission(queue: "q") }
            #expect(error == .rejected(.getSubmission, status: 403, message: "Not allowed"))
            #expect(await fake.count("/xqueue/login/", method: "POST") == 1)
        }
    }
}
