// PushedSubmission: a submission that XQueue POSTs to a passive grader (push mode, docs/push-mode.md).
// The same three layers as a pulled one (`xqueue_header`, `xqueue_body`, `xqueue_files`), sent as a JSON
// object or as form fields; this only unwraps the request and hands the layers to the one decoder
// (SubmissionDecoder), so a pushed submission reads exactly as a pulled one.
import Foundation

extension Submission {
    /// Reads a pushed request body. `contentType` picks JSON or a form; without one (classic XQueue posts a
    /// bare JSON string) the body's first character decides. A missing `xqueue_header` (classic XQueue's push
    /// sends none) is replaced by one naming `fallbackID`. Throws `XQueueError.malformed` naming the layer.
    public static func pushed(_ body: Data, contentType: String?, queue: String, fallbackID: String) throws -> Submission {
        var fields: [String: JSONValue]
        let type = contentType?.lowercased() ?? ""
        let looksJSON = body.first(where: { !Set<UInt8>([0x20, 0x09, 0x0A, 0x0D]).contains($0) }) == UInt8(ascii: "{")
        if type.contains("application/x-www-form-urlencoded") || (!type.contains("json") && !looksJSON) {
            fields = try formFields(body).mapValues { .string($0) }
        } else {
            guard case let .object(object)? = JSONValue.parse(body) else {
                throw malformed(.content, "the request body is not a JSON object")
            }
            fields = object
        }
        switch fields["xqueue_header"] {
        case nil, .null?:
            let header = #"{"submission_id":\#(JSONValue.string(fallbackID).jsonText),"submission_key":"push"}"#
            fields["xqueue_header"] = .string(header)
        case let .object(object)?:
            // A header sent as an object (some pushers do): there is no reply to echo it into, so its text form will do.
            fields["xqueue_header"] = .string(JSONValue.object(object).jsonText)
        default: break
        }
        do {
            return try SubmissionDecoder.decode(.object(fields), queue: queue)
        } catch let XQueueError.malformed(_, layer, detail, header) {
            throw XQueueError.malformed(.push, layer: layer, detail: detail, header: header)
        }
    }

    /// `application/x-www-form-urlencoded` fields; a field given twice keeps its last value.
    private static func formFields(_ body: Data) throws -> [String: String] {
        guard let text = String(data: body, encoding: .utf8) else { throw malformed(.content, "the form is not UTF-8") }
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ s: Substring) throws -> String {
                guard let value = s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw malformed(.content, "a form field is not valid percent-encoding")
                }
                return value
            }
            fields[try decoded(parts[0])] = parts.count > 1 ? try decoded(parts[1]) : ""
        }
        guard !fields.isEmpty else { throw malformed(.content, "the request has no fields") }
        return fields
    }

    private static func malformed(_ layer: XQueueError.Layer, _ detail: String) -> XQueueError {
        .malformed(.push, layer: layer, detail: detail, header: nil)
    }
}
