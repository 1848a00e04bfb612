// Glob: `*`, `?`, `**`, `[..]` matching of relative paths (schemas.md §1.2).
import Foundation

/// Path globs: `*` and `?` stay within a component, `**/` matches zero or more directories.
public enum Glob {
    public static func matches(_ pattern: String, _ path: String) -> Bool {
        match(Array(pattern.utf8)[...], Array(path.utf8)[...])
    }

    private static func match(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
        guard let c = p.first else { return s.isEmpty }
        let star = UInt8(ascii: "*"), slash = UInt8(ascii: "/")
        if c == star, p.dropFirst().first == star {
            var rest = p.dropFirst(2)
            if rest.first == slash { rest = rest.dropFirst() }
            // `**` (or `**/`) consumes any number of whole components, or anything at the end.
            if match(rest, s) { return true }
            var i = s.startIndex
            while i < s.endIndex {
                if rest.isEmpty || s[i] == slash { if match(rest, s[(i + 1)...]) { return true } }
                i += 1
            }
            return rest.isEmpty
        }
        if c == star {
            var i = s.startIndex
            while true {
                if match(p.dropFirst(), s[i...]) { return true }
                if i == s.endIndex || s[i] == slash { return false }
                i += 1
            }
        }
        guard let h = s.first else { return false }
        if c == UInt8(ascii: "?") { return h != slash && match(p.dropFirst(), s.dropFirst()) }
        if c == UInt8(ascii: "["), let close = p.dropFirst().firstIndex(of: UInt8(ascii: "]")) {
            var set = p[(p.startIndex + 1)..<close]
            let negate = set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^")
            if negate { set = set.dropFirst() }
            var hit = false
            var k = set.startIndex
            while k < set.endIndex {
                if k + 2 < set.endIndex, set[k + 1] == UInt8(ascii: "-") { if set[k] <= h && h <= set[k + 2] { hit = true }; k += 3 }
                else { if set[k] == h { hit = true }; k += 1 }
            }
            return hit != negate && h != slash && match(p[(close + 1)...], s.dropFirst())
        }
        return c == h && match(p.dropFirst(), s.dropFirst())
    }

    /// Natural order: digit runs compare as numbers ("2" before "10").
    public static func naturalLess(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: [.numeric]) == .orderedAscending
    }
}
