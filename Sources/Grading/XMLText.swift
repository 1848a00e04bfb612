// XMLText: every string that enters `msg` passes through here: invalid UTF-8 becomes U+FFFD,
// characters XML 1.0 forbids become U+FFFD, markup characters and non-ASCII are escaped as
// references. The LMS parses `msg` with an XML parser; one bad byte would lose the reply.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

enum XMLText {
    /// Escapes text for element content or attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars { append(u, to: &out) }
        return out
    }

    /// Escapes at most `maxBytes` bytes of escaped text (never half a reference), with a visible note
    /// when the text was cut. Bytes, not characters: escaping grows text up to tenfold, and one
    /// character can hold any number of combining marks. `keepEnd` keeps the end (stderr tails).
    static func escape(_ s: String, maxBytes: Int, keepEnd: Bool = false) -> String {
        var pieces: [String] = []
        var used = 0, consumed = 0
        func take<S: Sequence>(_ scalars: S) where S.Element == Unicode.Scalar {
            for u in scalars {
                var piece = ""
                append(u, to: &piece)
                if used + piece.utf8.count > maxBytes { return }
                pieces.append(piece)
                used += piece.utf8.count
                consumed += UTF8.width(u)
            }
        }
        if keepEnd { take(s.unicodeScalars.reversed()); pieces.reverse() } else { take(s.unicodeScalars) }
        let total = s.utf8.count
        guard consumed < total else { return pieces.joined() }
        let note = "[… \(total - consumed) bytes not shown]"
        return keepEnd ? note + "\n" + pieces.joined() : pieces.joined() + "\n" + note
    }

    /// Appends one scalar, escaped: markup and non-ASCII as references, forbidden characters as U+FFFD.
    private static func append(_ u: Unicode.Scalar, to out: inout String) {
        let v = u.value
        switch u {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default:
            if v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v < 0x7F) { out.unicodeScalars.append(u) }
            else if v < 0x20 || v == 0x7F || v == 0xFFFE || v == 0xFFFF || (0xD800...0xDFFF).contains(v) { out += "&#xFFFD;" }
            else { out += "&#x\(String(v, radix: 16, uppercase: true));" }
        }
    }

    /// Text for a feedback template, which escapes markup itself: characters XML forbids become U+FFFD and
    /// the text is cut to at most `maxBytes` UTF-8 bytes (whole scalars) with the same note as `escape`.
    static func plain(_ s: String, maxBytes: Int) -> String {
        var out = String.UnicodeScalarView()
        var used = 0, consumed = 0
        for u in s.unicodeScalars {
            let v = u.value
            let forbidden = (v < 0x20 && v != 0x9 && v != 0xA && v != 0xD) || v == 0x7F || v == 0xFFFE || v == 0xFFFF
            let scalar: Unicode.Scalar = forbidden ? "\u{FFFD}" : u
            if used + UTF8.width(scalar) > maxBytes { break }
            out.append(scalar)
            used += UTF8.width(scalar)
            consumed += UTF8.width(u)
        }
        let total = s.utf8.count
        return consumed < total ? String(out) + "\n[… \(total - consumed) bytes not shown]" : String(out)
    }

    /// Bytes as text: invalid UTF-8 replaced, then escaped.
    static func escape(_ d: Data) -> String { escape(String(decoding: d, as: UTF8.self)) }

    /// Whether `xml` parses as a document with one root element. On Linux `XMLParser.parse()`
    /// can return true after an error (or for a truncated document), so errors, roots and
    /// nesting are all checked.
    static func isWellFormed(_ xml: String) -> Bool { StrictXML.parse(Data(xml.utf8), delegate: nil) }
}

/// An XMLParser run that fails on any error, a truncated document, or more or fewer than one root.
enum StrictXML {
    final class Tracker: NSObject, XMLParserDelegate {
        var depth = 0, roots = 0, errors = 0
        let inner: XMLParserDelegate?
        init(_ inner: XMLParserDelegate?) { self.inner = inner }
        func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if depth == 0 { roots += 1 }
            depth += 1
            inner?.parser(p, didStartElement: e, namespaceURI: namespaceURI, qualifiedName: qualifiedName, attributes: attributes)
        }
        func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            inner?.parser(p, didEndElement: e, namespaceURI: namespaceURI, qualifiedName: qualifiedName)
        }
        func parser(_ p: XMLParser, foundCharacters s: String) { inner?.parser(p, foundCharacters: s) }
        func parser(_ p: XMLParser, parseErrorOccurred e: Error) { errors += 1 }
        func parser(_ p: XMLParser, validationErrorOccurred e: Error) { errors += 1 }
    }

    /// Parses with external entities never resolved; true only for a complete document with one root
    /// and no error. Internal entities cannot be switched off here: reports are refused before
    /// parsing when they declare any (UnitReportParser), and `msg` is our own escaped text.
    static func parse(_ data: Data, delegate: XMLParserDelegate?) -> Bool {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.externalEntityResolvingPolicy = .never
        let t = Tracker(delegate)
        parser.delegate = t
        let ok = parser.parse()
        return ok && parser.parserError == nil && t.errors == 0 && t.roots == 1 && t.depth == 0
    }
}
