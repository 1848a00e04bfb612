// Units: sizes and durations as docs/reference/common.md, "Value types" writes them ("64MiB", "1.5s", "500ms").
import Foundation

/// Parsing of size and duration strings; failures carry a message and a hint.
public enum Units {
    public struct Problem: Error, Sendable { public let message: String; public let hint: String? }

    /// "64MiB", "256M", "1GiB", "512B". A bare number is an error unless `bareBytes` (codejail aliases).
    public static func size(_ text: String, bareBytes: Bool = false) -> Result<UInt64, Problem> {
        let t = text.trimmingCharacters(in: .whitespaces)
        let digits = t.prefix { $0.isNumber || $0 == "." }
        let unit = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard let value = Double(digits), value >= 0 else {
            return .failure(Problem(message: "\"\(text)\" is not a size", hint: "write e.g. 64MiB"))
        }
        let mi = 1048576.0, gi = 1073741824.0
        let multipliers: [String: Double] = ["B": 1, "K": 1024, "KiB": 1024, "M": mi, "MiB": mi, "G": gi, "GiB": gi]
        if unit.isEmpty {
            if bareBytes { return .success(UInt64(value)) }
            return .failure(Problem(message: "\"\(text)\" has no unit", hint: "add a unit: B, KiB, MiB or GiB"))
        }
        if ["KB", "MB", "GB", "kB"].contains(unit) {
            return .failure(Problem(message: "\"\(text)\": decimal units are not accepted", hint: "sizes are binary: use \(unit.prefix(1).uppercased())iB"))
        }
        guard let m = multipliers[unit] else {
            return .failure(Problem(message: "\"\(text)\": unknown unit \"\(unit)\"", hint: "use B, KiB, MiB or GiB"))
        }
        return .success(UInt64((value * m).rounded()))
    }

    /// "2", "1.5s", "500ms" → seconds.
    public static func duration(_ text: String) -> Result<Double, Problem> {
        let t = text.trimmingCharacters(in: .whitespaces)
        var number = t, scale = 1.0
        if t.hasSuffix("ms") { number = String(t.dropLast(2)); scale = 0.001 }
        else if t.hasSuffix("s") { number = String(t.dropLast()) }
        guard let v = Double(number.trimmingCharacters(in: .whitespaces)), v >= 0, v.isFinite else {
            return .failure(Problem(message: "\"\(text)\" is not a duration", hint: "write e.g. 2s or 500ms"))
        }
        return .success(v * scale)
    }

    /// Human form of a byte count: "64 MiB".
    public static func format(bytes: UInt64) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        if bytes >= 1 << 20 { return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) }
        return "\(bytes) B"
    }

    /// Human form of seconds: "2 s", "1.5 s", "500 ms".
    public static func format(seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds == seconds.rounded() { return "\(Int(seconds)) s" }
        return String(format: "%.1f s", seconds)
    }
}

extension YValue {
    /// A size, with `bareBytes` for codejail aliases.
    public func size(bareBytes: Bool = false) -> UInt64? {
        guard case .scalar(let s) = node else { report("expected a size"); return nil }
        switch Units.size(s.string, bareBytes: bareBytes) {
        case .success(let v): return v
        case .failure(let p): report(p.message, hint: p.hint); return nil
        }
    }

    /// A duration in seconds.
    public func duration() -> Double? {
        guard case .scalar(let s) = node else { report("expected a duration"); return nil }
        switch Units.duration(s.string) {
        case .success(let v): return v
        case .failure(let p): report(p.message, hint: p.hint); return nil
        }
    }
}
