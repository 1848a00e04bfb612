// Pull and put through our own XQueueClient: the three JSON layers, the uploaded files, the stored result.
import AsyncHTTPClient
import EmbeddedQueue
import Foundation
import NIOHTTP1
import Testing
import XQueue

@Suite struct PullAndPutTests {
    @Test func aPulledSubmissionDecodesThroughAllThreeLayersAndItsFilesDownloadWithTheSession() async throws {
        try await Harness.run { queue, url, http in
            let id = await queue.enqueue(
                queue: "cs101", studentResponse: "print('hi')\n", graderPayload: "\n  {\"grader\": \"ps1/grader.py\"}\n",
                files: [(name: "main.c", data: Data("int main(void){return 0;}\n".utf8)),
                        (name: "notes.txt", data: Data([0, 1, 2, 255]))],
                studentInfo: .init(anonymousStudentID: "anon-7", submissionTime: "20260102030405", randomSeed: 42))
            let client = try Harness.client(url, http)

            let submission = try #require(try await client.getSubmission(queue: "cs101"))
            #expect(submission.header.id == String(id))
            #expect(!submission.header.key.isEmpty)
            #expect(submission.studentResponse == "print('hi')\n")
            #expect(submission.graderPayload == "\n  {\"grader\": \"ps1/grader.py\"}\n")
            #expect(submission.studentInfo == StudentInfo(anonymousStudentID: "anon-7", submissionTime: "20260102030405",
                                                          randomSeed: 42))
            #expect(submission.files.map(\.name) == ["main.c", "notes.txt"])

            for (file, expected) in zip(submission.files, [Data("int main(void){return 0;}\n".utf8), Data([0, 1, 2, 255])]) {
                #expect(file.url.hasPrefix(url.absoluteString + "/media/cs101/"))
                let fileURL = try #require(URL(string: file.url))
                let headers = await client.session.downloadHeaders(for: fileURL).map { ($0.name, $0.value) }
                let download = try await Harness.raw(http, .GET, file.url, headers: headers)
                #expect(download.status == 200)
                #expect(download.body == expected)
                // The storage wants the session: without its cookie the file is refused.
                #expect(try await Harness.raw(http, .GET, file.url).status == 403)
            }
            #expect(await queue.counters.fileDownloads == 2)
        }
    }

    @Test func defaultStudentInfoHasAnAnonymousIDAndTheEnqueueTimeButNoSeed() async throws {
        try await Harness.run { queue, url, http in
            await queue.enqueue(queue: "q", studentResponse: "x", graderPayload: "{}")
            let submission = try #require(try await Harness.client(url, http).getSubmission(queue: "q"))
            #expect(submission.studentInfo.anonymousStudentID == "anonymous-1")
            let time = try #require(submission.studentInfo.submissionTime)
            #expect(time.count == 14 && time.allSatisfy(\.isNumber))
            #expect(submission.studentInfo.randomSeed == nil)
            #expect(submission.files.isEmpty)
        }
    }

    @Test func relativeFileURLsAreStoragePathsAsEdxSubmissionsGivesThem() async throws {
        try await Harness.run(Harness.configuration(absoluteFileURLs: false)) { queue, url, http in
            await queue.enqueue(queue: "q", graderPayload: "{}", files: [(name: "a.py", data: Data("1".utf8))])
            let client = try Harness.client(url, http)
            let submission = try #require(try await client.getSubmission(queue: "q"))
            let path = try #require(submission.files.first?.url)
            #expect(path.hasPrefix("/media/q/"))
            let absolute = try #require(URL(string: url.absoluteString + path))
            let headers = await client.session.downloadHeaders(for: absolute).map { ($0.name, $0.value) }
            #expect(try await Harness.raw(http, .GET, absolute.absoluteString, headers: headers).text == "1")
        }
    }

    @Test func aQueueNameThatNeedsEscapingStillServesItsFiles() async throws {
        try await Harness.run { queue, url, http in
            await queue.enqueue(queue: "6.00x/ps 1", graderPayload: "{}", files: [(name: "a.py", data: Data("ok".utf8))])
            let client = try Harness.client(url, http)
            let submission = try #require(try await client.getSubmission(queue: "6.00x/ps 1"))
            let file = try #require(submission.files.first)
            #expect(file.url.hasPrefix(url.absoluteString + "/media/6.00x%2Fps%201/"))
            let fileURL = try #require(URL(string: file.url))
            let headers = await client.session.downloadHeaders(for: fileURL).map { ($0.name, $0.value) }
            #expect(try await Harness.raw(http, .GET, file.url, headers: headers).text == "ok")
        }
    }

    @Test func aPostedResultIsHeldWithItsTimesAndAnnouncedToWaiters() async throws {
        try await Harness.run { queue, url, http in
            let id = await queue.enqueue(queue: "q", studentResponse: "x", graderPayload: "{}")
            #expect(await queue.result(of: id) == nil)
            let client = try Harness.client(url, http)
            let submission = try #require(try await client.getSubmission(queue: "q"))

            let outcome = try await client.putResult(Reply(correct: true, score: 0.75, msg: "<div>3 of 4</div>"),
                                                     for: submission.header)
            #expect(outcome == .stored(attempts: 1))
            try await queue.waitForResults(count: 1, timeout: .seconds(60))
            #expect(await queue.result(of: id) == PostedResult(correct: true, score: 0.75, msg: "<div>3 of 4</div>"))
            let record = try #require(await queue.record(of: id))
            #expect(record.queue == "q" && record.pulls == 1 && record.duplicateReplies == 0)
            let latency = try #require(record.latency)
            let wait = try #require(record.waitBeforePull)
            #expect(latency >= wait && wait >= .zero)
            #expect(await queue.answeredCount == 1)

            // Once answered it is never served again, and the queue is empty.
            #expect(try await client.getSubmission(queue: "q") == nil)
            let counters = await queue.counters
            #expect(counters.enqueued == 1 && counters.pulls == 1 && counters.puts == 1 && counters.emptyPulls == 1)
        }
    }

    @Test func aSecondResultWithTheCurrentKeyCountsAsADuplicateAndTheFirstIsKept() async throws {
        try await Harness.run { queue, url, http in
            let id = await queue.enqueue(queue: "q", graderPayload: "{}")
            let client = try Harness.client(url, http)
            let submission = try #require(try await client.getSubmission(queue: "q"))
            _ = try await client.putResult(Reply(correct: false, score: 0, msg: "<p>first</p>"), for: submission.header)
            _ = try await client.putResult(Reply(correct: true, score: 1, msg: "<p>second</p>"), for: submission.header)
            #expect(await queue.result(of: id) == PostedResult(correct: false, score: 0, msg: "<p>first</p>"))
            #expect(await queue.record(of: id)?.duplicateReplies == 1)
            let counters = await queue.counters
            #expect(counters.puts == 1 && counters.duplicatePuts == 1)
        }
    }

    @Test func resultsStreamYieldsEachAnsweredSubmissionOnce() async throws {
        try await Harness.run { queue, url, http in
            let ids = [await queue.enqueue(queue: "q", graderPayload: "{}"), await queue.enqueue(queue: "q", graderPayload: "{}")]
            let stream = await queue.results()
            let client = try Harness.client(url, http)
            for _ in ids {
                let submission = try #require(try await client.getSubmission(queue: "q"))
                _ = try await client.putResult(Reply(correct: true, score: 1, msg: "<p/>"), for: submission.header)
            }
            var seen: [Int] = []
            for await record in stream {
                seen.append(record.id)
                if seen.count == 2 { break }
            }
            #expect(seen == ids)
        }
    }

    @Test func waitingForMoreResultsThanArriveTimesOut() async throws {
        try await Harness.run { queue, _, _ in
            await queue.enqueue(queue: "q", graderPayload: "{}")
            let error = await Harness.error { try await queue.waitForResults(count: 1, timeout: .milliseconds(20)) }
            #expect(error as? EmbeddedQueueError == .timedOut(answered: 0, expected: 1))
        }
    }
}
