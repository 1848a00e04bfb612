// Against a real edx-submissions 4.x (from PyPI, in a temporary Django project): log in, pull a submission,
// download its file with the session, post a result, and read back the score the server stored.
// Run alone: swift test --filter EdxSubmissionsIntegrationTests (Tests/Fixtures/edx-submissions/README.md).
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import EdxFixture
import XCTest
import XQueue

final class EdxSubmissionsIntegrationTests: XCTestCase {
    func testPullGradeAndStoredScoreOnEdxSubmissions() async throws {
        let fixture: EdxSubmissionsFixture
        do { fixture = try EdxSubmissionsFixture.start() } catch let e as EdxFixtureUnavailable { throw XCTSkip(e.description) }
        defer { fixture.stop() }
        let queue = "polygrader-it"
        let id = try fixture.submit(queue: queue, answer: "print('hi')\n", points: 3, grader: "ps1/grader.py",
                                    files: ["hello.py": "print(1)\n"])

        var configuration = XQueueConfiguration(
            server: fixture.url,
            credentials: .init(username: EdxSubmissionsFixture.username, password: EdxSubmissionsFixture.password),
            timeouts: Timeouts(requested: 10), putAttempts: 2, putRetry: RetryPolicy(initial: 0.05, maximum: 0.1))
        configuration.verifyTLS = true
        let http = HTTPClient(eventLoopGroupProvider: .singleton,
                              configuration: XQueueClient.httpClientConfiguration(timeouts: configuration.timeouts))
        do {
            let client = try XQueueClient(configuration: configuration, httpClient: http, logger: Logger(label: "edx-it"))
            try await exercise(client, http: http, fixture: fixture, queue: queue, id: id)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    private func exercise(_ client: XQueueClient, http: HTTPClient, fixture: EdxSubmissionsFixture, queue: String, id: Int) async throws {
        // The LMS endpoints: no get_queuelen, and an unknown queue is just empty.
        let length = try await client.queueLength(queue: queue)
        XCTAssertNil(length)
        let nothing = try await client.getSubmission(queue: "no-such-queue")
        XCTAssertNil(nothing)

        let pulled = try await client.getSubmission(queue: queue)
        let submission = try XCTUnwrap(pulled, "edx-submissions \(fixture.version) served no submission")
        XCTAssertEqual(submission.header.id, String(id))
        XCTAssertNotNil(UUID(uuidString: submission.header.key), "the LMS's submission_key is a UUID")
        XCTAssertEqual(submission.studentResponse, "print('hi')\n")
        XCTAssertEqual(submission.graderPayload, #"{"grader": "ps1/grader.py"}"#)
        XCTAssertEqual(submission.studentInfo.randomSeed, 1)
        XCTAssertNotNil(submission.studentInfo.submissionTime.flatMap { Int($0) }, "Unix seconds on the LMS")
        XCTAssertEqual(submission.files.map(\.name), ["hello.py"])
        let stored = try XCTUnwrap(submission.files.first?.url)
        XCTAssertTrue(stored.hasPrefix("/media/\(queue)/"), stored)

        // The file, fetched with the session lent by the decorator (a relative storage path, resolved on the server).
        var download = HTTPClientRequest(url: fixture.url.absoluteString + stored)
        await client.session.decorate(&download)
        XCTAssertNotNil(download.headers.first(name: "Cookie"))
        let file = try await http.execute(download, timeout: .seconds(30))
        XCTAssertEqual(file.status.code, 200)
        let bytes = try await file.body.collect(upTo: 1 << 20)
        XCTAssertEqual(String(buffer: bytes), "print(1)\n")

        // A wrong key is refused (403 with the envelope) and not retried.
        let forged = SubmissionHeader(raw: submission.header.raw.replacingOccurrences(of: submission.header.key, with: UUID().uuidString),
                                      id: submission.header.id, key: "forged")
        do {
            _ = try await client.putResult(Reply(correct: true, score: 1, msg: "<div/>"), for: forged)
            XCTFail("a forged key was accepted")
        } catch let error as XQueueError {
            XCTAssertEqual(error, .staleKey(submissionID: String(id), message: "Incorrect key for submission"))
        }

        // 2 of 3 tests passed: the fraction 2/3 is stored as round(2/3 × 3) = 2 points of 3.
        let reply = Reply(correct: false, score: 2.0 / 3.0, msg: "<div class=\"test\"><p>2 of 3 passed &#160;</p></div>")
        let outcome = try await client.putResult(reply, for: submission.header)
        XCTAssertEqual(outcome, .stored(attempts: 1))
        let score = try fixture.score(id)
        XCTAssertEqual(score["status"] as? String, "retired")
        XCTAssertEqual(score["points_earned"] as? Int, 2)
        XCTAssertEqual(score["points_possible"] as? Int, 3)
        XCTAssertEqual((score["grader_reply"] as? String).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }?["msg"] as? String,
                       reply.msg)

        // A second reply for a graded submission: edx-submissions answers 500 (an HTML page), so it is an error
        // after the bounded retries, and the stored score is unchanged.
        do {
            _ = try await client.putResult(Reply(correct: true, score: 1, msg: "<div/>"), for: submission.header)
            XCTFail("a second reply was accepted")
        } catch let error as XQueueError {
            guard case .httpStatus(.putResult, 500, _) = error else { return XCTFail("expected HTTP 500, got \(error)") }
        }
        XCTAssertEqual(try fixture.score(id)["points_earned"] as? Int, 2)

        // An expired login: the LMS answers 403 with DRF's body, and the client logs in again by itself.
        try fixture.expireSessions()
        let afterExpiry = try await client.getSubmission(queue: queue)
        XCTAssertNil(afterExpiry, "the only submission is graded")
    }
}
