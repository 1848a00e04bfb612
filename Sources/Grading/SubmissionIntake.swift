// SubmissionIntake: turns a submission into the learner's files: typed code under its file
// name, uploads checked by name, archives unpacked by Intake's rules, then `ignore` and
// `required_files` (docs/reference/problem-yml.md, "Submission").
import Foundation
import Sandbox
import Intake
import Languages

enum SubmissionIntake {
    static func files(_ input: SubmissionInput, problem: Problem, language: ResolvedLanguage) throws -> [SubmittedFile] {
        switch input {
        case let .response(data, _):
            guard data.count <= problem.maxResponse else {
                throw GradingError.submission("Your answer is too long (\(data.count) bytes; at most \(problem.maxResponse)).")
            }
            guard var text = String(data: data, encoding: .utf8) else {
                throw GradingError.submission("Your answer is not valid UTF-8 text.")
            }
            if !language.profile.source.keepNewlines { text = text.replacingOccurrences(of: "\r\n", with: "\n") }
            let mainClass = language.profile.source.detectMainClass
                ? LanguageRunner.detectMainClass(text: text, profile: language.profile) : language.profile.source.mainClassFallback
            let name = problem.responseFilename(for: language.profile.name)
                ?? Placeholders.expand(language.profile.source.defaultFilename, scalars: ["mainclass": mainClass.split(separator: ".").last.map(String.init) ?? mainClass])
            return [SubmittedFile(path: name, data: Data(text.utf8))]
        case let .files(uploads):
            guard uploads.count <= problem.maxFiles else { throw GradingError.submission("Too many files (\(uploads.count); at most \(problem.maxFiles)).") }
            var out: [SubmittedFile] = []
            var total: UInt64 = 0
            for u in uploads {
                try ArchiveExtractor.checkUploadName(u.path)
                total += UInt64(u.data.count)
                guard UInt64(u.data.count) <= problem.maxFileSize else {
                    throw GradingError.submission("The file \"\(u.path)\" is too large (at most \(problem.maxFileSize >> 10) KiB).")
                }
                if problem.archive.extract && ArchiveExtractor.isArchiveName(u.path) {
                    var limits = ArchiveLimits()
                    limits.maxEntries = problem.archive.maxEntries; limits.maxUnpacked = problem.archive.maxUnpacked
                    limits.maxEntrySize = problem.archive.maxEntrySize; limits.maxDepth = problem.archive.maxDepth
                    limits.maxPath = problem.archive.maxPath; limits.nested = problem.archive.nested
                    limits.stripSingleRoot = problem.archive.stripSingleRoot; limits.ignore = problem.ignore
                    // IntakeError passes through: ErrorPresentation knows which are the learner's (CE) and
                    // which are ours (libarchive unusable here: IE).
                    out += try ArchiveExtractor.extract(u.data, name: u.path, limits: limits)
                } else {
                    out.append(u)
                }
            }
            guard total <= problem.maxTotalSize else { throw GradingError.submission("The files are too large together (at most \(problem.maxTotalSize >> 20) MiB).") }
            out = out.filter { f in !problem.ignore.contains { PathGlob($0).matches(f.path) } }
            var seen = Set<String>()
            for f in out where !seen.insert(f.path).inserted { throw GradingError.submission("The file \"\(f.path)\" was submitted twice.") }
            return out
        }
    }

    /// Globs of `required_files` that match nothing, for a CE naming them.
    static func missingRequired(_ files: [SubmittedFile], problem: Problem) -> [String] {
        problem.requiredFiles.filter { g in !files.contains { PathGlob(g).matches($0.path) } }
    }

    /// File names used for language detection.
    static func names(_ input: SubmissionInput) -> [String] {
        switch input {
        case let .response(_, name): return name.map { [$0] } ?? []
        case let .files(f): return f.map(\.path)
        }
    }
}
