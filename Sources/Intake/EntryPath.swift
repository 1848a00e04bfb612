// EntryPath: the path rules for one archive entry name, checked on its bytes as stored (docs/reference/problem-yml.md,
// "Submission").

enum EntryPath {
    /// The checked path under `prefix`, or nil for the archive's own root ("." or "./").
    /// Works on UTF-8 bytes, never on Characters: "/" followed by a combining mark is one Character
    /// to Swift but still a separator to the kernel, so "../\u{301}x" must be seen as "..".
    static func check(_ stored: String, prefix: String, archive: String, limits: ArchiveLimits) throws -> String? {
        func reject(_ rule: IntakeError.EntryRule) -> IntakeError {
            .entryRejected(archive: archive, entry: stored, rule: rule)
        }
        if stored.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw reject(.controlCharacter)
        }
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var bytes = Substring(stored).utf8[...]
        if bytes.first == slash { throw reject(.absolutePath) }
        while bytes.starts(with: [dot, slash]) { bytes = bytes.dropFirst(2) }
        while bytes.last == slash { bytes = bytes.dropLast() }
        if bytes.isEmpty || bytes.elementsEqual([dot]) { return nil }

        let parts = bytes.split(separator: slash, omittingEmptySubsequences: false)
        if parts.contains(where: { $0.elementsEqual([dot, dot]) }) { throw reject(.parentDirectory) }
        if parts.contains(where: { $0.isEmpty || $0.elementsEqual([dot]) }) { throw reject(.emptyPart) }
        // A part starting with "-" or "@" would be read by a compiler as an option or a response file.
        if parts.contains(where: { $0.first == UInt8(ascii: "-") || $0.first == UInt8(ascii: "@") }) { throw reject(.optionLike) }

        let path = String(decoding: bytes, as: UTF8.self)
        let full = prefix.isEmpty ? path : prefix + "/" + path
        let length = full.utf8.count
        if length > limits.maxPath { throw reject(.pathTooLong(bytes: length, limit: limits.maxPath)) }
        let depth = parts.count + (prefix.isEmpty ? 0 : components(prefix).count)
        if depth > limits.maxDepth { throw reject(.tooDeep(depth: depth, limit: limits.maxDepth)) }
        return full
    }

    /// The "/"-separated parts of a checked path.
    static func components(_ path: String) -> [String] {
        path.utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
    }

    /// "a", "a/b" for "a/b/c": the folders a checked path implies.
    static func ancestors(_ path: String) -> [String] {
        let parts = components(path)
        return parts.indices.dropLast().map { parts[...$0].joined(separator: "/") }
    }
}
