// ArchiveExtractor: the public face of archive intake: which uploads are archives, plain upload
// names, and unpacking in memory into checked files (docs/reference/problem-yml.md, "Submission", and docs/security.md,
// "Archives").
import Foundation
import Sandbox

/// Unpacks learner archives in memory under the rules and caps of docs/reference/problem-yml.md, "Submission".
public enum ArchiveExtractor {
    /// The names docs/reference/problem-yml.md, "Submission" unpacks; a bare ".gz" or a ".jar" stays a file.
    static let suffixes = [".tar.bz2", ".tar.gz", ".tar.xz", ".tbz2", ".tgz", ".txz", ".zip", ".tar"]

    /// Whether an upload name says "unpack me": .zip .tar .tar.gz/.tgz .tar.bz2/.tbz2 .tar.xz/.txz, any case.
    public static func isArchiveName(_ name: String) -> Bool {
        archiveSuffix(name) != nil
    }

    /// Unpacks `data` in memory (the format comes from the bytes, `name` only labels errors); nothing
    /// is accepted unless every entry passes, and a damaged or truncated archive is an error.
    public static func extract(_ data: Data, name: String, limits: ArchiveLimits) throws -> [SubmittedFile] {
        var budget = ArchiveBudget()
        var entries = try ArchiveReader.read(data, archive: name, prefix: "", limits: limits, budget: &budget)
        if limits.nested { entries = try expandingNested(entries, archive: name, limits: limits, budget: &budget) }
        return try ArchiveLayout.files(entries, archive: name, limits: limits)
    }

    /// Checks a plain uploaded file name (no "/", NUL, control chars, not "." or "..", not starting
    /// with "-" or "@", ≤ 255 bytes).
    public static func checkUploadName(_ name: String) throws {
        func fail(_ problem: IntakeError.UploadNameProblem) -> IntakeError { .badUploadName(name: name, problem: problem) }
        if name.isEmpty { throw fail(.empty) }
        if name.utf8.contains(0) { throw fail(.nul) }
        if name.utf8.contains(UInt8(ascii: "/")) { throw fail(.slash) }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { throw fail(.controlCharacter) }
        if name.utf8.elementsEqual(".".utf8) || name.utf8.elementsEqual("..".utf8) { throw fail(.dotName) }
        if hasOptionLikePart(name) { throw fail(.optionLike) }
        if name.utf8.count > 255 { throw fail(.tooLong(bytes: name.utf8.count)) }
    }

    /// The archive suffix `name` ends with, compared byte-wise with ASCII case folding only.
    static func archiveSuffix(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        return suffixes.first { suffix in
            let s = Array(suffix.utf8)
            guard bytes.count >= s.count else { return false }
            return zip(bytes.suffix(s.count), s).allSatisfy { b, c in (b >= 0x41 && b <= 0x5A ? b + 0x20 : b) == c }
        }
    }

    /// With `nested`, each inner archive becomes a folder named by its stem ("lib/util.zip" → "lib/util/"),
    /// one level only, sharing the outer archive's entry and byte budget. Ignored entries are not opened:
    /// "__MACOSX/._x.zip" is Apple metadata, not a zip.
    static func expandingNested(_ entries: [ArchiveEntry], archive: String, limits: ArchiveLimits,
                                budget: inout ArchiveBudget) throws -> [ArchiveEntry] {
        let globs = limits.ignore.map(PathGlob.init)
        var out: [ArchiveEntry] = []
        for entry in entries {
            guard !entry.isDirectory, let suffix = archiveSuffix(entry.path),
                  !ArchiveLayout.ignored(entry.path, globs) else {
                out.append(entry)
                continue
            }
            var folder = String(decoding: entry.path.utf8.dropLast(suffix.utf8.count), as: UTF8.self)
            if folder.isEmpty || folder.utf8.last == UInt8(ascii: "/") { folder = entry.path }
            out.append(ArchiveEntry(path: folder, stored: entry.stored, isDirectory: true))
            out += try ArchiveReader.read(entry.data, archive: archive + "/" + entry.path, prefix: folder,
                                          limits: limits, budget: &budget)
        }
        return out
    }
}
