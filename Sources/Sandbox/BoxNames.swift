// BoxNames: what a name in a box may look like, shared by intake (learner names), languages (argv)
// and problem loading (box names an author chooses). See docs/problems.md, "Learner file names".

/// The longest name one path part may have in a box (tmpfs NAME_MAX).
public let maxBoxNameBytes = 255

/// Whether a part of `path` starts with "-" or "@". Tools read such an argument as an option or as a
/// response file ("@args"); gcc even hands a file's base name to cc1 as `-dumpbase`, where cc1 expands
/// "@NAME" again, so passing paths as "./PATH" alone is not enough and such names are refused.
public func hasOptionLikePart(_ path: String) -> Bool {
    path.utf8.split(separator: UInt8(ascii: "/")).contains { part in
        part.first == UInt8(ascii: "-") || part.first == UInt8(ascii: "@")
    }
}

/// The first part of `path` longer than `maxBoxNameBytes`, if any.
public func overlongPart(_ path: String) -> Substring? {
    path.split(separator: "/").first { $0.utf8.count > maxBoxNameBytes }
}
