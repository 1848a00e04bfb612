// Envelope: the `{"return_code", "content"}` reply every endpoint sends, and the nested JSON layers of a
// submission inside `content` (docs/xqueue-client.md, "The submission layers": three decodes deep). Each failure names
// its layer.
import Foundation

/// A reply envelope.
struct Envelope: Equatable {
    /// 0 for success, 1 for a logical failure whose reason is `content`.
    let returnCode: Int
    let content: JSONValue

    /// Reads an envelope, or nil if the body is not one (an HTML error page, a DRF `{"detail": …}`).
    static func parse(_ body: Data) -> Envelope? {
        guard case let .object(fields)? = JSONValue.parse(body), let code = fields["return_code"] else { return nil }
        switch code {
        case let .integer(value): return Envelope(returnCode: value, content: fields["content"] ?? .null)
        case let .number(value) where value == value.rounded():
            return Envelope(returnCode: Int(value), content: fields["content"] ?? .null)
        default: return nil
        }
    }

    /// `content` as a message for logs and errors.
    var message: String {
        switch content {
        case let .string(text): return text
        case .null: return ""
        default: return content.jsonText
        }
    }
}

/// Decodes the layers inside a successful `get_submission` reply's `content`.
enum SubmissionDecoder {
    static func decode(_ content: JSONValue, queue: String) throws -> Submission {
        let outer = try contentObject(content)
        let header = try decodeHeader(outer)
        func failure(_ layer: XQueueError.Layer, _ detail: String) -> XQueueError {
            .malformed(.getSubmission, layer: layer, detail: detail, header: header)
        }

        // xqueue_body: a JSON string (an object is accepted too) of student_info, student_response, grader_payload.
        let bodyFields: [String: JSONValue]
        switch outer["xqueue_body"] {
        case let .string(text)?:
            guard case let .object(fields)? = JSONValue.parse(text) else {
                throw failure(.body, "xqueue_body is not a JSON object: \(excerpt(text))")
            }
            bodyFields = fields
        case let .object(fields)?: bodyFields = fields
        case let other?: throw failure(.body, "xqueue_body is \(other.kind), not a JSON string")
        case nil: throw failure(.body, "xqueue_body is missing")
        }
        let response: String
        switch bodyFields["student_response"] {
        case let .string(text)?: response = text
        case nil, .null?: response = ""
        case let other?: throw failure(.body, "student_response is \(other.kind), not a string")
        }
        let payload: String
        switch bodyFields["grader_payload"] {
        case let .string(text)?: payload = text
        case nil, .null?: payload = ""
        case let value? where isObject(value): payload = value.jsonText
        case let other?: throw failure(.body, "grader_payload is \(other.kind), not a string")
        }

        // xqueue_files: a JSON string of {name: URL}; classic XQueue may send "", "{}" or nothing.
        let files: [Submission.File]
        switch outer["xqueue_files"] {
        case nil, .null?: files = []
        case let .string(text)? where text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty: files = []
        case let .string(text)?:
            guard case let .object(map)? = JSONValue.parse(text) else {
                throw failure(.files, "xqueue_files is not a JSON object: \(excerpt(text))")
            }
            files = try fileList(map, failure: failure)
        case let .object(map)?: files = try fileList(map, failure: failure)
        case let other?: throw failure(.files, "xqueue_files is \(other.kind), not a JSON string")
        }

        return Submission(queue: queue, header: header, studentResponse: response, graderPayload: payload,
                          studentInfo: studentInfo(bodyFields["student_info"]), files: files)
    }

    /// `content`: a JSON string (or, leniently, an object) with a string `xqueue_header`.
    private static func contentObject(_ content: JSONValue) throws -> [String: JSONValue] {
        func failure(_ detail: String) -> XQueueError {
            .malformed(.getSubmission, layer: .content, detail: detail, header: nil)
        }
        let fields: [String: JSONValue]
        switch content {
        case let .string(text):
            guard case let .object(object)? = JSONValue.parse(text) else {
                throw failure("content is not a JSON object: \(excerpt(text))")
            }
            fields = object
        case let .object(object): fields = object
        default: throw failure("content is \(content.kind), not a JSON string")
        }
        // The header must be a string: it is echoed verbatim, and re-encoding an object would not be verbatim.
        switch fields["xqueue_header"] {
        case .string?: return fields
        case nil: throw failure("xqueue_header is missing")
        case let other?: throw failure("xqueue_header is \(other.kind), not a JSON string")
        }
    }

    private static func decodeHeader(_ outer: [String: JSONValue]) throws -> SubmissionHeader {
        guard case let .string(raw)? = outer["xqueue_header"] else { preconditionFailure("checked by contentObject") }
        func failure(_ detail: String) -> XQueueError {
            .malformed(.getSubmission, layer: .header, detail: detail, header: nil)
        }
        guard case let .object(fields)? = JSONValue.parse(raw) else {
            throw failure("xqueue_header is not a JSON object: \(excerpt(raw))")
        }
        let id: String
        switch fields["submission_id"] {
        case let .integer(value)?: id = String(value)
        case let .string(text)? where !text.isEmpty: id = text
        case nil: throw failure("submission_id is missing")
        case let other?: throw failure("submission_id is \(other.kind), not an integer")
        }
        guard case let .string(key)? = fields["submission_key"], !key.isEmpty else {
            throw failure("submission_key is missing or not a string")
        }
        return SubmissionHeader(raw: raw, id: id, key: key)
    }

    private static func fileList(_ map: [String: JSONValue],
                                 failure: (XQueueError.Layer, String) -> XQueueError) throws -> [Submission.File] {
        try map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { name in
            guard case let .string(url)? = map[name] else {
                throw failure(.files, "the URL of \(name.debugDescription) is \(map[name]!.kind), not a string")
            }
            return Submission.File(name: name, url: url)
        }
    }

    /// `student_info`: a JSON string or an object; anything unreadable gives empty fields (none is needed to grade).
    private static func studentInfo(_ value: JSONValue?) -> StudentInfo {
        var fields: [String: JSONValue] = [:]
        if case let .string(text)? = value, case let .object(object)? = JSONValue.parse(text) { fields = object }
        if case let .object(object)? = value { fields = object }
        func text(_ key: String) -> String? {
            switch fields[key] {
            case let .string(value)?: return value
            case let .integer(value)?: return String(value)
            default: return nil
            }
        }
        var seed: Int?
        switch fields["random_seed"] {
        case let .integer(value)?: seed = value
        case let .string(value)?: seed = Int(value)
        default: seed = nil
        }
        return StudentInfo(anonymousStudentID: text("anonymous_student_id"), submissionTime: text("submission_time"),
                           randomSeed: seed)
    }

    private static func isObject(_ value: JSONValue) -> Bool {
        if case .object = value { return true }
        return false
    }

    /// The start of a text, for error messages.
    static func excerpt(_ text: String, limit: Int = 120) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= limit ? flat.debugDescription : String(flat.prefix(limit)).debugDescription + "…"
    }
}
