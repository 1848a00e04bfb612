// ArchiveLayout: from checked entries to the files a box gets: duplicates refused, `ignore` applied,
// a lone root folder stripped, sorted (docs/reference/problem-yml.md, "Submission", in that order).
import Sandbox

enum ArchiveLayout {
    /// The files of `entries`, or the first path conflict as an error.
    static func files(_ entries: [ArchiveEntry], archive: String, limits: ArchiveLimits) throws -> [SubmittedFile] {
        try checkUnique(entries, archive: archive)
        let globs = limits.ignore.map(PathGlob.init)
        var files = entries.filter { !$0.isDirectory && !ignored($0.path, globs) }
            .map { SubmittedFile(path: $0.path, data: $0.data, executable: $0.executable) }
        if limits.stripSingleRoot { files = strippingSingleRoot(files) }
        // Byte order, so the result never depends on Unicode collation.
        return files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// A path given twice is refused, never "last wins": the graded file would be a guess. A folder
    /// implied by a file path counts as a folder, so "a" and "a/b" cannot both be files.
    static func checkUnique(_ entries: [ArchiveEntry], archive: String) throws {
        var files = Set<String>(), folders = Set<String>()
        for entry in entries {
            func reject(_ rule: IntakeError.EntryRule) -> IntakeError {
                .entryRejected(archive: archive, entry: entry.stored, rule: rule)
            }
            for folder in EntryPath.ancestors(entry.path) {
                if files.contains(folder) { throw reject(.fileAndFolder(path: folder)) }
                folders.insert(folder)
            }
            if entry.isDirectory {
                if files.contains(entry.path) { throw reject(.fileAndFolder(path: entry.path)) }
                folders.insert(entry.path)
            } else {
                if files.contains(entry.path) { throw reject(.duplicate) }
                if folders.contains(entry.path) { throw reject(.fileAndFolder(path: entry.path)) }
                files.insert(entry.path)
            }
        }
    }

    /// Whether a glob matches the path or one of its folders ("__MACOSX" drops everything under it).
    static func ignored(_ path: String, _ globs: [PathGlob]) -> Bool {
        let candidates = EntryPath.ancestors(path) + [path]
        return globs.contains { glob in candidates.contains { glob.matches($0) } }
    }

    /// Drops the first part when every file sits under the same top-level folder.
    static func strippingSingleRoot(_ files: [SubmittedFile]) -> [SubmittedFile] {
        guard let first = files.first, let root = EntryPath.components(first.path).first else { return files }
        let prefix = Array((root + "/").utf8)
        guard files.allSatisfy({ $0.path.utf8.starts(with: prefix) }) else { return files }
        return files.map { file in
            var file = file
            file.path = String(decoding: file.path.utf8.dropFirst(prefix.count), as: UTF8.self)
            return file
        }
    }
}
