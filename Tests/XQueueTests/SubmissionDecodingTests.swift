// get_submission: the three nested JSON layers, the header kept verbatim, and a typed error naming the layer.
import Foundation
import Testing
@testable import XQueue
import XQueueFakes

@Suite("Reading a submission")
struct SubmissionDecodingTests {
    static let header = #"{"submission_key": "k",  "submission_id": 7}"#

    /// A `content` string with these layer values (nil leaves the key out).
    static func content(header: String? = header, body: String? = #"{"student_response": "x", "grader_payload": "{}"}"#,
                        files: String? = "{}") -> String {
        var outer: [String: Any] = [:]
        if let header { outer["xqueue_header"] = header }
        if let body { outer["xqueue_body"] = body }
        if let files { outer["xqueue_files"] = files }
        return FakeXQueue.json(outer)
    }

    @Test("every layer is decoded, and the header string is kept exactly as received")
    func layers() async throws {
        try await Harness.run(.classic) { client, fake in
            let id = await fake.enqueue("q") {
                $0.response = "int main(void) { return 0; }\n"
                $0.files = #"{"b.c": "http://files/b.c", "a.h": "/media/q/uuid"}"#
            }
            let submission = try #require(try await client.getSubmission(queue: "q"))
            let key = submission.header.key
            #expect(submission.header.raw == "{\"submission_key\": \"\(key)\",  \"submission_id\": \(id)}")
            #expect(submission.header.id == String(id))
            #expect(key.hasPrefix("key-\(id)-"))
            #expect(submission.queue == "q")
            #expect(submission.studentResponse == "int main(void) { return 0; }\n")
            #expect(submission.graderPayload == "\n  {\"grader\": \"ps1/grader.py\"}\n")
            #expect(submission.studentInfo == StudentInfo(anonymousStudentID: "anon-\(id)", submissionTime: "20240102030405", randomSeed: 42))
            #expect(submission.files == [.init(name: "a.h", url: "/media/q/uuid"), .init(name: "b.c", url: "http://files/b.c")])
        }
    }

    @Test("an empty queue is nil, not an error")
    func empty() async throws {
        try await Harness.run(.lms) { client, _ in
            let submission = try await client.getSubmission(queue: "nothing-here")
            #expect(submission == nil)
        }
    }

    @Test("xqueue_files absent, empty or {} all mean no files", arguments: [nil, "", "{}"] as [String?])
    func noFiles(files: String?) async throws {
        try await Harness.run(.classic) { client, fake in
            await fake.enqueue("q") { $0.files = files }
            let submission = try await client.getSubmission(queue: "q")
            #expect(submission?.files == [])
        }
    }

    @Test("a queue name with +, a space and & reaches the server intact")
    func queueNameEncoding() async throws {
        try await Harness.run(.lms) { client, fake in
            let submission = try await client.getSubmission(queue: "c++ & java")
            #expect(submission == nil)
            #expect(await fake.requests(to: "/xqueue/get_submission/").map { $0.query["queue_name"] } == ["c++ & java"])
        }
    }

    @Test("an unknown queue on classic XQueue is rejected with the server's message")
    func unknownQueue() async throws {
        try await Harness.run(.classic) { client, _ in
            let error = await Harness.error { try await client.getSubmission(queue: "typo") }
            #expect(error == .rejected(.getSubmission, status: 200, message: "Queue 'typo' not found"))
        }
    }

    /// The layer a broken reply fails at, and whether the header survived for an answer.
    static let broken: [(name: String, reply: String?, content: String?, layer: XQueueError.Layer, hasHeader: Bool)] = [
        ("HTML instead of an envelope", "<html>Service Unavailable</html>", nil, .envelope, false),
        ("an envelope without return_code", #"{"content": "x"}"#, nil, .envelope, false),
        ("content that is not JSON", nil, "not json {", .content, false),
        ("content without xqueue_header", nil, content(header: nil), .content, false),
        ("a header that is not JSON", nil, content(header: "{submission_id: 7"), .header, false),
        ("a header without submission_key", nil, content(header: #"{"submission_id": 7}"#), .header, false),
        ("a body that is not JSON", nil, content(body: "{'student_response': 1}"), .body, true),
        ("a body whose student_response is a number", nil, content(body: #"{"student_response": 5}"#), .body, true),
        ("files that are not JSON", nil, content(files: "{a.c: x}"), .files, true),
        ("files whose URL is a number", nil, content(files: #"{"a.c": 5}"#), .files, true),
    ]

    @Test("a malformed reply is a typed error naming the layer; from the body on, the header is kept to answer with",
          arguments: broken.indices)
    func malformed(index: Int) async throws {
        let case_ = Self.broken[index]
        try await Harness.run(.classic) { client, fake in
            let body = case_.reply ?? FakeXQueue.json(["return_code": 0, "content": case_.content!])
            await fake.inject("/xqueue/get_submission/", .raw(status: 200, body: body))
            let error = await Harness.error { try await client.getSubmission(queue: "q") }
            guard case let .malformed(operation, layer, _, header)? = error else {
                Issue.record("\(case_.name): expected a malformed error, got \(String(describing: error))")
                return
            }
            #expect(operation == .getSubmission)
            #expect(layer == case_.layer, "\(case_.name)")
            #expect(header == (case_.hasHeader ? SubmissionHeader(raw: Self.header, id: "7", key: "k") : nil), "\(case_.name)")
            #expect(await fake.count("/xqueue/get_submission/") == 1)
        }
    }

    @Test("student_info may be an object instead of a JSON string, and missing fields are nil")
    func studentInfoObject() async throws {
        try await Harness.run(.lms) { client, fake in
            let body = FakeXQueue.json(["student_info": ["anonymous_student_id": "a1", "submission_time": "1700000000"],
                                        "student_response": "", "grader_payload": #"{"grader": "g.py"}"#])
            await fake.enqueue("q") { item in item.content = { key in
                FakeXQueue.json(["xqueue_header": "{\"submission_id\": 3, \"submission_key\": \"\(key)\"}",
                                 "xqueue_body": body, "xqueue_files": "{}"])
            } }
            let submission = try #require(try await client.getSubmission(queue: "q"))
            #expect(submission.studentInfo == StudentInfo(anonymousStudentID: "a1", submissionTime: "1700000000", randomSeed: nil))
            #expect(submission.studentResponse == "")
            #expect(submission.graderPayload == #"{"grader": "g.py"}"#)
        }
    }
}
