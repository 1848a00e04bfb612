// ArchiveReader: walks one archive in memory with libarchive, checking every entry and counting every
// byte as it is decompressed. Threats: docs/security.md, "Archives" — traversal, links, devices,
// bombs, format confusion. Nothing is written to disk, so a damaged archive leaves nothing behind.
import CArchive
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One accepted entry before layout: its checked path, and bytes for a file.
struct ArchiveEntry {
    var path: String
    var stored: String
    var isDirectory: Bool
    var data = Data()
    var executable = false
}

/// Running totals shared by an archive and the archives nested in it.
struct ArchiveBudget {
    var entries = 0
    var unpacked: UInt64 = 0
}

enum ArchiveReader {
    // File types from archive_entry.h; its AE_IF* macros are casts, which Swift does not import.
    static let typeMask: UInt32 = 0o170000
    static let regular: UInt32 = 0o100000, directory: UInt32 = 0o040000, symlink: UInt32 = 0o120000
    static let charDevice: UInt32 = 0o020000, blockDevice: UInt32 = 0o060000
    static let fifo: UInt32 = 0o010000, socket: UInt32 = 0o140000

    /// Reads every entry of `data`, applying the entry rules and the caps; throws on the first violation.
    static func read(_ data: Data, archive: String, prefix: String, limits: ArchiveLimits,
                     budget: inout ArchiveBudget) throws -> [ArchiveEntry] {
        guard !data.isEmpty else { throw IntakeError.notAnArchive(archive: archive, detail: "the file is empty") }
        if isEmptyZip(data) { return [] }
        return try withUTF8Names {
            guard let a = archive_read_new() else { throw IntakeError.archiveSupport("archive_read_new() returned NULL") }
            defer { archive_read_free(a) }
            try enableFormats(a)
            return try data.withUnsafeBytes { raw in
                guard archive_read_open_memory(a, raw.baseAddress, raw.count) == ARCHIVE_OK else {
                    throw failure(a, data: data, archive: archive)
                }
                var entries: [ArchiveEntry] = []
                var buffer = [UInt8](repeating: 0, count: 64 << 10)
                var header: OpaquePointer?
                while true {
                    let r = archive_read_next_header(a, &header)
                    if r == ARCHIVE_EOF { break }
                    guard r == ARCHIVE_OK || r == ARCHIVE_WARN, let header else { throw failure(a, data: data, archive: archive) }
                    budget.entries += 1
                    if budget.entries > limits.maxEntries {
                        throw IntakeError.tooManyEntries(archive: archive, limit: limits.maxEntries)
                    }
                    guard let entry = try accept(a, header, warned: r == ARCHIVE_WARN, archive: archive, prefix: prefix,
                                                 limits: limits, budget: &budget, buffer: &buffer) else { continue }
                    entries.append(entry)
                }
                // Only tar and zip readers are registered; this guards against that ever changing ("raw", "empty").
                let family = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK
                guard family == ARCHIVE_FORMAT_TAR || family == ARCHIVE_FORMAT_ZIP else {
                    throw IntakeError.notAnArchive(archive: archive, detail: "format \(archive_format_name(a).map { String(cString: $0) } ?? "none")")
                }
                return entries
            }
        }
    }

    /// Registers only what a learner's archive needs. Not archive_read_support_*_all: filter_all runs
    /// external programs (`lrzip -d -q`, lzop, grzip) on matching bytes, and format_all adds readers
    /// (mtree, rar, cab, iso9660, …) no upload name asks for, each more parser to attack.
    static func enableFormats(_ a: OpaquePointer) throws {
        let filters: [(String, (OpaquePointer?) -> Int32)] = [
            ("gzip", archive_read_support_filter_gzip), ("bzip2", archive_read_support_filter_bzip2),
            ("xz", archive_read_support_filter_xz),
        ]
        for (name, enable) in filters where enable(a) != ARCHIVE_OK {
            // ARCHIVE_WARN means "will run an external program": refuse rather than spawn on hostile bytes.
            throw IntakeError.archiveSupport("libarchive has no built-in \(name) decoder: \(errorString(a))")
        }
        // The seekable zip reader trusts the central directory only, like unzip; the streaming reader would
        // also accept a zip cut off inside its central directory, and may disagree with it.
        guard archive_read_support_format_tar(a) == ARCHIVE_OK, archive_read_support_format_zip_seekable(a) == ARCHIVE_OK else {
            throw IntakeError.archiveSupport("enabling the tar and zip readers: \(errorString(a))")
        }
    }

    /// Checks one header and reads its data; nil for the archive's root folder.
    private static func accept(_ a: OpaquePointer, _ header: OpaquePointer, warned: Bool, archive: String, prefix: String,
                               limits: ArchiveLimits, budget: inout ArchiveBudget, buffer: inout [UInt8]) throws -> ArchiveEntry? {
        // A name libarchive could not convert comes back NULL; raw tar names come back as stored bytes.
        guard let cName = archive_entry_pathname(header) else {
            throw IntakeError.entryRejected(archive: archive, entry: "(unreadable name)", rule: .invalidUTF8)
        }
        guard let stored = String(validatingCString: cName) else {
            throw IntakeError.entryRejected(archive: archive, entry: String(cString: cName), rule: .invalidUTF8)
        }
        func reject(_ rule: IntakeError.EntryRule) -> IntakeError { .entryRejected(archive: archive, entry: stored, rule: rule) }
        // Any other header warning (a link name that would not convert, sizes that disagree between zip
        // headers) means the archive can be read two ways: refuse it rather than guess.
        if warned { throw IntakeError.damagedArchive(archive: archive, detail: errorString(a)) }

        let path = try EntryPath.check(stored, prefix: prefix, archive: archive, limits: limits)
        // A tar hard link is typed as a regular file; only its link name gives it away.
        if let target = archive_entry_hardlink(header) { throw reject(.hardlink(target: String(cString: target))) }
        if let target = archive_entry_symlink(header) { throw reject(.symlink(target: String(cString: target))) }
        let mode = UInt32(archive_entry_mode(header))
        switch mode & typeMask {
        case directory:
            guard let path else { return nil }
            return ArchiveEntry(path: path, stored: stored, isDirectory: true)
        case regular:
            break
        case symlink: throw reject(.symlink(target: nil))
        case charDevice, blockDevice: throw reject(.device)
        case fifo: throw reject(.fifo)
        case socket: throw reject(.socket)
        default: throw reject(.unsupportedType(mode: mode))
        }
        guard let path else { throw reject(.emptyPart) }
        if archive_entry_is_encrypted(header) != 0 { throw reject(.encrypted) }

        // Count what decompression yields, never the header's size: a bomb's header lies.
        var data = Data()
        var size: UInt64 = 0
        while true {
            let n = archive_read_data(a, &buffer, buffer.count)
            if n == 0 { break }
            guard n > 0 else { throw IntakeError.damagedArchive(archive: archive, detail: "\(stored): \(errorString(a))") }
            size += UInt64(n)
            budget.unpacked += UInt64(n)
            if size > limits.maxEntrySize { throw reject(.fileTooLarge(limit: limits.maxEntrySize)) }
            if budget.unpacked > limits.maxUnpacked { throw IntakeError.archiveTooLarge(archive: archive, limit: limits.maxUnpacked) }
            data.append(contentsOf: buffer[..<n])
        }
        // Modes are masked, never a reason to reject: any x bit gives 0755, setuid/setgid/sticky are dropped.
        return ArchiveEntry(path: path, stored: stored, isDirectory: false, data: data, executable: mode & 0o111 != 0)
    }

    /// The error for a failed open or header. Only libarchive's "Unrecognized archive format" (format still
    /// unset, ARCHIVE_ERRNO_FILE_FORMAT, which is EILSEQ on Linux) means "not an archive"; a compressed
    /// stream cut short can fail while the format is still being sniffed, and that is damage. So is a
    /// zip without its central directory, which the seekable reader needs to recognise it at all.
    static func failure(_ a: OpaquePointer, data: Data, archive: String) -> IntakeError {
        let zipMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        if archive_format(a) == 0 && archive_errno(a) == EILSEQ && !data.starts(with: zipMagic) {
            return .notAnArchive(archive: archive, detail: errorString(a))
        }
        return .damagedArchive(archive: archive, detail: errorString(a))
    }

    /// Whether `data` is a zip with no entries: only an end-of-central-directory record, which the
    /// seekable reader does not recognise as a zip.
    static func isEmptyZip(_ data: Data) -> Bool {
        let bytes = [UInt8](data.prefix(22))
        guard bytes.count == 22, bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) else { return false }
        let entries = Int(bytes[10]) | Int(bytes[11]) << 8
        let comment = Int(bytes[20]) | Int(bytes[21]) << 8
        return entries == 0 && data.count == 22 + comment
    }

    static func errorString(_ a: OpaquePointer) -> String {
        archive_error_string(a).map { String(cString: $0) } ?? "no error message"
    }

    /// Runs `body` with this thread's LC_CTYPE set to C.UTF-8 (uselocale, not the process-wide setlocale):
    /// libarchive converts names to the current locale, and in the default "C" locale every
    /// non-ASCII name of a UTF-8 zip would fail to convert.
    static func withUTF8Names<T>(_ body: () throws -> T) rethrows -> T {
        guard let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else { return try body() }
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        return try body()
    }
}
