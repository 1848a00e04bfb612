// ArchiveBuilder: writes test archives at run time with libarchive's write API, hostile ones included
// (links, devices, FIFOs, absolute and ../ names, raw name bytes, setuid modes, bombs).
import CArchive
import Foundation
import Intake
#if canImport(Glibc)
import Glibc
#endif

/// One entry to write; `name` is raw bytes so tests can store invalid UTF-8.
struct TestEntry {
    enum Kind {
        case file(Data)
        case zeros(Int)
        case directory
        case symlink(String)
        case hardlink(String)
        case charDevice, blockDevice, fifo
    }
    var name: [UInt8]
    var kind: Kind
    var mode: UInt32 = 0o644

    static func file(_ name: String, _ text: String, mode: UInt32 = 0o644) -> TestEntry {
        TestEntry(name: Array(name.utf8), kind: .file(Data(text.utf8)), mode: mode)
    }
    static func data(_ name: String, _ data: Data) -> TestEntry {
        TestEntry(name: Array(name.utf8), kind: .file(data))
    }
    static func zeros(_ name: String, _ count: Int) -> TestEntry {
        TestEntry(name: Array(name.utf8), kind: .zeros(count))
    }
    static func dir(_ name: String) -> TestEntry {
        TestEntry(name: Array(name.utf8), kind: .directory, mode: 0o755)
    }
    static func special(_ name: String, _ kind: Kind) -> TestEntry {
        TestEntry(name: Array(name.utf8), kind: kind)
    }
}

enum ArchiveFormat: String, CustomStringConvertible {
    case zip, pax, ustar, gnutar, raw
    var description: String { rawValue }
}

enum ArchiveFilter: String, CustomStringConvertible {
    case none, gzip, bzip2, xz
    var description: String { rawValue }
}

struct BuildError: Error, CustomStringConvertible {
    var description: String
}

enum ArchiveBuilder {
    private final class Sink { var data = Data() }

    /// The archive bytes for `entries`, in `format`, through `filter`.
    static func build(_ entries: [TestEntry], format: ArchiveFormat = .zip, filter: ArchiveFilter = .none) throws -> Data {
        // The zip writer flags names as UTF-8 only when the current locale is UTF-8.
        let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)
        let previous = utf8.map { uselocale($0) }
        defer { if let utf8, let previous { uselocale(previous); freelocale(utf8) } }

        guard let a = archive_write_new() else { throw BuildError(description: "archive_write_new") }
        defer { archive_write_free(a) }
        func check(_ r: Int32, _ what: String) throws {
            if r < ARCHIVE_WARN { throw BuildError(description: "\(what): \(String(cString: archive_error_string(a)))") }
        }
        switch format {
        case .zip: try check(archive_write_set_format_zip(a), "zip")
        case .pax: try check(archive_write_set_format_pax_restricted(a), "pax")
        case .ustar: try check(archive_write_set_format_ustar(a), "ustar")
        case .gnutar: try check(archive_write_set_format_gnutar(a), "gnutar")
        case .raw: try check(archive_write_set_format_raw(a), "raw")
        }
        switch filter {
        case .none: break
        case .gzip: try check(archive_write_add_filter_gzip(a), "gzip")
        case .bzip2: try check(archive_write_add_filter_bzip2(a), "bzip2")
        case .xz: try check(archive_write_add_filter_xz(a), "xz")
        }
        archive_write_set_bytes_in_last_block(a, 1)
        let sink = Sink()
        try withExtendedLifetime(sink) {
            try check(archive_write_open(a, Unmanaged.passUnretained(sink).toOpaque(), nil, { _, context, buffer, length in
                let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
                sink.data.append(buffer!.assumingMemoryBound(to: UInt8.self), count: length)
                return la_ssize_t(length)
            }, nil), "open")
            for spec in entries { try write(spec, to: a, check: check) }
            try check(archive_write_close(a), "close")
        }
        return sink.data
    }

    private static func write(_ spec: TestEntry, to a: OpaquePointer, check: (Int32, String) throws -> Void) throws {
        guard let entry = archive_entry_new() else { throw BuildError(description: "archive_entry_new") }
        defer { archive_entry_free(entry) }
        (spec.name.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { archive_entry_copy_pathname(entry, $0.baseAddress) }
        archive_entry_set_mtime(entry, 1_700_000_000, 0)
        var size = 0
        switch spec.kind {
        case let .file(data): size = data.count; archive_entry_set_mode(entry, 0o100000 | spec.mode)
        case let .zeros(count): size = count; archive_entry_set_mode(entry, 0o100000 | spec.mode)
        case .directory: archive_entry_set_mode(entry, 0o040000 | spec.mode)
        case let .symlink(target): archive_entry_set_mode(entry, 0o120777); archive_entry_set_symlink(entry, target)
        case let .hardlink(target): archive_entry_set_mode(entry, 0o100000 | spec.mode); archive_entry_set_hardlink(entry, target)
        case .charDevice, .blockDevice:
            archive_entry_set_mode(entry, (spec.kind.isChar ? 0o020000 : 0o060000) | spec.mode)
            archive_entry_set_rdevmajor(entry, 1)
            archive_entry_set_rdevminor(entry, 3)
        case .fifo: archive_entry_set_mode(entry, 0o010000 | spec.mode)
        }
        archive_entry_set_size(entry, la_int64_t(size))
        try check(archive_write_header(a, entry), "header \(String(decoding: spec.name, as: UTF8.self))")
        switch spec.kind {
        case let .file(data):
            try data.withUnsafeBytes { raw in
                if raw.count > 0 { try check(Int32(clamping: archive_write_data(a, raw.baseAddress, raw.count)), "data") }
            }
        case var .zeros(left):
            let chunk = [UInt8](repeating: 0, count: 1 << 20)
            while left > 0 {
                let n = min(left, chunk.count)
                try check(Int32(clamping: archive_write_data(a, chunk, n)), "data")
                left -= n
            }
        default: break
        }
    }
}

extension TestEntry.Kind {
    var isChar: Bool { if case .charDevice = self { return true } else { return false } }
}

/// Deterministic incompressible bytes, so a cut in the middle lands inside file data.
func noise(_ count: Int, seed: UInt64 = 42) -> Data {
    var state = seed
    var out = Data(capacity: count)
    for _ in 0..<count {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        out.append(UInt8(truncatingIfNeeded: state >> 56))
    }
    return out
}

/// The error `body` throws as an IntakeError, or nil when it returns (the test then fails on the nil).
func intakeError(_ body: () throws -> [SubmittedFile]) -> IntakeError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? IntakeError
    }
}
