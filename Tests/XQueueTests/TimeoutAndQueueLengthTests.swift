// Timeouts (with their floors), slow and dropped replies on get_submission, and get_queuelen on both servers.
import Foundation
import Testing
@testable import XQueue

@Suite("Timeouts and queue length")
struct TimeoutAndQueueLengthTests {
    @Test("REQUESTS_TIMEOUT is raised to 5 s for API calls and 30 s for downloads, and kept when larger")
    func floors() {
        #expect(Timeouts(requested: 1).api == 5)
        #expect(Timeouts(requested: 1).download == 30)
        #expect(Timeouts(requested: 1).raised)
        #expect(Timeouts(requested: 45).api == 45)
        #expect(Timeouts(requested: 45).download == 45)
        #expect(Timeouts(requested: 45).raised == false)
        #expect(Timeouts(requested: .nan).api == 5)
        #expect(XQueueConfiguration(server: URL(string: "http://x")!).timeouts == Timeouts(requested: 1))
    }

    @Test("a reply slower than the timeout is timedOut, once: get_submission itself never retries")
    func slowGet() async throws {
        try await Harness.run(.classic) { client, fake in
            try await client.login()
            await fake.enqueue("q")
            await fake.inject("/xqueue/get_submission/", .delay(.seconds(600)))
            await client.setAPITimeout(2)
            let error = await Harness.error { try await client.getSubmission(queue: "q") }
            await client.setAPITimeout(120)
            #expect(error == .timedOut(.getSubmission, seconds: 2))
            #expect(await fake.count("/xqueue/get_submission/") == 1)
            // The client is still usable afterwards, and the submission is served again.
            #expect(try await client.getSubmission(queue: "q")?.header.id == "101")
            #expect(await fake.count("/xqueue/login/", method: "POST") == 1)
        }
    }

    @Test("a dropped connection on get_submission is a transport error, and a 500 page an HTTP status error")
    func droppedAndServerError() async throws {
        try await Harness.run(.lms) { client, fake in
            try await client.login()
            await fake.inject("/xqueue/get_submission/", .drop, .status(500))
            let dropped = await Harness.error { try await client.getSubmission(queue: "q") }
            guard case .transport(.getSubmission, _)? = dropped else {
                Issue.record("expected a transport error, got \(String(describing: dropped))")
                return
            }
            let failed = await Harness.error { try await client.getSubmission(queue: "q") }
            guard case .httpStatus(.getSubmission, 500, _)? = failed else {
                Issue.record("expected HTTP 500, got \(String(describing: failed))")
                return
            }
            #expect(dropped?.isTransient == true && failed?.isTransient == true)
            #expect(await fake.count("/xqueue/get_submission/") == 2)
        }
    }

    @Test("classic XQueue reports the number of waiting submissions")
    func classicLength() async throws {
        try await Harness.run(.classic) { client, fake in
            await fake.enqueue("q")
            await fake.enqueue("q")
            await fake.enqueue("other")
            let length = try await client.queueLength(queue: "q")
            #expect(length == 2)
            let error = await Harness.error { try await client.queueLength(queue: "typo") }
            #expect(error == .rejected(.getQueueLength, status: 200, message: "Queue 'typo' not found"))
        }
    }

    @Test("the LMS has no get_queuelen: nil, not an error")
    func lmsLength() async throws {
        try await Harness.run(.lms) { client, fake in
            await fake.enqueue("q")
            let length = try await client.queueLength(queue: "q")
            #expect(length == nil)
            #expect(await fake.count("/xqueue/get_queuelen/") == 1)
        }
    }
}
