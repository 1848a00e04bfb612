// Problem: one `problem.yml` (polygrader.problem/v1, docs/reference/problem-yml.md) as data.
import Sandbox

/// A native problem: submission rules, limits, tests, scoring and feedback.
public struct Problem: Sendable {
    public enum Visibility: String, Sendable, Codable { case visible, summary, hidden }
    public enum ScoringMode: String, Sendable { case sum, allOrNothing = "all-or-nothing", groups }
    public enum SubmissionSource: String, Sendable { case response, files, either }

    /// A checker configuration (docs/reference/problem-yml.md, "Checkers").
    public struct CheckerSpec: Sendable {
        public var type = "tokens"
        public var caseSensitive = true
        public var trailingWhitespaceIgnore = true
        public var trailingBlankLinesIgnore = true
        public var abs = 1e-6
        public var rel = 1e-6
        public var floatMode = "either"
        public var pattern: String?
        public var matchFull = true
        public var regexFlags = ""
        public var program: String?
        public var language: String?
        public var args: [String]?
        public var limits = LimitLayer()
    }

    /// Limits with per-language overrides.
    public struct LimitSpec: Sendable {
        public var base = LimitLayer()
        public var perLanguage: [String: LimitLayer] = [:]
    }

    /// One test run (a single, a glob match or a group member).
    public struct TestCase: Sendable {
        public var name: String
        public var group: String?
        public var input: String?          // problem-relative file
        public var stdin: String?
        public var output: String?         // problem-relative file
        public var expect: String?
        public var args: [String] = []
        public var files: [(box: String, path: String)] = []
        public var points: Double
        public var visibility: Visibility
        public var checker: CheckerSpec
        public var limits: [LimitSpec]
        public var dependsOn: [String]
        public var entry: String           // the entry name (glob name or test name), for depends_on
    }

    /// A unit-test suite (docs/reference/problem-yml.md, "Unit-test suites").
    public struct Suite: Sendable {
        public var name: String
        public var framework: String
        public var files: [String]
        public var expectTests: Int
        public var pointsPerTest: Double = 1
        public var weights: [(key: String, points: Double)] = []
        public var visibility: Visibility
        public var limits: [LimitSpec]
        public var dependsOn: [String]
    }

    /// A group (docs/reference/problem-yml.md, "Tests").
    public struct Group: Sendable {
        public var name: String
        public var points: Double
        public var allOrNothing: Bool
        public var dependsOn: [String]
        public var members: [String]
    }

    /// An item in run order.
    public enum Item: Sendable {
        case test(TestCase)
        case suite(Suite)
    }

    /// How the problem is graded (docs/reference/problem-yml.md, "Mode").
    public enum Mode: String, Sendable { case native, gradelib }

    public var directory: String
    public var file: String
    public var mode: Mode = .native
    /// `mode: gradelib`: the xqueue-watcher grader and its answer, relative to the problem directory.
    public var gradelibGrader = "grader.py"
    public var gradelibAnswer = "answer.py"
    /// Every regular file under `directory` (relative), listed once when the problem is loaded.
    public var files: [String] = []
    public var title: String
    public var languages: [String]?
    public var language: String?
    public var defaultLanguage: String?
    public var main: [String: String] = [:]
    public var mainAll: String?
    public var source: SubmissionSource = .either
    public var filename: String?
    public var filenamePerLanguage: [String: String] = [:]
    public var maxResponse: UInt64 = 64 << 10
    public var maxFiles = 50
    public var maxFileSize: UInt64 = 4 << 20
    public var maxTotalSize: UInt64 = 16 << 20
    public var requiredFiles: [String] = []
    public var ignore: [String] = ["__MACOSX/**", "**/.DS_Store"]
    public var archive = ArchiveSettings()
    public var supportFiles: [(glob: String, to: String, compile: Bool, run: Bool)] = []
    public var limits = LimitSpec()
    public var extraArgs: [String: [String]] = [:]
    public var extraArgsAll: [String] = []
    public var items: [Item] = []
    public var groups: [Group] = []
    public var select: [String]?
    public var scoringMode: ScoringMode = .sum
    public var passThreshold = 1.0
    public var maxPoints: Double?
    public var stopOnFailure = false
    public var hideOutput = false
    public var locale = "en"
    public var showCompileOutput = true
    public var showCompileWarnings = false
    public var maxChars = 2000
    /// The most bytes the whole `msg` may have (feedback.max_bytes).
    public var maxBytes = 65536
    public var diff = true
    public var showTimeMemory = true

    /// Archive caps (docs/reference/problem-yml.md, "Submission"), handed to Intake.
    public struct ArchiveSettings: Sendable {
        public var extract = true, maxEntries = 1000, maxUnpacked: UInt64 = 32 << 20, maxEntrySize: UInt64 = 8 << 20
        public var maxDepth = 8, maxPath = 255, nested = false, stripSingleRoot = true
    }

    /// The file name of a typed response for a language.
    public func responseFilename(for language: String) -> String? { filenamePerLanguage[language] ?? filename }
    /// `main` for a language.
    public func mainFor(_ language: String) -> String? { main[language] ?? mainAll }
    /// `compile.extra_args` for a language.
    public func extraArgs(for language: String) -> [String] { extraArgs[language] ?? extraArgsAll }
}
