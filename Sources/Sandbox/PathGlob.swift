// PathGlob: matches relative "/"-separated paths against docs/reference/common.md, "Value types" globs (`*`, `?`, `**`,
// `[..]`).

import Foundation

/// A compiled glob: `*` and `?` stay within one path part, a whole `**` part matches zero or more parts.
public struct PathGlob: Sendable, Equatable {
    enum Token: Sendable, Equatable {
        case literal(Unicode.Scalar)
        case anyRun            // *
        case anyOne            // ?
        case set(ranges: [ClosedRange<UInt32>], negated: Bool)
    }
    enum Part: Sendable, Equatable {
        case globstar
        case tokens([Token])
    }

    /// The pattern as written.
    public let pattern: String
    let parts: [Part]

    /// Compiles `pattern`; an unclosed `[` is taken literally.
    public init(_ pattern: String) {
        self.pattern = pattern
        // Split on the scalar "/", not on Characters: "/" followed by a combining mark is one Character.
        parts = pattern.unicodeScalars.split(separator: "/").map { part in
            part.elementsEqual("**".unicodeScalars) ? .globstar : .tokens(Self.tokens(Array(part)))
        }
    }

    /// Whether the whole of `path` matches.
    public func matches(_ path: String) -> Bool {
        let segments = path.unicodeScalars.split(separator: "/").map { Array($0) }
        return match(0, segments[...])
    }

    private func match(_ p: Int, _ rest: ArraySlice<[Unicode.Scalar]>) -> Bool {
        guard p < parts.count else { return rest.isEmpty }
        switch parts[p] {
        case .globstar:
            // Zero or more whole parts: try every split, shortest first.
            for skip in 0...rest.count where match(p + 1, rest.dropFirst(skip)) { return true }
            return false
        case let .tokens(tokens):
            guard let first = rest.first, Self.match(tokens[...], first[...]) else { return false }
            return match(p + 1, rest.dropFirst())
        }
    }

    private static func match(_ tokens: ArraySlice<Token>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let token = tokens.first else { return text.isEmpty }
        switch token {
        case .anyRun:
            for skip in 0...text.count where match(tokens.dropFirst(), text.dropFirst(skip)) { return true }
            return false
        case let .literal(c):
            return text.first == c && match(tokens.dropFirst(), text.dropFirst())
        case .anyOne:
            return !text.isEmpty && match(tokens.dropFirst(), text.dropFirst())
        case let .set(ranges, negated):
            guard let c = text.first else { return false }
            return ranges.contains { $0.contains(c.value) } != negated && match(tokens.dropFirst(), text.dropFirst())
        }
    }

    private static func tokens(_ s: [Unicode.Scalar]) -> [Token] {
        var out: [Token] = []
        var i = 0
        while i < s.count {
            switch s[i] {
            case "*": if out.last != .anyRun { out.append(.anyRun) }
            case "?": out.append(.anyOne)
            case "[":
                if let (set, end) = bracket(s, from: i) { out.append(set); i = end } else { out.append(.literal("[")) }
            default: out.append(.literal(s[i]))
            }
            i += 1
        }
        return out
    }

    /// Parses `[...]` starting at `start`; returns the set and the index of its `]`, or nil when unclosed.
    private static func bracket(_ s: [Unicode.Scalar], from start: Int) -> (Token, Int)? {
        var i = start + 1
        var negated = false
        if i < s.count, s[i] == "!" || s[i] == "^" { negated = true; i += 1 }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while i < s.count {
            if s[i] == "]" && !first { return (.set(ranges: ranges, negated: negated), i) }
            first = false
            if i + 2 < s.count, s[i + 1] == "-", s[i + 2] != "]", s[i].value <= s[i + 2].value {
                ranges.append(s[i].value...s[i + 2].value)
                i += 3
            } else {
                ranges.append(s[i].value...s[i].value)
                i += 1
            }
        }
        return nil
    }

    /// Natural order of glob matches: digit runs compare as numbers ("2" before "10").
    public static func naturalLess(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: [.numeric]) == .orderedAscending
    }
}
