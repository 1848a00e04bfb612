// MainClassDetector: finds the Java class declaring `public static void main(String`, with its
// package, after stripping comments and string literals (docs/reference/language-profiles.md, "Source" main_class).
import Foundation

enum MainClassDetector {
    /// The entry class (docs/reference/language-profiles.md, "Source" main_class): the problem's `main` when it names a
    /// class (or a
    /// source file, then the class found in it); else the one class declaring main; several is the
    /// learner's CE naming them; none is the fallback.
    static func choose(_ sources: [SourceFile], profile: LanguageProfile, explicit: String?) throws -> String {
        if let explicit, !profile.extensions.contains(where: { explicit.hasSuffix($0) }) { return explicit }
        guard profile.source.detectMainClass else { return profile.source.mainClassFallback }
        let inScope = explicit.map { main in sources.filter { $0.path == main } }.flatMap { $0.isEmpty ? nil : $0 } ?? sources
        let found = candidates(inScope)
        if found.count > 1 {
            throw BuildRejection(message: "Several classes declare public static void main: \(found.joined(separator: ", ")). "
                                 + "Keep main in the one class that starts your program.")
        }
        return found.first ?? profile.source.mainClassFallback
    }

    /// The first class declaring main, else the fallback (naming a typed response's file).
    static func detect(_ sources: [SourceFile], profile: LanguageProfile) -> String {
        guard profile.source.detectMainClass else { return profile.source.mainClassFallback }
        return candidates(sources).first ?? profile.source.mainClassFallback
    }

    /// Every class (with its package) declaring `public static void main(String`, in path order.
    static func candidates(_ sources: [SourceFile]) -> [String] {
        let mainDecl = try! NSRegularExpression(pattern: #"(?:public\s+static|static\s+public)\s+void\s+main\s*\(\s*(?:final\s+)?String"#)
        var found: [String] = []
        for f in sources.sorted(by: { $0.path < $1.path }) where f.path.hasSuffix(".java") {
            let text = strip(String(decoding: f.data, as: UTF8.self))
            let pkg = firstGroup(#"(?m)^\s*package\s+([\w.]+)\s*;"#, text)
            for match in mainDecl.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let r = Range(match.range, in: text) else { continue }
                let cls = classBefore(String(text[..<r.lowerBound]))
                    ?? (f.path as NSString).deletingPathExtension.split(separator: "/").last.map(String.init) ?? ""
                let name = pkg.map { "\($0).\(cls)" } ?? cls
                if !found.contains(name) { found.append(name) }
            }
        }
        return found
    }

    /// The class whose body declares a main: the last `class X` in the text before that declaration.
    static func classBefore(_ head: String) -> String? {
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
