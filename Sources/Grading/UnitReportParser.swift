// UnitReportParser: unit-test reports into test outcomes (docs/reference/language-profiles.md, "Frameworks"): JUnit
// XML, Check
// XML, TAP and exit codes. The learner's code runs in the test process and can write the report,
// and the report is parsed in polygrader's own process, outside every jail limit: a report with a
// DTD is refused before parsing (Foundation's XMLParser on Linux expands internal entities even
// with external ones off), and size, nesting depth and element count are bounded.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One reported test.
public struct UnitOutcome: Sendable, Equatable {
    public var id: String
    public var verdict: Verdict
    public var message: String?
    public var timeS: Double?
    /// The report's class or module name (XML formats), to tell the suite's tests from others.
    public var className: String?
}

public enum UnitReportParser {
    /// The largest report read (docs/reference/language-profiles.md, "Frameworks": ≤ 4 MiB).
    public static let maxBytes = 4 << 20
    /// The deepest element nesting accepted (JUnit nests four or five levels).
    public static let maxDepth = 64
    /// The most elements accepted in one XML report.
    public static let maxElements = 200_000

    /// Parses a report; nil when it is missing, malformed, too large, or holds a DTD.
    public static func parse(format: String, data: Data?, exitCode: Int?, suite: String) -> [UnitOutcome]? {
        if let data, data.count > maxBytes { return nil }
        switch format {
        case "junit-xml", "check-xml": return data.flatMap { xml($0, check: format == "check-xml") }
        case "tap": return data.flatMap(tap)
        default: return exitCode.map { [UnitOutcome(id: suite, verdict: $0 == 0 ? .AC : .WA)] }
        }
    }

    final class JUnitDelegate: NSObject, XMLParserDelegate {
        var outcomes: [UnitOutcome] = []
        var current: UnitOutcome?
        var check: Bool
        var checkPath = "", checkId = "", checkResult = "", text = ""
        var depth = 0, elements = 0, overLimit = false
        init(check: Bool) { self.check = check }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes a: [String: String] = [:]) {
            depth += 1
            elements += 1
            if depth > UnitReportParser.maxDepth || elements > UnitReportParser.maxElements {
                overLimit = true
                parser.abortParsing()
                return
            }
            text = ""
            if check {
                if name == "test" { checkResult = a["result"] ?? ""; checkPath = ""; checkId = "" }
                return
            }
            switch name {
            case "testcase":
                let cls = a["classname"] ?? ""
                var n = a["name"] ?? ""
                // JUnit: drop the parameter list, keep an invocation suffix: add(int, int)[2] → add[2].
                if let open = n.firstIndex(of: "("), let close = n[open...].firstIndex(of: ")") {
                    n = String(n[..<open]) + String(n[n.index(after: close)...])
                }
                current = UnitOutcome(id: cls.isEmpty ? n : "\(cls).\(n)", verdict: .AC, timeS: UnitReportParser.seconds(a["time"]), className: cls)
            case "failure": current?.verdict = .WA; current?.message = a["message"]
            case "error": current?.verdict = .RE; current?.message = a["type"] ?? a["message"]
            case "skipped": current?.verdict = .SK
            default: break
            }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { if !overLimit { text += string } }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            if check {
                if name == "id" { checkId = text.trimmingCharacters(in: .whitespacesAndNewlines) }
                if name == "fn" { checkPath = text.trimmingCharacters(in: .whitespacesAndNewlines) }
                if name == "test" {
                    let v: Verdict = checkResult == "success" ? .AC : checkResult == "failure" ? .WA : .RE
                    outcomes.append(UnitOutcome(id: checkId, verdict: v, message: nil, timeS: nil, className: checkPath))
                }
                return
            }
            if name == "testcase", let c = current { outcomes.append(c); current = nil }
        }
    }

    static func xml(_ data: Data, check: Bool) -> [UnitOutcome]? {
        guard !hasDTD(data) else { return nil }
        let d = JUnitDelegate(check: check)
        guard StrictXML.parse(data, delegate: d), !d.overLimit else { return nil }
        return d.outcomes
    }

    /// Whether the bytes declare a DTD or an entity anywhere (any case, so no spelling slips past).
    static func hasDTD(_ data: Data) -> Bool {
        let upper = { (b: UInt8) -> UInt8 in b >= 0x61 && b <= 0x7a ? b - 0x20 : b }
        let markers = [Array("<!DOCTYPE".utf8), Array("<!ENTITY".utf8)]
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { return false }
        for i in 0..<bytes.count where bytes[i] == UInt8(ascii: "<") {
            for m in markers where i + m.count <= bytes.count {
                if (0..<m.count).allSatisfy({ upper(bytes[i + $0]) == m[$0] }) { return true }
            }
        }
        return false
    }

    /// A reported duration: a finite, non-negative number of seconds, else none ("nan" is not a time).
    static func seconds(_ text: String?) -> Double? {
        guard let v = text.flatMap(Double.init), v.isFinite, v >= 0 else { return nil }
        return v
    }

    /// TAP: `ok N - desc`, `not ok N - desc`, `# SKIP`; a plan `1..N` with fewer results leaves the rest unreported.
    static func tap(_ data: Data) -> [UnitOutcome]? {
        var out: [UnitOutcome] = []
        for raw in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let ok = line.hasPrefix("ok ")
            guard ok || line.hasPrefix("not ok ") else { continue }
            var rest = line.dropFirst(ok ? 3 : 7)
            let num = rest.prefix { $0.isNumber }
            rest = rest.dropFirst(num.count)
            var desc = rest.trimmingCharacters(in: .whitespaces)
            if desc.hasPrefix("-") { desc = desc.dropFirst().trimmingCharacters(in: .whitespaces) }
            var directive = ""
            if let hash = desc.firstIndex(of: "#") {
                directive = desc[desc.index(after: hash)...].trimmingCharacters(in: .whitespaces).uppercased()
                desc = desc[..<hash].trimmingCharacters(in: .whitespaces)
            }
            let id = desc.isEmpty ? String(num) : desc
            let v: Verdict = directive.hasPrefix("SKIP") ? .SK : (ok ? .AC : .WA)
            out.append(UnitOutcome(id: id, verdict: v))
        }
        return out
    }
}
