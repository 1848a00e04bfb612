// LanguageProfile: one `languages/NAME.yml` (polygrader.language/v1, docs/reference/language-profiles.md), as data.
import Sandbox

/// A toolchain profile: how to find, compile, run and self-test one language.
public struct LanguageProfile: Sendable {
    /// `toolchain.KEY` (docs/reference/language-profiles.md, "Toolchain resolution").
    public struct Tool: Sendable {
        public var search: [String]
        public var resolve: [String]?
        public var exec: String?
        public var optional = false
    }
    /// `version` (docs/reference/language-profiles.md, "Version").
    public struct Version: Sendable {
        public var command: [String]
        public var regex: String
        public var from = "any"
    }
    /// `source` (docs/reference/language-profiles.md, "Source").
    public struct Source: Sendable {
        public var defaultFilename: String
        public var patterns: [String]
        public var main: [String] = []
        public var detectMainClass = false
        public var mainClassFallback = "Main"
        public var keepNewlines = false
    }
    /// `compile` and `run` (docs/reference/language-profiles.md, "Steps: compile and run").
    public struct Step: Sendable {
        public var command: [String]
        public var sandbox: String
        public var env: [String: String] = [:]
        public var limits = LimitLayer()
        public var maxLimits: LimitLayer?
        public var timeFactor = 1.0
        public var readable: [SandboxProfile.Bind] = []
        public var rlimitAS = false
        public var addressSpaceGrace: UInt64 = 64 << 20
        public var memoryOverhead: UInt64 = 0
        public var binary = "main"
        public var artifacts: [String] = ["{binary}"]
        /// `compile.service`: compile in a warm service when possible (docs/java-compile-service.md).
        public var service: CompileService?
        /// `run.class_data_sharing`: the run JVM maps a class-data-sharing archive of the JDK's classes.
        public var classDataSharing = false
    }
    /// `compile.service` (docs/reference/language-profiles.md, "Compile service").
    public struct CompileService: Sendable, Equatable {
        /// The service program; `javac` (support/java/CompileService.java) is the one there is.
        public var kind = "javac"
        /// The toolchain key of the runtime that runs it.
        public var runtime = "java"
        /// Compilations per service JVM before a fresh one takes over.
        public var recycleAfter = 50
    }
    /// `feedback` (docs/reference/language-profiles.md, "Feedback").
    public struct Feedback: Sendable {
        public var exception: String?
        public var memoryError: [String] = []
        public var signalNames: [String: String] = [:]
        public var stderrTail = 20
    }
    /// `self_test` (docs/reference/language-profiles.md, "Self-test").
    public struct SelfTest: Sendable {
        public var source: String
        public var filename: String?
        public var stdin = "echo: Hello, World!\n"
        public var expectStdout: String?
        public var expectStderrEmpty = true
        public var limits = LimitLayer()
    }
    /// `frameworks.NAME` (docs/reference/language-profiles.md, "Frameworks").
    public struct Framework: Sendable {
        public var requires: [String] = []
        public var probe: [String]?
        public var compileArgs: [String] = []
        public var command: [String]
        public var env: [String: String] = [:]
        public var limits = LimitLayer()
        public var sandbox: String?
        public var reportFormat: String
        public var reportPath = "{report}"
    }

    public var name: String
    public var displayName: String
    public var aliases: [String] = []
    public var extensions: [String] = []
    public var priority = 0
    public var toolchain: [String: Tool] = [:]
    public var toolOrder: [String] = []
    public var version: Version
    public var source: Source
    public var compile: Step?
    public var run: Step
    public var feedback = Feedback()
    public var selfTest: SelfTest
    public var frameworks: [String: Framework] = [:]
    /// Where it was loaded from, for messages.
    public var file: String = ""
}
