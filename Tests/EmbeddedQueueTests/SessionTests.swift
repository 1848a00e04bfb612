// Login as classic XQueue does it: the CSRF cookie from a GET, the token checked on the POST, a session
// cookie; an API call without a session is redirected to the login page, and our client logs in again.
import AsyncHTTPClient
import EmbeddedQueue
import Foundation
import NIOHTTP1
import Testing
import XQueue

@Suite struct SessionTests {
    @Test func ourClientLogsInWithTheCSRFDance() async throws {
        try await Harness.run { queue, url, http in
            let client = try Harness.client(url, http)
            try await client.login()
            #expect(await client.session.isLoggedIn)
            let counters = await queue.counters
            #expect(counters.logins == 1 && counters.failedLogins == 0)
        }
    }

    @Test func aLoginWithoutTheCSRFTokenIsForbidden() async throws {
        try await Harness.run { queue, url, http in
            let form = Harness.form([("username", Harness.credentials.username), ("password", Harness.credentials.password)])
            let answer = try await Harness.raw(http, .POST, url.absoluteString + "/xqueue/login/", form: form)
            #expect(answer.status == 403)
            #expect(answer.header("Set-Cookie") == nil)
            #expect(await queue.counters.failedLogins == 1)
        }
    }

    @Test func wrongCredentialsAreRefusedAsClassicXQueueRefusesThem() async throws {
        try await Harness.run { queue, url, http in
            let client = try Harness.client(url, http, credentials: .init(username: "grader", password: "wrong"))
            let error = await Harness.error { try await client.getSubmission(queue: "q") }
            #expect(error as? XQueueError == .loginRefused(status: 200, message: "Incorrect login credentials"))
            #expect(await queue.counters.logins == 0)
        }
    }

    @Test func aCallWithoutASessionIsRedirectedToTheLoginPage() async throws {
        try await Harness.run { queue, url, http in
            let answer = try await Harness.raw(http, .GET, url.absoluteString + "/xqueue/get_submission/?queue_name=q")
            #expect(answer.status == 302)
            #expect(answer.header("Location")?.hasPrefix("/xqueue/login/") == true)
            #expect(await queue.counters.unauthenticatedCalls == 1)
        }
    }

    @Test func anExpiredSessionMakesOurClientLogInAgainAndTheCallSucceeds() async throws {
        try await Harness.run { queue, url, http in
            let id = await queue.enqueue(queue: "q", graderPayload: "{}")
            let client = try Harness.client(url, http)
            #expect(try await client.queueLength(queue: "q") == 1)
            await queue.expireSessions()

            let submission = try #require(try await client.getSubmission(queue: "q"))
            #expect(submission.header.id == String(id))
            await queue.expireSessions()
            #expect(try await client.putResult(Reply(correct: true, score: 1, msg: "<p/>"), for: submission.header)
                    == .stored(attempts: 1))
            let counters = await queue.counters
            #expect(counters.logins == 3 && counters.unauthenticatedCalls == 2 && counters.puts == 1)
        }
    }

    @Test func logoutEndsTheSession() async throws {
        try await Harness.run { queue, url, http in
            let client = try Harness.client(url, http)
            let headers = try await Harness.sessionHeaders(client, url)
            let bye = try await Harness.raw(http, .POST, url.absoluteString + "/xqueue/logout/", headers: headers, form: "")
            #expect(bye.envelope?.code == 0)
            let after = try await Harness.raw(http, .GET, url.absoluteString + "/xqueue/get_queuelen/?queue_name=q",
                                              headers: headers)
            #expect(after.status == 302)
            #expect(await queue.counters.unauthenticatedCalls == 1)
        }
    }
}
