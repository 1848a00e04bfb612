// BoxLayout: the learner's files checked against the files the problem puts beside them in a box
// (support files, unit-test files, test files), before anything is staged. A clash would otherwise
// fail while the box is filled, as an internal error; it is the learner's to fix, so it is a CE
// naming the file (docs/problems.md, "Learner file names").
import Languages
import Sandbox

enum BoxLayout {
    /// The learner-facing reason the learner's `paths` cannot share a box with the problem's files, or nil.
    /// A learner file at exactly a problem file's path is not a clash: the problem's copy replaces it.
    static func conflict(learner paths: [String], problem: Problem, language: ResolvedLanguage) -> String? {
        if let message = LanguageRunner.layoutProblem(paths) { return message }
        var theirs = SupportFiles.list(problem).map(\.box) + suiteBoxPaths(problem)
        // Test files enter run boxes; learner files do too when the language runs its sources.
        let keepsSources = language.profile.compile.map { $0.artifacts.contains("{sources}") } ?? true
        if keepsSources {
            for case .test(let t) in problem.items { theirs += t.files.map(\.box) }
        }
        for mine in paths {
            for other in theirs where mine != other {
                if other.hasPrefix(mine + "/") {
                    return "Your file \(LanguageRunner.quotedName(mine)) cannot be used: the problem puts its own folder there (for \(LanguageRunner.quotedName(other)))."
                }
                if mine.hasPrefix(other + "/") {
                    return "Your file \(LanguageRunner.quotedName(mine)) cannot be used: the problem puts its own file \(LanguageRunner.quotedName(other)) where your folder is."
                }
            }
        }
        return nil
    }

    /// Where each unit-test file of the problem lands in the box.
    static func suiteBoxPaths(_ problem: Problem) -> [String] {
        problem.items.flatMap { item -> [String] in
            guard case .suite(let s) = item else { return [] }
            return s.files.flatMap { g in problem.files.filter { PathGlob(g).matches($0) }.map { SupportFiles.boxPath(glob: g, rel: $0, to: "") } }
        }
    }

    /// The learner's files that a support or unit-test file replaces (docs/reference/problem-yml.md, "Support files":
    /// the feedback says so).
    static func replaced(learner paths: [String], problem: Problem) -> [String] {
        let theirs = Set(SupportFiles.list(problem).map(\.box) + suiteBoxPaths(problem))
        return paths.filter { theirs.contains($0) }
    }
}
