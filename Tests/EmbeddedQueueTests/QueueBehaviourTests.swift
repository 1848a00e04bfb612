// Queue behaviour as XQueue has it: oldest first, queues apart, a new key on each pull, a stale key refused,
// a pulled but unanswered submission served again after the delay, the queue length, empty and unknown queues.
import AsyncHTTPClient
import EmbeddedQueue
import Foundation
import NIOHTTP1
import Testing
import XQueue

@Suite struct QueueBehaviourTests {
    @Test func queuesAreKeptApartAndEachServesItsOldestFirst() async throws {
        try await Harness.run { queue, url, http in
            let a1 = await queue.enqueue(queue: "a", studentResponse: "a1", graderPayload: "{}")
            let b1 = await queue.enqueue(queue: "b", studentResponse: "b1", graderPayload: "{}")
            let a2 = await queue.enqueue(queue: "a", studentResponse: "a2", graderPayload: "{}")
            let client = try Harness.client(url, http)

            #expect(try await client.queueLength(queue: "a") == 2)
            #expect(try await client.queueLength(queue: "b") == 1)
            #expect(try await client.getSubmission(queue: "b")?.header.id == String(b1))
            #expect(try await client.getSubmission(queue: "b") == nil)
            let first = try #require(try await client.getSubmission(queue: "a"))
            let second = try #require(try await client.getSubmission(queue: "a"))
            #expect([first.header.id, second.header.id] == [String(a1), String(a2)])
            #expect([first.studentResponse, second.studentResponse] == ["a1", "a2"])
            #expect(try await client.getSubmission(queue: "a") == nil)
        }
    }

    @Test func anEmptyQueueAnswersReturnCodeOneAndIsCounted() async throws {
        try await Harness.run { queue, url, http in
            let client = try Harness.client(url, http)
            #expect(try await client.getSubmission(queue: "nothing-here") == nil)
            let headers = try await Harness.sessionHeaders(client, url)
            let raw = try await Harness.raw(http, .GET, url.absoluteString + "/xqueue/get_submission/?queue_name=nothing-here",
                                            headers: headers)
            #expect(raw.status == 200)
            #expect(raw.envelope?.code == 1 && raw.envelope?.content == "Queue 'nothing-here' is empty")
            #expect(await queue.counters.emptyPulls == 2)
        }
    }

    @Test func aConfiguredQueueListRefusesOtherNamesAsNotFound() async throws {
        try await Harness.run(Harness.configuration(queues: ["known"])) { _, url, http in
            let client = try Harness.client(url, http)
            #expect(try await client.getSubmission(queue: "known") == nil)
            let error = await Harness.error { try await client.getSubmission(queue: "typo") }
            #expect(error as? XQueueError == .rejected(.getSubmission, status: 200, message: "Queue 'typo' not found"))
        }
    }

    @Test func everyPullMakesANewKeyAndAReplyWithTheOldOneIsRefusedAsStale() async throws {
        // A zero delay serves the unanswered submission again at once, as if a grader had died with it.
        try await Harness.run(Harness.configuration(redeliveryDelay: .zero)) { queue, url, http in
            let id = await queue.enqueue(queue: "q", graderPayload: "{}")
            let client = try Harness.client(url, http)
            let first = try #require(try await client.getSubmission(queue: "q"))
            let second = try #require(try await client.getSubmission(queue: "q"))
            #expect(first.header.id == String(id) && second.header.id == String(id))
            #expect(first.header.key != second.header.key)

            let stale = await Harness.error {
                try await client.putResult(Reply(correct: true, score: 1, msg: "<p/>"), for: first.header)
            }
            #expect(stale as? XQueueError == .staleKey(submissionID: String(id), message: "Incorrect key for submission"))
            #expect(await queue.result(of: id) == nil)
            #expect(try await client.putResult(Reply(correct: true, score: 1, msg: "<p/>"), for: second.header)
                    == .stored(attempts: 1))
            let counters = await queue.counters
            #expect(counters.pulls == 2 && counters.redeliveries == 1 && counters.stalePuts == 1 && counters.puts == 1)
            #expect(await queue.record(of: id)?.pulls == 2)
        }
    }

    @Test func aPulledButUnansweredSubmissionIsNotServedAgainBeforeTheDelay() async throws {
        try await Harness.run(Harness.configuration(redeliveryDelay: .seconds(3600))) { queue, url, http in
            await queue.enqueue(queue: "q", graderPayload: "{}")
            let client = try Harness.client(url, http)
            #expect(try await client.getSubmission(queue: "q") != nil)
            #expect(try await client.getSubmission(queue: "q") == nil)
            #expect(try await client.queueLength(queue: "q") == 0)
        }
    }

    @Test func aPulledButUnansweredSubmissionIsServedAgainAfterTheDelay() async throws {
        try await Harness.run(Harness.configuration(redeliveryDelay: .milliseconds(50))) { queue, url, http in
            let id = await queue.enqueue(queue: "q", graderPayload: "{}")
            let client = try Harness.client(url, http)
            let first = try #require(try await client.getSubmission(queue: "q"))
            try await Task.sleep(for: .milliseconds(100))
            let again = try #require(try await client.getSubmission(queue: "q"))
            #expect(again.header.id == String(id) && again.header.key != first.header.key)
            #expect(await queue.counters.redeliveries == 1)
        }
    }

    @Test func theQueueLengthCountsWhatAPullCouldServe() async throws {
        try await Harness.run { queue, url, http in
            for _ in 0..<3 { await queue.enqueue(queue: "q", graderPayload: "{}") }
            let client = try Harness.client(url, http)
            #expect(try await client.queueLength(queue: "q") == 3)
            let submission = try #require(try await client.getSubmission(queue: "q"))
            #expect(try await client.queueLength(queue: "q") == 2)
            _ = try await client.putResult(Reply(correct: true, score: 1, msg: "<p/>"), for: submission.header)
            #expect(try await client.queueLength(queue: "q") == 2)
            #expect(try await client.queueLength(queue: "other") == 0)
            #expect(await queue.queueLength("q") == 2)
            #expect(await queue.counters.queueLengthCalls == 4)
        }
    }

    @Test func aReplyThatTheLMSWouldStoreWronglyIsRefusedAsIncorrectReplyFormat() async throws {
        try await Harness.run { queue, url, http in
            let id = await queue.enqueue(queue: "q", graderPayload: "{}")
            let client = try Harness.client(url, http)
            let submission = try #require(try await client.getSubmission(queue: "q"))
            let headers = try await Harness.sessionHeaders(client, url)
            let bodies = [#"{"correct": true, "score": "1", "msg": "<p/>"}"#,
                          #"{"correct": 1, "score": 1, "msg": "<p/>"}"#,
                          #"{"correct": true, "score": -1, "msg": "<p/>"}"#,
                          #"{"correct": true, "score": 1}"#,
                          "not json"]
            for body in bodies {
                let answer = try await Harness.raw(http, .POST, url.absoluteString + "/xqueue/put_result/", headers: headers,
                                                   form: Harness.form([("xqueue_header", submission.header.raw), ("xqueue_body", body)]))
                #expect(answer.envelope?.code == 1 && answer.envelope?.content == "Incorrect reply format", "\(body)")
            }
            let unknown = try await Harness.raw(
                http, .POST, url.absoluteString + "/xqueue/put_result/", headers: headers,
                form: Harness.form([("xqueue_header", #"{"submission_id": 999, "submission_key": "k"}"#),
                                    ("xqueue_body", #"{"correct": true, "score": 1, "msg": "<p/>"}"#)]))
            #expect(unknown.envelope?.content == "Submission does not exist")
            #expect(await queue.result(of: id) == nil)
            #expect(await queue.counters.rejectedPuts == bodies.count + 1)
        }
    }

    @Test func aRequestBodyOverTheLimitIsRefusedWith413AndStoresNothing() async throws {
        var configuration = Harness.configuration()
        configuration.maxRequestBytes = 1024
        try await Harness.run(configuration) { queue, url, http in
            let id = await queue.enqueue(queue: "q", graderPayload: "{}")
            let client = try Harness.client(url, http)
            let submission = try #require(try await client.getSubmission(queue: "q"))
            let headers = try await Harness.sessionHeaders(client, url)
            let body = #"{"correct": true, "score": 1, "msg": "<p>"# + String(repeating: "x", count: 2048) + #"</p>"}"#
            let answer = try await Harness.raw(http, .POST, url.absoluteString + "/xqueue/put_result/", headers: headers,
                                               form: Harness.form([("xqueue_header", submission.header.raw), ("xqueue_body", body)]))
            #expect(answer.status == 413)
            #expect(await queue.result(of: id) == nil)
        }
    }

    @Test func aRestartedServerStillHoldsItsSubmissions() async throws {
        let queue = EmbeddedXQueue(configuration: Harness.configuration())
        let id = await queue.enqueue(queue: "q", studentResponse: "kept", graderPayload: "{}")
        try await queue.withRunning { _ in }
        #expect(await queue.baseURL == nil)
        let http = HTTPClient(eventLoopGroupProvider: .singleton,
                              configuration: XQueueClient.httpClientConfiguration(timeouts: Timeouts(requested: 120)))
        do {
            try await queue.withRunning { url in
                let submission = try await Harness.client(url, http).getSubmission(queue: "q")
                #expect(submission?.header.id == String(id) && submission?.studentResponse == "kept")
            }
            try await http.shutdown()
        } catch {
            try? await http.shutdown()
            throw error
        }
    }
}
