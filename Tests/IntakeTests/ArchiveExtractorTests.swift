// Good archives through the real libarchive: formats, modes, root stripping, ignore, nesting.
import Foundation
import Intake
import Testing

@Suite("Unpacking good archives")
struct ArchiveExtractorTests {
    static let sample: [TestEntry] = [
        .dir("src/"),
        .file("src/main.c", "int main(void) { return 0; }\n"),
        .file("run.sh", "#!/bin/sh\necho hi\n", mode: 0o755),
        .file("README", "read me\n"),
    ]

    static func paths(_ files: [SubmittedFile]) -> [String] { files.map(\.path) }

    @Test("every supported container gives the same files, sorted, with x bits as executable",
          arguments: [(ArchiveFormat.zip, ArchiveFilter.none), (.pax, .none), (.ustar, .none), (.pax, .gzip),
                      (.gnutar, .gzip), (.pax, .bzip2), (.pax, .xz)])
    func formats(format: ArchiveFormat, filter: ArchiveFilter) throws {
        let bytes = try ArchiveBuilder.build(Self.sample, format: format, filter: filter)
        let files = try ArchiveExtractor.extract(bytes, name: "upload", limits: ArchiveLimits())
        #expect(Self.paths(files) == ["README", "run.sh", "src/main.c"])
        #expect(files.map(\.executable) == [false, true, false])
        #expect(files[2].data == Data("int main(void) { return 0; }\n".utf8))
    }

    @Test("a lone top-level folder is stripped, and kept when strip_single_root is off")
    func stripSingleRoot() throws {
        let bytes = try ArchiveBuilder.build([.dir("proj/"), .file("proj/a.c", "a"), .file("proj/lib/b.c", "b")])
        #expect(Self.paths(try ArchiveExtractor.extract(bytes, name: "p.zip", limits: ArchiveLimits())) == ["a.c", "lib/b.c"])
        var keep = ArchiveLimits()
        keep.stripSingleRoot = false
        #expect(Self.paths(try ArchiveExtractor.extract(bytes, name: "p.zip", limits: keep)) == ["proj/a.c", "proj/lib/b.c"])
    }

    @Test("two top-level entries are not stripped")
    func noStripWithTwoRoots() throws {
        let bytes = try ArchiveBuilder.build([.file("proj/a.c", "a"), .file("notes.txt", "n")])
        #expect(Self.paths(try ArchiveExtractor.extract(bytes, name: "p.zip", limits: ArchiveLimits())) == ["notes.txt", "proj/a.c"])
    }

    @Test("__MACOSX and .DS_Store are dropped before the lone root is stripped")
    func ignoreThenStrip() throws {
        let bytes = try ArchiveBuilder.build([
            .file("proj/a.c", "a"), .file("proj/.DS_Store", "junk"), .file(".DS_Store", "junk"),
            .dir("__MACOSX/"), .file("__MACOSX/proj/._a.c", "apple double"),
        ])
        let files = try ArchiveExtractor.extract(bytes, name: "mac.zip", limits: ArchiveLimits())
        #expect(Self.paths(files) == ["a.c"])
    }

    @Test("author ignore globs drop matching files and everything under a matching folder")
    func authorIgnore() throws {
        var limits = ArchiveLimits()
        limits.ignore = ["*.o", "build", "**/__pycache__/**"]
        let bytes = try ArchiveBuilder.build([
            .file("main.o", "obj"), .file("main.c", "c"), .file("build/out", "x"), .file("lib/util.o", "kept: * stays in one part"),
            .file("pkg/__pycache__/m.pyc", "pyc"), .file("pkg/m.py", "py"),
        ])
        let files = try ArchiveExtractor.extract(bytes, name: "a.zip", limits: limits)
        #expect(Self.paths(files) == ["lib/util.o", "main.c", "pkg/m.py"])
    }

    @Test("a tar named .zip unpacks: the format comes from the bytes")
    func tarNamedZip() throws {
        let bytes = try ArchiveBuilder.build([.file("a.c", "a")], format: .pax, filter: .gzip)
        let files = try ArchiveExtractor.extract(bytes, name: "actually-a-tar.zip", limits: ArchiveLimits())
        #expect(files == [SubmittedFile(path: "a.c", data: Data("a".utf8))])
    }

    @Test("a zip inside a zip stays a file when nested is off")
    func nestedStaysFile() throws {
        let inner = try ArchiveBuilder.build([.file("x.c", "x")])
        let outer = try ArchiveBuilder.build([.data("lib/util.zip", inner), .file("main.c", "m")])
        let files = try ArchiveExtractor.extract(outer, name: "outer.zip", limits: ArchiveLimits())
        #expect(Self.paths(files) == ["lib/util.zip", "main.c"])
        #expect(files[0].data == inner)
    }

    @Test("with nested on, an inner archive unpacks into a folder named by its stem")
    func nestedUnpacks() throws {
        let inner = try ArchiveBuilder.build([.file("x.c", "x"), .file("deep/y.c", "y")], format: .pax, filter: .gzip)
        let outer = try ArchiveBuilder.build([.data("lib/util.tar.gz", inner), .file("main.c", "m")])
        var limits = ArchiveLimits()
        limits.nested = true
        let files = try ArchiveExtractor.extract(outer, name: "outer.zip", limits: limits)
        #expect(Self.paths(files) == ["lib/util/deep/y.c", "lib/util/x.c", "main.c"])
    }

    @Test("with nested on, the inner archive's entries obey the same rules")
    func nestedHostile() throws {
        let inner = try ArchiveBuilder.build([.file("../escape.c", "x")], format: .pax)
        let outer = try ArchiveBuilder.build([.data("inner.tar", inner)])
        var limits = ArchiveLimits()
        limits.nested = true
        #expect(throws: IntakeError.entryRejected(archive: "outer.zip/inner.tar", entry: "../escape.c", rule: .parentDirectory)) {
            try ArchiveExtractor.extract(outer, name: "outer.zip", limits: limits)
        }
    }

    @Test("UTF-8 names survive in zip and tar", arguments: [ArchiveFormat.zip, .pax])
    func utf8Names(format: ArchiveFormat) throws {
        let bytes = try ArchiveBuilder.build([.file("café/naïve ü.c", "x"), .file("日本.txt", "y")], format: format)
        let files = try ArchiveExtractor.extract(bytes, name: "u", limits: ArchiveLimits())
        #expect(Set(Self.paths(files)) == ["café/naïve ü.c", "日本.txt"])
    }

    @Test("setuid, setgid and sticky bits are masked, never a reason to reject", arguments: [ArchiveFormat.zip, .pax])
    func setuidMasked(format: ArchiveFormat) throws {
        let bytes = try ArchiveBuilder.build([
            .file("suid-exec", "x", mode: 0o6755), .file("suid-plain", "y", mode: 0o4644), .file("sticky", "z", mode: 0o1600),
        ], format: format)
        let files = try ArchiveExtractor.extract(bytes, name: "modes", limits: ArchiveLimits())
        #expect(Self.paths(files) == ["sticky", "suid-exec", "suid-plain"])
        #expect(files.map(\.executable) == [false, true, false])
    }

    @Test("a repeated folder entry and a leading ./ are harmless")
    func repeatedFolder() throws {
        let bytes = try ArchiveBuilder.build([.dir("./"), .dir("./src/"), .dir("src"), .file("./src/a.c", "a"), .file("b.c", "b")], format: .pax)
        #expect(Self.paths(try ArchiveExtractor.extract(bytes, name: "t.tar", limits: ArchiveLimits())) == ["b.c", "src/a.c"])
    }

    @Test("an empty but valid archive gives no files", arguments: [ArchiveFormat.zip, .pax])
    func emptyArchive(format: ArchiveFormat) throws {
        let bytes = try ArchiveBuilder.build([], format: format)
        #expect(try ArchiveExtractor.extract(bytes, name: "e", limits: ArchiveLimits()).isEmpty)
    }

    @Test("a zip of only folders gives no files")
    func onlyFolders() throws {
        let bytes = try ArchiveBuilder.build([.dir("a/"), .dir("a/b/")])
        #expect(try ArchiveExtractor.extract(bytes, name: "d.zip", limits: ArchiveLimits()).isEmpty)
    }

    @Test("paths at exactly max_depth and max_path are accepted")
    func boundaries() throws {
        let eight = (1...7).map { "d\($0)" }.joined(separator: "/") + "/f.c"
        let long = String(repeating: "n", count: 255)
        let bytes = try ArchiveBuilder.build([.file(eight, "x"), .file(long, "y")], format: .pax)
        var limits = ArchiveLimits()
        limits.stripSingleRoot = false
        let files = try ArchiveExtractor.extract(bytes, name: "b.tar", limits: limits)
        #expect(Set(Self.paths(files)) == [eight, long])
    }
}
