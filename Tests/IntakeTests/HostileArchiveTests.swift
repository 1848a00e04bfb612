// The hostile archive battery (docs/security.md, "Archives"), each built at run time: every one rejects the whole
// upload.
import Foundation
import Intake
import Testing

@Suite("Hostile archives")
struct HostileArchiveTests {
    static func extract(_ bytes: Data, _ name: String = "src.zip", limits: ArchiveLimits = ArchiveLimits()) -> IntakeError? {
        intakeError { try ArchiveExtractor.extract(bytes, name: name, limits: limits) }
    }

    static func rule(_ entries: [TestEntry], format: ArchiveFormat = .zip) throws -> IntakeError.EntryRule? {
        let bytes = try ArchiveBuilder.build(entries + [.file("fine.c", "ok")], format: format)
        guard case let .entryRejected(_, _, rule) = extract(bytes) else { return nil }
        return rule
    }

    @Test("an entry named ../evil.c is rejected with a message naming it and the rule")
    func parentDirectory() throws {
        let bytes = try ArchiveBuilder.build([.file("ok.c", "x"), .file("../evil.c", "x")])
        let error = try #require(Self.extract(bytes))
        #expect(error == .entryRejected(archive: "src.zip", entry: "../evil.c", rule: .parentDirectory))
        #expect(error.learnerMessage == "Your archive \"src.zip\" was rejected: the entry \"../evil.c\" leaves the archive folder (\"..\").")
    }

    @Test("a .. hidden in the middle, or behind a combining mark after the slash, is still ..",
          arguments: ["a/../../etc/x", "../\u{301}x", "./.."])
    func parentDirectoryHidden(name: String) throws {
        #expect(try Self.rule([.file(name, "x")], format: .pax) == .parentDirectory)
    }

    @Test("an absolute path is rejected", arguments: [ArchiveFormat.zip, .pax])
    func absolute(format: ArchiveFormat) throws {
        #expect(try Self.rule([.file("/etc/cron.d/evil", "x")], format: format) == .absolutePath)
    }

    @Test("a symlink is rejected, in zip and tar", arguments: [ArchiveFormat.zip, .pax])
    func symlink(format: ArchiveFormat) throws {
        #expect(try Self.rule([.special("link", .symlink("/etc/passwd"))], format: format) == .symlink(target: "/etc/passwd"))
    }

    @Test("a symlink followed by a file through it is rejected at the link")
    func symlinkThenFile() throws {
        let bytes = try ArchiveBuilder.build([.special("out", .symlink("/tmp")), .file("out/pwned", "x")], format: .pax)
        #expect(Self.extract(bytes) == .entryRejected(archive: "src.zip", entry: "out", rule: .symlink(target: "/tmp")))
    }

    @Test("a hard link is rejected, even to a file in the archive", arguments: ["/etc/shadow", "fine.c"])
    func hardlink(target: String) throws {
        #expect(try Self.rule([.file("a.c", "x"), .special("h", .hardlink(target))], format: .pax) == .hardlink(target: target))
    }

    @Test("character and block devices are rejected", arguments: [TestEntry.Kind.charDevice, .blockDevice])
    func device(kind: TestEntry.Kind) throws {
        #expect(try Self.rule([.special("dev/null", kind)], format: .pax) == .device)
    }

    @Test("a FIFO is rejected")
    func fifo() throws {
        #expect(try Self.rule([.special("pipe", .fifo)], format: .ustar) == .fifo)
    }

    @Test("a zip bomb (100 MiB of zeros in ~100 KiB) is stopped at the per-file cap while reading")
    func zipBomb() throws {
        let bytes = try ArchiveBuilder.build([.zeros("zeros.bin", 100 << 20)])
        #expect(bytes.count < 1 << 20)
        #expect(Self.extract(bytes, "bomb.zip") == .entryRejected(archive: "bomb.zip", entry: "zeros.bin", rule: .fileTooLarge(limit: 8 << 20)))
    }

    @Test("files each under the per-file cap are stopped at the total cap")
    func totalCap() throws {
        let bytes = try ArchiveBuilder.build((1...5).map { .zeros("part\($0)", 7 << 20) }, format: .pax, filter: .gzip)
        #expect(Self.extract(bytes, "many.tgz") == .archiveTooLarge(archive: "many.tgz", limit: 32 << 20))
    }

    @Test("a zip whose headers claim 1000 bytes for 9 MiB is stopped by counting, not by the header")
    func lyingHeader() throws {
        var bytes = try ArchiveBuilder.build([.zeros("liar.bin", 9 << 20)])
        // Patch the uncompressed size in the local header (offset 22) and the central directory (offset 24).
        func put(_ value: UInt32, at offset: Int) {
            for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
        }
        put(1000, at: 22)
        let central = try #require(Self.find([0x50, 0x4B, 0x01, 0x02], in: bytes))
        put(1000, at: central + 24)
        #expect(Self.extract(bytes, "liar.zip") == .entryRejected(archive: "liar.zip", entry: "liar.bin", rule: .fileTooLarge(limit: 8 << 20)))
        var small = ArchiveLimits()
        small.maxEntrySize = 1 << 20
        #expect(Self.extract(bytes, "liar.zip", limits: small) == .entryRejected(archive: "liar.zip", entry: "liar.bin", rule: .fileTooLarge(limit: 1 << 20)))
    }

    static func find(_ needle: [UInt8], in data: Data) -> Int? {
        let bytes = [UInt8](data)
        return stride(from: bytes.count - needle.count, through: 0, by: -1).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    @Test("twenty thousand entries are stopped at max_entries")
    func tooManyEntries() throws {
        let bytes = try ArchiveBuilder.build((0..<20_000).map { .file("f\($0)", "") }, format: .pax, filter: .gzip)
        #expect(Self.extract(bytes, "flood.tgz") == .tooManyEntries(archive: "flood.tgz", limit: 1000))
    }

    @Test("a path nine levels deep is rejected")
    func tooDeep() throws {
        let nine = (1...8).map { "d\($0)" }.joined(separator: "/") + "/f.c"
        #expect(try Self.rule([.file(nine, "x")]) == .tooDeep(depth: 9, limit: 8))
    }

    @Test("a 300-byte name is rejected")
    func tooLong() throws {
        #expect(try Self.rule([.file(String(repeating: "x", count: 300), "x")], format: .pax) == .pathTooLong(bytes: 300, limit: 255))
    }

    @Test("a name given twice is rejected, never last-wins", arguments: [ArchiveFormat.zip, .pax])
    func duplicate(format: ArchiveFormat) throws {
        #expect(try Self.rule([.file("a.c", "first"), .file("a.c", "second")], format: format) == .duplicate)
    }

    @Test("./a.c and a.c are the same path")
    func duplicateAfterNormalising() throws {
        #expect(try Self.rule([.file("a.c", "first"), .file("./a.c", "second")], format: .pax) == .duplicate)
    }

    @Test("a path that is both a file and a folder is rejected")
    func fileAndFolder() throws {
        #expect(try Self.rule([.file("a", "file"), .file("a/b.c", "x")], format: .pax) == .fileAndFolder(path: "a"))
        #expect(try Self.rule([.dir("x/"), .file("x", "file")], format: .pax) == .fileAndFolder(path: "x"))
    }

    @Test("a name with a newline is rejected, and the message shows it escaped")
    func newline() throws {
        let bytes = try ArchiveBuilder.build([.file("evil\nname.c", "x")], format: .pax)
        let error = try #require(Self.extract(bytes))
        #expect(error == .entryRejected(archive: "src.zip", entry: "evil\nname.c", rule: .controlCharacter))
        #expect(error.learnerMessage.contains("\"evil\\nname.c\""))
        #expect(!error.learnerMessage.contains("\n"))
    }

    @Test("a name that is not valid UTF-8 is rejected", arguments: [ArchiveFormat.ustar, .zip])
    func invalidUTF8(format: ArchiveFormat) throws {
        let bytes = try ArchiveBuilder.build([TestEntry(name: [0x61, 0xFF, 0xFE, 0x2E, 0x63], kind: .file(Data("x".utf8)))], format: format)
        guard case .entryRejected(_, _, .invalidUTF8) = Self.extract(bytes) else {
            Issue.record("expected invalidUTF8, got \(String(describing: Self.extract(bytes)))")
            return
        }
    }

    @Test("empty or . parts inside a path are rejected", arguments: ["a//b.c", "a/./b.c"])
    func emptyPart(name: String) throws {
        #expect(try Self.rule([.file(name, "x")], format: .pax) == .emptyPart)
    }

    @Test("a path part starting with - or @ is rejected: a compiler would read it as an option or a response file",
          arguments: ["-Bp/.c", "src/@r.c", "-fplugin=x.so", "a/-/b.c", "@args"])
    func optionLike(name: String) throws {
        #expect(try Self.rule([.file(name, "x")], format: .pax) == .optionLike)
        #expect(try Self.rule([.file(name, "x")], format: .zip) == .optionLike)
    }

    @Test("the learner reads why an option-like entry was rejected")
    func optionLikeMessage() {
        #expect(IntakeError.entryRejected(archive: "a.tar", entry: "-Bp/.c", rule: .optionLike).learnerMessage
                == "Your archive \"a.tar\" was rejected: the entry \"-Bp/.c\" has a part starting with \"-\" or \"@\" (a compiler would read it as an option).")
    }

    @Test("random bytes named .zip are not an archive")
    func randomBytes() {
        guard case .notAnArchive(archive: "noise.zip", _) = Self.extract(noise(4096), "noise.zip") else {
            Issue.record("expected notAnArchive"); return
        }
    }

    @Test("plain text named .tar and an empty file are not archives")
    func textAndEmpty() {
        guard case .notAnArchive = Self.extract(Data("int main(void) { return 0; }\n".utf8), "main.tar"),
              case .notAnArchive = Self.extract(Data(), "empty.zip") else {
            Issue.record("expected notAnArchive"); return
        }
    }

    @Test("a gzip of plain text named .tar.gz is not an archive (no raw format)")
    func gzipOfText() throws {
        let gz = try ArchiveBuilder.build([.file("main.c", String(repeating: "int main(void) { return 0; }\n", count: 50))],
                                          format: .raw, filter: .gzip)
        #expect(gz.starts(with: [0x1F, 0x8B]))
        guard case .notAnArchive = Self.extract(gz, "main.tar.gz") else { Issue.record("expected notAnArchive"); return }
    }

    @Test("a tar with a broken header checksum is not read as a tar")
    func badChecksum() throws {
        var tar = try ArchiveBuilder.build([.data("x", noise(2048))], format: .ustar)
        for i in 148..<156 { tar[i] = 0x41 }
        guard case .notAnArchive = Self.extract(tar, "broken.tar") else { Issue.record("expected notAnArchive"); return }
    }

    @Test("a truncated archive is rejected as damaged, nothing returned",
          arguments: [(ArchiveFormat.pax, ArchiveFilter.gzip), (.zip, .none), (.pax, .xz), (.pax, .bzip2)])
    func truncated(format: ArchiveFormat, filter: ArchiveFilter) throws {
        let bytes = try ArchiveBuilder.build([.data("a.bin", noise(40_000)), .data("b.bin", noise(40_000, seed: 7))],
                                             format: format, filter: filter)
        guard case .damagedArchive(archive: "cut", _) = Self.extract(bytes.prefix(bytes.count * 6 / 10), "cut") else {
            Issue.record("expected damagedArchive, got \(String(describing: Self.extract(bytes.prefix(bytes.count * 6 / 10), "cut")))")
            return
        }
    }

    @Test("a zip cut inside its central directory is rejected, though every file in it is whole")
    func truncatedCentralDirectory() throws {
        let bytes = try ArchiveBuilder.build([.file("a.c", "a"), .file("b.c", "b")])
        let central = try #require(Self.find([0x50, 0x4B, 0x01, 0x02], in: bytes))
        guard case .damagedArchive = Self.extract(bytes.prefix(central + 10)) else { Issue.record("expected damagedArchive"); return }
    }

    @Test("a zip entry whose bytes fail their CRC is rejected")
    func badCRC() throws {
        var bytes = try ArchiveBuilder.build([.data("a.bin", noise(50_000))])
        bytes[25_000] ^= 0xFF
        guard case .damagedArchive(archive: "bad.zip", _) = Self.extract(bytes, "bad.zip") else {
            Issue.record("expected damagedArchive, got \(String(describing: Self.extract(bytes, "bad.zip")))"); return
        }
    }
}
