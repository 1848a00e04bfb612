// Wire: the JSON and form texts of the XQueue API as the embedded queue writes and reads them: the
// `{"return_code", "content"}` envelope, the three nested JSON layers of a submission, and the
// `put_result` form (docs/xqueue-client.md, "`put_result`").
import Foundation

enum Wire {
    /// `{"return_code": code, "content": "text"}`.
    static func envelope(_ code: Int, _ content: String) -> Data {
        encode(TextEnvelope(return_code: code, content: content))
    }

    /// `{"return_code": 0, "content": count}` (`get_queuelen`).
    static func envelope(count: Int) -> Data {
        encode(CountEnvelope(return_code: 0, content: count))
    }

    /// The `content` of a `get_submission` reply: a JSON object whose three values are JSON strings.
    /// `fileURL` turns a stored file id into the URL a grader downloads it from.
    static func content(_ served: QueueBook.Served, queue: String, fileURL: (String) -> String) -> String {
        let header = text(encode(Header(submission_id: served.id, submission_key: served.key)))
        let body = text(encode(Body(student_info: served.entry.studentInfo,
                                    student_response: served.entry.studentResponse,
                                    grader_payload: served.entry.graderPayload)))
        var urls: [String: String] = [:]
        for file in served.entry.files { urls[file.name] = fileURL(file.fileID) }
        let files = text(encode(urls))
        return text(encode(Content(xqueue_header: header, xqueue_body: body, xqueue_files: files)))
    }

    /// `student_info` as a JSON text: `anonymous_student_id`, `submission_time` (`YYYYMMDDHHMMSS`, UTC, as
    /// classic XQueue forwards it), and `random_seed` when the problem is randomized.
    static func studentInfo(_ info: EmbeddedXQueue.StudentInfo, id: Int, enqueuedAt: Date) -> String {
        text(encode(StudentInfo(anonymous_student_id: info.anonymousStudentID ?? "anonymous-\(id)",
                                submission_time: info.submissionTime ?? timestamp(enqueuedAt),
                                random_seed: info.randomSeed)))
    }

    /// The `submission_id` and `submission_key` of a `put_result` header, or nil if it is not one.
    static func header(_ text: String) -> (id: Int, key: String)? {
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(text.utf8)) else { return nil }
        return (header.submission_id, header.submission_key)
    }

    /// The result in a `put_result` body: `correct` a boolean, `score` a finite number not below 0, `msg`
    /// a string; nil otherwise (a reply the LMS would store wrongly or not at all).
    static func result(_ text: String) -> PostedResult? {
        guard let reply = try? JSONDecoder().decode(Reply.self, from: Data(text.utf8)),
              reply.score.isFinite, reply.score >= 0 else { return nil }
        return PostedResult(correct: reply.correct, score: reply.score, msg: reply.msg)
    }

    /// The fields of an `application/x-www-form-urlencoded` text (a query string or a POST body), the last
    /// value winning as in Django's `QueryDict.get`; nil if a field is not valid percent-encoding.
    static func form(_ text: String) -> [String: String]? {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = unescape(parts[0]), let value = unescape(parts.count > 1 ? parts[1] : "") else { return nil }
            fields[name] = value
        }
        return fields
    }

    /// A percent-encoded path segment (a queue name in a file URL).
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// 32 random hex digits: submission keys, session ids, CSRF tokens, file ids.
    static func randomToken() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    private static func unescape(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    private static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return "19700101000000" }
        return String(format: "%04d%02d%02d%02d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    private static func encode<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Only strings, integers, booleans and finite numbers: encoding cannot fail.
        return (try? encoder.encode(value)) ?? Data("null".utf8)
    }

    private static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    // The wire's field names, spelled as on the wire.
    private struct TextEnvelope: Encodable { let return_code: Int; let content: String }
    private struct CountEnvelope: Encodable { let return_code: Int; let content: Int }
    private struct Header: Codable { let submission_id: Int; let submission_key: String }
    private struct Body: Encodable { let student_info: String; let student_response: String; let grader_payload: String }
    private struct Content: Encodable { let xqueue_header: String; let xqueue_body: String; let xqueue_files: String }
    private struct StudentInfo: Encodable { let anonymous_student_id: String; let submission_time: String; let random_seed: Int? }
    private struct Reply: Decodable { let correct: Bool; let score: Double; let msg: String }
}
