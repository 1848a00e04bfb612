// IntakeLimits: the caps on archives and downloads (docs/reference/problem-yml.md, "Submission" `archives` and
// `submission`).

/// How an uploaded archive is unpacked and what it may contain; defaults are docs/reference/problem-yml.md,
/// "Submission"'s.
public struct ArchiveLimits: Sendable, Equatable {
    /// Whether archive uploads are unpacked at all (Grading decides; the extractor ignores it).
    public var extract = true
    /// Entries of any kind, directories included, counted as they are read.
    public var maxEntries = 1000
    /// Total bytes unpacked, counted while decompressing.
    public var maxUnpacked: UInt64 = 32 << 20
    /// Bytes of one unpacked file, counted while decompressing (a header's size is never trusted).
    public var maxEntrySize: UInt64 = 8 << 20
    /// Parts of an entry path, file name included (`rpn/src/eval.c` is 3).
    public var maxDepth = 8
    /// Bytes of an entry path.
    public var maxPath = 255
    /// Whether an archive inside the archive is unpacked too (one level, into a folder named by its stem).
    public var nested = false
    /// Whether a lone top-level folder holding every file is dropped (learners zip folders).
    public var stripSingleRoot = true
    /// Globs of entries dropped after the checks (`**/` matches zero or more folders).
    public var ignore: [String] = ["__MACOSX/**", "**/.DS_Store"]

    /// The defaults of docs/reference/problem-yml.md, "Submission".
    public init() {}
}

/// Caps and timeouts for fetching `xqueue_files`; sizes are enforced while bytes arrive.
public struct DownloadLimits: Sendable {
    /// Files in one submission.
    public var maxFiles = 50
    /// Bytes of one file.
    public var maxFileSize: UInt64 = 4 << 20
    /// Bytes of all files together.
    public var maxTotalSize: UInt64 = 16 << 20
    /// Seconds to open a connection; applied through `FileDownloader.clientConfiguration(limits:)`.
    public var connectTimeout: Double = 5
    /// Seconds for one attempt at one file, from request to last body byte.
    public var totalTimeout: Double = 30
    /// Further attempts after a 5xx status or a connection error.
    public var retries = 2

    /// The defaults of docs/reference/problem-yml.md, "Submission", and docs/downloads.md.
    public init() {}
}
