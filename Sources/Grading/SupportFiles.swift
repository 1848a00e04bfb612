// SupportFiles: the problem files placed beside the learner's (docs/reference/problem-yml.md, "Support files"), read
// only through
// ProblemFiles and handed to the jail as bytes.
import Foundation
import Intake
import Languages
import Sandbox

/// Support files (docs/reference/problem-yml.md, "Support files"): globs of the problem placed relative to their fixed
/// prefix.
enum SupportFiles {
    /// `rel` is the problem-relative path; it is read only through ProblemFiles.
    struct File { let box: String; let rel: String; let compile: Bool; let run: Bool }

    static func list(_ p: Problem) -> [File] {
        var out: [File] = []
        for s in p.supportFiles {
            for rel in p.files where PathGlob(s.glob).matches(rel) {
                out.append(File(box: boxPath(glob: s.glob, rel: rel, to: s.to), rel: rel, compile: s.compile, run: s.run))
            }
        }
        return out
    }

    /// `files/util.h` → `util.h`; under `to` if given.
    static func boxPath(glob: String, rel: String, to: String) -> String {
        let parts = glob.split(separator: "/")
        let fixed = parts.prefix { !$0.contains("*") && !$0.contains("?") && !$0.contains("[") }
        let fixedDirs = fixed.count == parts.count ? fixed.dropLast().count : fixed.count
        let tail = rel.split(separator: "/").dropFirst(fixedDirs).joined(separator: "/")
        return to.isEmpty ? tail : to + "/" + tail
    }

    /// Learner files with support files on top (a support file replaces a learner file of the same path).
    static func merge(learner: [SubmittedFile], support: [File], problem: Problem) throws -> [SourceFile] {
        var out = learner.map { SourceFile(path: $0.path, data: $0.data, executable: $0.executable) }
        for s in support {
            let data = try ProblemFiles.read(s.rel, in: problem.directory)
            out.removeAll { $0.path == s.box }
            out.append(SourceFile(path: s.box, data: data))
        }
        return out
    }
}
