// MainClassDetector: finds the Java class declaring `public static void main(String`, with its
// package, after stripping comments and string literals (schemas.md §3.4 main_class).
import Foundation

enum MainClassDetector {
    static func detect(_ sources: [SourceFile], profile: LanguageProfile) -> String {
        guard profile.source.detectMainClass else { return profile.source.mainClassFallback }
        var found: [String] = []
        for f in sources where f.path.hasSuffix(".java") {
            let text = strip(String(decoding: f.data, as: UTF8.self))
            guard text.range(of: #"public\s+static\s+void\s+main\s*\(\s*(final\s+)?String"#, options: .regularExpression) != nil ||
                  text.range(of: #"static\s+public\s+void\s+main\s*\(\s*(final\s+)?String"#, options: .regularExpression) != nil else { continue }
            let pkg = firstGroup(#"(?m)^\s*package\s+([\w.]+)\s*;"#, text)
            let cls = classBefore(mainIn: text) ?? (f.path as NSString).deletingPathExtension.split(separator: "/").last.map(String.init) ?? ""
            found.append(pkg.map { "\($0).\(cls)" } ?? cls)
        }
        return found.count == 1 ? found[0] : (found.first ?? profile.source.mainClassFallback)
    }

    /// The class whose body declares main: the last `class X` before the main declaration.
    static func classBefore(mainIn text: String) -> String? {
        guard let mainRange = text.range(of: #"static\s+void\s+main"#, options: .regularExpression) else { return nil }
        let head = String(text[..<mainRange.lowerBound])
        let re = try! NSRegularExpression(pattern: #"\b(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)"#)
        let ms = re.matches(in: head, range: NSRange(head.startIndex..., in: head))
        guard let last = ms.last, let r = Range(last.range(at: 1), in: head) else { return nil }
        return String(head[r])
    }

    static func firstGroup(_ pattern: String, _ text: String) -> String? {
        let re = try! NSRegularExpression(pattern: pattern)
        guard let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), let r = Range(m.range(at: 1), in: text) else { return nil }
        return String(text[r])
    }

    /// Removes comments and string/char literals so that a `main` in a comment does not count.
    static func strip(_ s: String) -> String {
        var out = ""
        var it = Array(s)[...]
        while let c = it.first {
            it = it.dropFirst()
            if c == "/", it.first == "/" { while let d = it.first, d != "\n" { it = it.dropFirst() }; continue }
            if c == "/", it.first == "*" {
                it = it.dropFirst()
                while let d = it.first { it = it.dropFirst(); if d == "*", it.first == "/" { it = it.dropFirst(); break } }
                out.append(" "); continue
            }
            if c == "\"" || c == "'" {
                while let d = it.first { it = it.dropFirst(); if d == "\\" { it = it.dropFirst() } else if d == c { break } }
                out.append("\"\""); continue
            }
            out.append(c)
        }
        return out
    }
}

extension LanguageRunner {
    /// The entry class of Java-like source text (for naming a typed response `{mainclass}.java`).
    public static func detectMainClass(text: String, profile: LanguageProfile) -> String {
        MainClassDetector.detect([SourceFile(path: "Main.java", data: Data(text.utf8))], profile: profile)
    }
}
