// TextCheckers: the built-in output checkers (docs/reference/problem-yml.md, "Checkers"), pure functions of bytes.
import Foundation

/// What a checker decided: a fraction (1 = AC) and optional feedback.
public struct CheckResult: Sendable, Equatable {
    public var fraction: Double
    public var feedback: String?
    public var staff: String?
    public static let pass = CheckResult(fraction: 1)
    public static func fail(_ why: String? = nil) -> CheckResult { CheckResult(fraction: 0, feedback: why) }
}

/// exact, tokens, lines, floats, unordered and regex.
public enum TextCheckers {
    static let whitespace: Set<UInt8> = [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]

    public static func check(_ spec: Problem.CheckerSpec, output: Data, expected: Data) -> CheckResult {
        switch spec.type {
        case "exact": return output == expected ? .pass : .fail("The output is not byte-for-byte identical to the expected output.")
        case "lines": return lines(spec, output, expected)
        case "floats": return floats(spec, output, expected)
        case "unordered": return unordered(spec, output, expected)
        case "regex": return regex(spec, output, expected)
        default: return tokensCheck(spec, output, expected)
        }
    }

    /// Maximal runs of non-whitespace bytes; ASCII letters folded when not case-sensitive.
    static func tokens(_ d: Data, caseSensitive: Bool = true) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var cur: [UInt8] = []
        for b in d {
            if whitespace.contains(b) { if !cur.isEmpty { out.append(cur); cur = [] } }
            else { cur.append(!caseSensitive && b >= 0x41 && b <= 0x5a ? b + 32 : b) }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    static func tokensCheck(_ s: Problem.CheckerSpec, _ o: Data, _ e: Data) -> CheckResult {
        let ot = tokens(o, caseSensitive: s.caseSensitive), et = tokens(e, caseSensitive: s.caseSensitive)
        if ot == et { return .pass }
        if let i = zip(ot, et).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            return .fail("Token \(i + 1) differs: expected \"\(String(decoding: et[i], as: UTF8.self))\", got \"\(String(decoding: ot[i], as: UTF8.self))\".")
        }
        return .fail(ot.count < et.count ? "The output ends early (\(ot.count) of \(et.count) tokens)." : "The output has extra tokens after the expected ones.")
    }

    static func splitLines(_ d: Data, _ s: Problem.CheckerSpec) -> [[UInt8]] {
        var lines = d.split(separator: 0x0a, omittingEmptySubsequences: false).map { Array($0) }
        if d.last == 0x0a { lines.removeLast() }
        if s.trailingWhitespaceIgnore { lines = lines.map { var l = $0; while let b = l.last, whitespace.contains(b) { l.removeLast() }; return l } }
        if s.trailingBlankLinesIgnore { while lines.last?.isEmpty == true { lines.removeLast() } }
        if !s.caseSensitive { lines = lines.map { $0.map { $0 >= 0x41 && $0 <= 0x5a ? $0 + 32 : $0 } } }
        return lines
    }

    static func lines(_ s: Problem.CheckerSpec, _ o: Data, _ e: Data) -> CheckResult {
        let ol = splitLines(o, s), el = splitLines(e, s)
        if ol == el { return .pass }
        let i = zip(ol, el).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ol.count, el.count)
        return .fail("Line \(i + 1) differs from the expected output.")
    }

    static let numberPattern = try! NSRegularExpression(pattern: #"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"#)

    static func isNumber(_ t: String) -> Bool {
        numberPattern.firstMatch(in: t, range: NSRange(t.startIndex..., in: t)) != nil
    }

    static func floats(_ s: Problem.CheckerSpec, _ o: Data, _ e: Data) -> CheckResult {
        let ot = tokens(o).map { String(decoding: $0, as: UTF8.self) }, et = tokens(e).map { String(decoding: $0, as: UTF8.self) }
        guard ot.count == et.count else {
            return .fail(ot.count < et.count ? "The output ends early (\(ot.count) of \(et.count) values)." : "The output has extra values.")
        }
        for (i, (a, b)) in zip(ot, et).enumerated() {
            if isNumber(b) {
                guard isNumber(a), let x = Double(a), let y = Double(b) else { return .fail("Value \(i + 1): expected a number, got \"\(a)\".") }
                let d = Swift.abs(x - y)
                let absOK = d <= s.abs, relOK = y == 0 ? absOK : d <= s.rel * Swift.abs(y)
                let ok = s.floatMode == "abs" ? absOK : s.floatMode == "rel" ? relOK : (absOK || relOK)
                if !ok { return .fail("Value \(i + 1) is \(a), expected \(b) (tolerance \(s.floatMode == "rel" ? s.rel : s.abs)).") }
            } else if a != b {
                return .fail("Token \(i + 1) differs: expected \"\(b)\", got \"\(a)\".")
            }
        }
        return .pass
    }

    static func unordered(_ s: Problem.CheckerSpec, _ o: Data, _ e: Data) -> CheckResult {
        func bag(_ d: Data) -> [[[UInt8]]] {
            d.split(separator: 0x0a).map { tokens(Data($0), caseSensitive: s.caseSensitive) }.filter { !$0.isEmpty }
                .sorted { $0.lexicographicallyPrecedes($1) { $0.lexicographicallyPrecedes($1) } }
        }
        return bag(o) == bag(e) ? .pass : .fail("The set of output lines differs from the expected one.")
    }

    static func regex(_ s: Problem.CheckerSpec, _ o: Data, _ e: Data) -> CheckResult {
        var pattern = s.pattern ?? String(decoding: e, as: UTF8.self)
        if s.pattern == nil, pattern.hasSuffix("\n") { pattern.removeLast() }
        var text = String(decoding: o, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        var options: NSRegularExpression.Options = []
        if s.regexFlags.contains("i") { options.insert(.caseInsensitive) }
        if s.regexFlags.contains("s") { options.insert(.dotMatchesLineSeparators) }
        guard let re = try? NSRegularExpression(pattern: s.matchFull ? "^(?:\(pattern))$" : pattern, options: options) else {
            return CheckResult(fraction: 0, feedback: nil, staff: "invalid regex")
        }
        return re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil ? .pass : .fail("The output does not have the expected form.")
    }
}
