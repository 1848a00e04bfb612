// Grading through the jail's in-memory twin: the shipped languages resolved on the host without a
// self-test, a ReplayJail answering every run. No root, no jail: scoring, checkers and feedback alone.
import Foundation
import Grading
import Languages
import Sandbox

enum Replay {
    static let runnerForRegistry = LanguageRunner(jail: ReplayJail { _ in .init(RunResult(status: .OK)) }, sandboxes: G.sandboxes)
    static let registry = Task {
        await LanguageRegistry.load(directory: G.root + "/languages", sandboxes: G.sandboxes, runner: runnerForRegistry, selfTest: .never)
    }

    /// A Grader whose jail answers with `answer`; the jail is returned to read the requests it got.
    static func grader(_ answer: @escaping @Sendable (RunRequest) -> ReplayJail.Answer,
                       legacy: LegacySettings = LegacySettings(supportDirectory: G.root + "/support/python")) async -> (Grader, ReplayJail) {
        let jail = ReplayJail(answer: answer)
        let grader = Grader(runner: LanguageRunner(jail: jail, sandboxes: G.sandboxes), registry: await registry.value, legacy: legacy)
        return (grader, jail)
    }

    /// True when the request is a compile step (its argv runs a compiler or py_compile).
    static func isCompile(_ r: RunRequest) -> Bool {
        r.argv.contains("py_compile") || r.collectInto != nil && r.argv.contains { $0.hasSuffix("gcc") || $0.contains("gcc-") || $0.hasSuffix("javac") }
    }
}
