// put_result: what is posted, retries on 5xx, dropped connections and timeouts, and the answers never retried.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import XQueue
import XQueueFakes

@Suite("Posting a result")
struct PutResultTests {
    static let reply = Reply(correct: false, score: 0.5, msg: "<div class=\"test\"><p>1 of 2 &#160;passed</p></div>")

    /// Pulls one submission from a fresh queue.
    static func pull(_ client: XQueueClient, _ fake: FakeXQueue) async throws -> Submission {
        await fake.enqueue("q")
        return try #require(try await client.getSubmission(queue: "q"))
    }

    @Test("the form holds the header byte for byte and the reply as JSON with correct, score and msg")
    func form() async throws {
        try await Harness.run(.lms) { client, fake in
            let submission = try await Self.pull(client, fake)
            #expect(try await client.putResult(Self.reply, for: submission.header) == .stored(attempts: 1))
            let posted = try #require(await fake.requests(to: "/xqueue/put_result/").first)
            #expect(posted.header("Content-Type") == "application/x-www-form-urlencoded")
            #expect(posted.form["xqueue_header"] == submission.header.raw)
            let body = try #require(Harness.object(posted.form["xqueue_body"] ?? ""))
            #expect(body["correct"] as? Bool == false)
            #expect((body["score"] as? NSNumber)?.doubleValue == 0.5)
            #expect(body["msg"] as? String == Self.reply.msg)
            #expect(body.count == 3)
        }
    }

    @Test("500s and a dropped connection are retried until the reply is stored")
    func transientFailures() async throws {
        try await Harness.run(.lms) { client, fake in
            let submission = try await Self.pull(client, fake)
            await fake.inject("/xqueue/put_result/", .status(500), .status(503), .drop)
            // The drop makes the reply "may have arrived", but the fake stored nothing, so the next try succeeds.
            #expect(try await client.putResult(Self.reply, for: submission.header) == .stored(attempts: 4))
            #expect(await fake.count("/xqueue/put_result/") == 4)
            #expect(await fake.stored.count == 1)
        }
    }

    @Test("a server that keeps failing gets exactly putAttempts tries, then the last error")
    func boundedRetries() async throws {
        try await Harness.run(.lms, configure: { $0.putAttempts = 3 }) { client, fake in
            let submission = try await Self.pull(client, fake)
            await fake.inject("/xqueue/put_result/", .status(502), .status(502), .status(502), .status(502))
            let error = await Harness.error { try await client.putResult(Self.reply, for: submission.header) }
            guard case .httpStatus(.putResult, 502, _)? = error else {
                Issue.record("expected HTTP 502, got \(String(describing: error))")
                return
            }
            #expect(await fake.count("/xqueue/put_result/") == 3)
            #expect(await fake.stored.isEmpty)
        }
    }

    @Test("a stale key is never retried, on either server", arguments: [FakeXQueue.Flavor.lms, .classic])
    func staleKey(flavor: FakeXQueue.Flavor) async throws {
        try await Harness.run(flavor) { client, fake in
            let first = try await Self.pull(client, fake)
            let second = try #require(try await client.getSubmission(queue: "q"))  // a new pull makes a new key
            #expect(first.header.key != second.header.key)
            let error = await Harness.error { try await client.putResult(Self.reply, for: first.header) }
            #expect(error == .staleKey(submissionID: first.header.id, message: "Incorrect key for submission"))
            #expect(await fake.count("/xqueue/put_result/") == 1)
            #expect(await fake.count("/xqueue/login/", method: "POST") == 1)
        }
    }

    @Test("a reply the server calls malformed (400) is not retried")
    func incorrectFormat() async throws {
        try await Harness.run(.lms) { client, fake in
            await fake.inject("/xqueue/put_result/", .raw(status: 400, body: #"{"return_code": 1, "content": "Incorrect reply format"}"#))
            let error = await Harness.error {
                try await client.putResult(Self.reply, for: SubmissionHeader(raw: "{}", id: "1", key: "k"))
            }
            #expect(error == .rejected(.putResult, status: 400, message: "Incorrect reply format"))
            #expect(await fake.count("/xqueue/put_result/") == 1)
        }
    }

    @Test("a timed-out reply that was stored, then refused with 500 as a duplicate, is probablyStored: no loop")
    func timeoutThenDuplicate() async throws {
        try await Harness.run(.lms) { client, fake in
            let submission = try await Self.pull(client, fake)
            await fake.inject("/xqueue/put_result/", .delay(.seconds(600)))
            await client.setAPITimeout(5)  // the second attempt, under the same timeout, must not time out on a loaded machine
            #expect(try await client.putResult(Self.reply, for: submission.header) == .probablyStored(attempts: 2, status: 500))
            #expect(await fake.count("/xqueue/put_result/") == 2)
            #expect(await fake.stored.count == 1)
        }
    }

    @Test("a 500 with no earlier lost attempt is retried, not taken as stored")
    func plain500() async throws {
        try await Harness.run(.lms) { client, fake in
            let submission = try await Self.pull(client, fake)
            await fake.inject("/xqueue/put_result/", .status(500))
            #expect(try await client.putResult(Self.reply, for: submission.header) == .stored(attempts: 2))
        }
    }

    @Test("a score that is NaN, infinite or negative is refused before anything is sent",
          arguments: [Double.nan, .infinity, -0.25])
    func invalidScore(score: Double) async throws {
        try await Harness.run(.lms) { client, fake in
            let error = await Harness.error {
                try await client.putResult(Reply(correct: false, score: score, msg: "<p/>"), for: SubmissionHeader(raw: "{}", id: "1", key: "k"))
            }
            guard case .invalidReply? = error else {
                Issue.record("expected invalidReply, got \(String(describing: error))")
                return
            }
            #expect(await fake.requests.isEmpty)
        }
    }

    @Test("a refused connection is connectFailed at once, not a timeout after the pool retried it silently")
    func refusedConnection() async throws {
        // A port bound but not listening: connecting is refused, and no other test can take the port meanwhile.
        let socket = try ClosedPort()
        defer { socket.release() }
        var configuration = Harness.configuration(port: socket.port, credentials: nil)
        configuration.putAttempts = 2
        let error = try await Harness.withClient(configuration) { client in
            await Harness.error { try await client.putResult(Self.reply, for: SubmissionHeader(raw: "{}", id: "1", key: "k")) }
        }
        guard case .connectFailed(.putResult, _)? = error else {
            Issue.record("expected connectFailed, got \(String(describing: error))")
            return
        }
    }
}

/// A TCP port on 127.0.0.1 held by a socket that never listens.
struct ClosedPort {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func release() { close(descriptor) }
}
