// PayloadResolver: `grader_payload` → the problem to grade and the options (docs/reference/problem-yml.md, "Payload
// resolution").
// The grader path is contained under grader_root: no absolute paths, no `..`, no control
// characters, and after resolving every symlink the result must still be inside the root.
import Foundation

/// A payload that cannot be graded: staff read `reason`, the learner the neutral message.
public struct PayloadError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

/// What a payload asks for.
public struct ResolvedPayload: Sendable {
    public var problemPath: String
    public var options: GradeOptions
}

public enum PayloadResolver {
    /// Decodes the payload text (trimmed JSON object) and resolves its grader path under `graderRoot`.
    public static func resolve(_ payload: String, graderRoot: String) throws -> ResolvedPayload {
        let obj = try object(payload)
        guard let rel = (obj["problem"] ?? obj["grader"]) as? String else {
            throw PayloadError(reason: "grader_payload has no \"grader\" (or \"problem\") path")
        }
        return ResolvedPayload(problemPath: try contain(rel, under: graderRoot), options: try options(obj))
    }

    /// The grading options of a payload (`language`, `hide_output`, `skip_grader`, `lang`, `tests`).
    public static func options(_ payload: String) throws -> GradeOptions { try options(object(payload)) }

    static func object(_ payload: String) throws -> [String: Any] {
        let text = payload.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let obj = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw PayloadError(reason: "grader_payload is not a JSON object: \(text.prefix(200))")
        }
        return obj
    }

    static func options(_ obj: [String: Any]) throws -> GradeOptions {
        var options = GradeOptions()
        if let data = try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]) {
            options.payloadJSON = String(decoding: data, as: UTF8.self)
        }
        if let l = obj["language"] { guard let s = l as? String else { throw PayloadError(reason: "language must be a string") }; options.language = s }
        options.hideOutput = truthy(obj["hide_output"])
        options.skipGrader = truthy(obj["skip_grader"])
        options.locale = obj["lang"] as? String
        if let t = obj["tests"] {
            if let s = t as? String { options.tests = [s] } else if let a = t as? [String] { options.tests = a }
            else { throw PayloadError(reason: "tests must be a name or a list of names") }
        }
        return options
    }

    /// Python truthiness, as xqueue-watcher reads payload flags (the string "false" is true).
    public static func truthy(_ v: Any?) -> Bool {
        switch v {
        case nil, is NSNull: return false
        case let b as Bool: return b
        case let n as NSNumber: return n.doubleValue != 0
        case let s as String: return !s.isEmpty
        case let a as [Any]: return !a.isEmpty
        case let d as [String: Any]: return !d.isEmpty
        default: return true
        }
    }

    /// Joins `rel` to `root` and proves the result stays inside it, symlinks included.
    public static func contain(_ rel: String, under root: String) throws -> String {
        guard !rel.isEmpty else { throw PayloadError(reason: "the grader path is empty") }
        guard !rel.hasPrefix("/") else { throw PayloadError(reason: "the grader path \"\(rel)\" is absolute") }
        guard !rel.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw PayloadError(reason: "the grader path contains control characters")
        }
        guard !rel.split(separator: "/", omittingEmptySubsequences: false).contains("..") else {
            throw PayloadError(reason: "the grader path \"\(rel)\" contains '..'")
        }
        guard let realRoot = realpath(root) else { throw PayloadError(reason: "grader_root \(root) does not exist") }
        guard let real = realpath((root as NSString).appendingPathComponent(rel)) else {
            throw PayloadError(reason: "the grader path \"\(rel)\" does not exist under \(root)")
        }
        guard real == realRoot || real.hasPrefix(realRoot + "/") else {
            throw PayloadError(reason: "the grader path \"\(rel)\" resolves outside grader_root (\(real))")
        }
        return real
    }

    /// The path with every symlink resolved, or nil if it does not exist.
    public static func realpath(_ p: String) -> String? {
        guard let r = Glibc.realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }
}
