// Placeholders: `{name}` expansion into argument arrays (docs/reference/language-profiles.md, "Placeholders"). No shell
// anywhere:
// a list placeholder becomes zero or more whole arguments, never part of one.
import Foundation

/// Where a template appears, which decides the placeholders it may use.
public enum PlaceholderContext: Sendable {
    case resolve, exec, version, probe, compile, run, framework, env, artifacts, defaultFilename, selfTestFilename
}

/// Expansion and validation of `{placeholders}`.
public enum Placeholders {
    static let lists: Set<String> = ["sources", "args", "extra_args", "tests"]

    /// Names a context allows (toolchain keys are added by the caller).
    static func allowed(in context: PlaceholderContext) -> Set<String> {
        switch context {
        case .resolve: return []
        case .exec, .version, .probe: return []
        case .compile: return ["workdir", "tmp", "main", "mainclass", "binary", "memory_mb", "memory_kb", "sources", "extra_args"]
        case .run: return ["workdir", "tmp", "main", "mainclass", "binary", "memory_mb", "memory_kb", "sources", "args"]
        case .framework: return ["workdir", "tmp", "main", "mainclass", "binary", "memory_mb", "memory_kb", "sources", "args",
                                 "tests", "report", "report_dir", "nonce"]
        case .env: return ["workdir", "tmp", "memory_mb", "memory_kb", "report", "report_dir", "nonce"]
        case .artifacts: return ["binary", "sources"]
        case .defaultFilename: return ["mainclass"]
        case .selfTestFilename: return []
        }
    }

    /// The placeholder names in a template, with `{{`/`}}` as literal braces.
    static func names(in template: String) -> [String]? {
        var out: [String] = []
        var chars = Array(template)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "{" {
                if chars.first == "{" { chars = chars.dropFirst(); continue }
                guard let end = chars.firstIndex(of: "}") else { return nil }
                out.append(String(chars[chars.startIndex..<end]))
                chars = chars[(end + 1)...]
            } else if c == "}" {
                if chars.first == "}" { chars = chars.dropFirst(); continue }
                return nil
            }
        }
        return out
    }

    /// Problems of one template element: unknown names, names not allowed here, list placeholders inside an element.
    public static func problems(in element: String, context: PlaceholderContext, toolKeys: Set<String>, isArgv: Bool) -> [String] {
        guard let names = names(in: element) else { return ["unbalanced braces in \"\(element)\" (hint: write {{ and }} for literal braces)"] }
        var out: [String] = []
        let allowedHere = allowed(in: context)
        for n in names {
            if n.hasPrefix("prefix:") {
                let key = String(n.dropFirst(7))
                if !toolKeys.contains(key) { out.append("{\(n)}: unknown toolchain key \"\(key)\"") }
                else if context == .resolve { out.append("{\(n)} is not allowed in resolve") }
                continue
            }
            if toolKeys.contains(n) { continue }
            let known = lists.union(["workdir", "tmp", "main", "mainclass", "binary", "memory_mb", "memory_kb", "report",
                                     "report_dir", "nonce", "input", "expected", "output", "feedback_dir"])
            if !known.contains(n) { out.append("unknown placeholder {\(n)}"); continue }
            if !allowedHere.contains(n) { out.append("{\(n)} is not allowed here"); continue }
            if lists.contains(n) && (element != "{\(n)}" || !isArgv) {
                out.append("{\(n)} is a list placeholder and must be a whole argument (\"\(element)\")")
            }
        }
        return out
    }

    /// Expands an argv template: scalars inside elements, lists as whole elements.
    public static func expand(_ argv: [String], scalars: [String: String], lists: [String: [String]] = [:]) -> [String] {
        var out: [String] = []
        for element in argv {
            if element.hasPrefix("{"), element.hasSuffix("}"), element.dropFirst().dropLast().allSatisfy({ $0 != "{" && $0 != "}" }),
               let list = lists[String(element.dropFirst().dropLast())] {
                out.append(contentsOf: list)
            } else {
                out.append(expand(element, scalars: scalars))
            }
        }
        return out
    }

    /// Expands the scalar placeholders of one string; unknown names stay as written.
    public static func expand(_ template: String, scalars: [String: String]) -> String {
        var out = ""
        var chars = Array(template)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "{" {
                if chars.first == "{" { out.append("{"); chars = chars.dropFirst(); continue }
                if let end = chars.firstIndex(of: "}") {
                    let name = String(chars[chars.startIndex..<end])
                    out += scalars[name] ?? "{\(name)}"
                    chars = chars[(end + 1)...]
                    continue
                }
            } else if c == "}", chars.first == "}" { chars = chars.dropFirst() }
            out.append(c)
        }
        return out
    }
}
