// LanguageRunner: compile once in the compile jail, then run the artifact any number of times,
// each in a fresh box holding only the artifact and that run's inputs (docs/reference/language-profiles.md, "Steps:
// compile and run").
import Foundation
import Sandbox

/// A learner's (or a self-test's) source file.
public struct SourceFile: Sendable, Equatable {
    public var path: String
    public var data: Data
    public var executable: Bool
    public init(path: String, data: Data, executable: Bool = false) { self.path = path; self.data = data; self.executable = executable }
}

/// The outcome of the compile step; `succeeded == false` is a compile error (CE).
public final class Build: @unchecked Sendable {
    public let language: ResolvedLanguage
    public let succeeded: Bool
    public let compile: RunResult?
    /// Compiler output, merged, capped, `/box/` stripped.
    public let output: String
    /// Why the build failed, in learner terms ("compilation timed out after 10 s"), or nil.
    public let failureReason: String?
    public let main: String
    public let mainClass: String
    /// The compile service answered (docs/java-compile-service.md); false for the cold compiler.
    public internal(set) var compiledWarm = false
    let artifactDir: PrivateDirectory?
    let pristine: [SourceFile]
    let keepSources: Bool

    init(language: ResolvedLanguage, succeeded: Bool, compile: RunResult?, output: String, failureReason: String?, main: String,
         mainClass: String, artifactDir: PrivateDirectory?, pristine: [SourceFile], keepSources: Bool) {
        self.language = language; self.succeeded = succeeded; self.compile = compile; self.output = output
        self.failureReason = failureReason; self.main = main; self.mainClass = mainClass; self.artifactDir = artifactDir
        self.pristine = pristine; self.keepSources = keepSources
    }

    deinit { artifactDir?.remove() }

    /// What every run box starts with.
    var boxEntries: [BoxEntry] {
        var out: [BoxEntry] = []
        if keepSources { out += pristine.map { .file(path: $0.path, contents: $0.data, executable: $0.executable) } }
        if let dir = artifactDir { out.append(.contentsOf(hostDirectory: dir.path)) }
        return out
    }
}

/// A failure to even start a build: a learner problem (CE) with a message.
public struct BuildRejection: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Compiles and runs programs of resolved languages in the jail.
public struct LanguageRunner: Sendable {
    public let jail: any Jail
    public let sandboxes: SandboxCatalog

    public init(jail: any Jail, sandboxes: SandboxCatalog) { self.jail = jail; self.sandboxes = sandboxes }

    /// Compiles `sources` (or, without a compile step, keeps them for the run box).
    public func build(_ lang: ResolvedLanguage, sources: [SourceFile], main explicitMain: String? = nil, extraArgs: [String] = [],
                      limits: LimitLayer = LimitLayer(), framework: LanguageProfile.Framework? = nil) async throws -> Build {
        let p = lang.profile
        if let message = Self.layoutProblem(sources.map(\.path)) { throw BuildRejection(message: message) }
        let sourcePaths = sources.map(\.path).filter { path in p.source.patterns.contains { PathGlob($0).matches(path) } }.sorted()
        let main = try chooseMain(p, sources: sourcePaths, explicit: explicitMain)
        let mainClass = try MainClassDetector.choose(sources, profile: p, explicit: explicitMain)
        guard let step = p.compile else {
            return Build(language: lang, succeeded: true, compile: nil, output: "", failureReason: nil, main: main,
                         mainClass: mainClass, artifactDir: nil, pristine: sources, keepSources: true)
        }
        let resolvedLimits = StepLimits.resolve(defaults: .compileDefaults, step: step.limits, overlay: limits)
        var scalars = lang.toolScalars.merging(commonScalars(main: main, mainClass: mainClass, binary: step.binary, memory: resolvedLimits.memory)) { $1 }
        let extra = (extraArgs + (framework?.compileArgs ?? [])).map { Placeholders.expand($0, scalars: scalars) }
        var argv = Placeholders.expand(step.command, scalars: scalars, lists: ["sources": sourcePaths.map(Self.argument), "extra_args": extra])
        if !step.command.contains("{extra_args}") { argv += extra }
        guard let profile = sandboxes[step.sandbox] else { throw SandboxError.unknownProfile(step.sandbox, available: Array(sandboxes.profiles.keys)) }
        var req = RunRequest(argv: argv, environment: env(step.env, scalars: &scalars), profile: profile, limits: resolvedLimits)
        req.box = sources.map { .file(path: $0.path, contents: $0.data, executable: $0.executable) }
        req.extraBinds = lang.binds(excluding: profile.binds) + step.readable
        if step.rlimitAS { req.addressSpace = resolvedLimits.memory + step.addressSpaceGrace }
        req.memoryOverhead = step.memoryOverhead
        let keepSources = step.artifacts.contains("{sources}")
        req.collect = step.artifacts.filter { $0 != "{sources}" }.map { Placeholders.expand($0, scalars: ["binary": step.binary]) }
        let out = try PrivateDirectory.make(prefix: "polygrader-build")
        // The artifacts directory belongs to the Build only when the build succeeds; every other way
        // out of here (a throw from the jail, an IE record, a compile error) removes it.
        var handedOver = false
        defer { if !handedOver { out.remove() } }
        req.collectInto = out.path
        // A warm compiler answers a clean compilation (docs/java-compile-service.md); anything else is
        // compiled cold below, so compile errors read exactly as they always did.
        if let service = step.service, let streaming = jail as? any StreamingJail,
           let warm = await WarmCompile.attempt(jail: streaming, lang: lang, service: service, argv: argv, sources: sources,
                                                 sourcePaths: sourcePaths, request: req, artifacts: req.collect, outDir: out.path) {
            handedOver = true
            let build = Build(language: lang, succeeded: true, compile: warm, output: "", failureReason: nil, main: main,
                              mainClass: mainClass, artifactDir: out, pristine: sources, keepSources: keepSources)
            build.compiledWarm = true
            return build
        }
        let r: RunResult
        do { r = try await jail.run(req) } catch { out.remove(); throw error }
        let output = Self.compilerOutput(r, cap: Int(resolvedLimits.output), sources: sourcePaths)
        var failure: String?
        switch r.status {
        case .OK:
            let missing = req.collect.filter { !FileManager.default.fileExists(atPath: out.path + "/" + $0) }
            if !missing.isEmpty { failure = "the build did not produce \(missing.joined(separator: ", "))" }
        case .TLE: failure = "compilation timed out after \(Units.format(seconds: r.limit == "wall" ? resolvedLimits.wall : resolvedLimits.cpu))"
        case .MLE: failure = "compilation ran out of memory (\(Units.format(bytes: resolvedLimits.memory)))"
        case .OLE: failure = "the compiler produced too much output"
        case .IE:
            out.remove()
            throw LanguageError.jailFailed(step: "compile", detail: r.error ?? "internal error")
        case .RE where r.execError != nil:
            // The compiler could not even start in the jail: the toolchain or the jail is broken, not the
            // learner's code. Its output is ours, never shown as a compile error.
            out.remove()
            throw LanguageError.jailFailed(step: "compile", detail: "\(argv.first ?? "?") could not be started: \(r.execError ?? "")")
        case .RE, .SV: failure = "compilation failed"
        }
        handedOver = failure == nil
        return Build(language: lang, succeeded: failure == nil, compile: r, output: output, failureReason: failure, main: main,
                     mainClass: mainClass, artifactDir: failure == nil ? out : nil, pristine: sources, keepSources: keepSources)
    }

    /// Runs a successful build once in a fresh box with `files` added, `stdin` and `args`; a framework
    /// run writes its report through `report` (`{report}`, `{report_dir}`, `{nonce}`).
    public func run(_ build: Build, stdin: StdinSource = .empty, args: [String] = [], limits: LimitLayer = LimitLayer(),
                    files: [BoxEntry] = [], framework: LanguageProfile.Framework? = nil, tests: [String] = [],
                    collect: [String] = [], collectInto: String? = nil, report: ReportChannel? = nil) async throws -> RunResult {
        let lang = build.language
        let step = lang.profile.run
        let stepLimits = framework.map { step.limits.overlaid(by: $0.limits) } ?? step.limits
        let resolvedLimits = StepLimits.resolve(defaults: .runDefaults, step: stepLimits, overlay: limits)
        let sandboxName = framework?.sandbox ?? step.sandbox
        guard let profile = sandboxes[sandboxName] else { throw SandboxError.unknownProfile(sandboxName, available: Array(sandboxes.profiles.keys)) }
        var scalars = lang.toolScalars.merging(commonScalars(main: build.main, mainClass: build.mainClass, binary: lang.profile.compile?.binary ?? "main",
                                                             memory: resolvedLimits.memory)) { $1 }
        // A fresh report channel unless the caller (a suite, which checks the report) brought one.
        let channel = report ?? .fresh()
        scalars.merge(channel.scalars) { $1 }
        let command = framework?.command ?? step.command
        var argv = Placeholders.expand(command, scalars: scalars, lists: ["args": args, "tests": tests.map(Self.argument),
                                                                          "sources": build.pristine.map(\.path).sorted().map(Self.argument)])
        // The run JVM maps the JDK's class-data-sharing archive of course programs (RunArchive): the
        // profile's own run command only, never a framework's.
        var archiveDir: String?
        if step.classDataSharing, framework == nil, let java = lang.tools["java"]?.exec, let javac = lang.tools["javac"]?.exec, argv.first == java,
           let archive = await RunArchive.path(java: java, javac: javac, runArgv: argv) {
            argv.insert("-XX:SharedArchiveFile=\(archive)", at: 1)
            archiveDir = (archive as NSString).deletingLastPathComponent
        }
        var envTemplate = step.env
        for (k, v) in framework?.env ?? [:] { envTemplate[k] = v }
        var req = RunRequest(argv: argv, environment: env(envTemplate, scalars: &scalars), profile: profile, limits: resolvedLimits)
        req.box = build.boxEntries + files
        if framework != nil { req.box.append(.file(path: channel.directory + "/.keep", contents: Data())) }
        req.stdin = stdin
        req.extraBinds = lang.binds(excluding: profile.binds) + step.readable
        if let archiveDir { req.extraBinds.append(.init(path: archiveDir, optional: false)) }
        if step.rlimitAS { req.addressSpace = resolvedLimits.memory + step.addressSpaceGrace }
        req.memoryOverhead = step.memoryOverhead
        req.collect = collect
        req.collectInto = collectInto
        var r = try await jail.run(req)
        FeedbackClassifier.classify(&r, feedback: lang.profile.feedback)
        return r
    }

    func commonScalars(main: String, mainClass: String, binary: String, memory: UInt64) -> [String: String] {
        ["workdir": "/box", "tmp": "/tmp", "main": Self.argument(main), "mainclass": mainClass, "binary": binary,
         "memory_mb": String(memory >> 20), "memory_kb": String(memory >> 10)]
    }

    func env(_ template: [String: String], scalars: inout [String: String]) -> [String: String] {
        var e = RunRequest.baseEnvironment
        for (k, v) in template { e[k] = Placeholders.expand(v, scalars: scalars) }
        return e.filter { !$0.value.isEmpty }
    }

    /// `{main}`: the problem's, the only source, the first of `source.main` present, else CE.
    func chooseMain(_ p: LanguageProfile, sources: [String], explicit: String?) throws -> String {
        if let explicit, sources.contains(explicit) { return explicit }
        if sources.count == 1 { return sources[0] }
        if let m = p.source.main.first(where: sources.contains) { return m }
        if sources.isEmpty {
            throw BuildRejection(message: "No \(p.displayName) source file was submitted (expected \(p.extensions.joined(separator: ", "))).")
        }
        // Languages that build every source (C, Java) need no entry file.
        let usesMain = p.run.command.contains { $0.contains("{main}") } || (p.compile?.command.contains { $0.contains("{main}") } ?? false)
        if !usesMain { return sources[0] }
        throw BuildRejection(message: "Several source files and none is the entry point (expected one of \(p.source.main.joined(separator: ", "))).")
    }

    /// Merged compiler output for the learner: capped, with the jail's `/box/` prefix removed, and the
    /// "./" we put before each source path removed where a diagnostic names it (`./sum.c:3:` → `sum.c:3:`).
    static func compilerOutput(_ r: RunResult, cap: Int, sources: [String] = []) -> String {
        var text = (r.stdoutText + r.stderrText).replacingOccurrences(of: "/box/", with: "")
        for path in sources {
            text = text.replacingOccurrences(of: "./\(path):", with: "\(path):").replacingOccurrences(of: "\"./\(path)\"", with: "\"\(path)\"")
        }
        if text.utf8.count > cap || r.stdoutTruncated || r.stderrTruncated {
            text = String(decoding: Data(text.utf8).prefix(cap), as: UTF8.self) + "\n[… output cut]"
        }
        return text
    }
}

extension LanguageRunner {
    /// The prefix of the box directory a unit-test framework writes its report into (`.report-` and a
    /// random name per run, ReportChannel); learner and author files may not start with it.
    public static let reportDirectory = ".report"

    /// A box path as a tool argument: "./PATH", so that no tool can read a file name as an option or a
    /// response file (docs/problems.md, "Learner file names").
    static func argument(_ path: String) -> String { "./" + path }

    /// Why these box paths cannot be staged together, in the learner's words, or nil. Checked before
    /// anything is written, so a bad name is a compile error naming the file, never an internal error.
    public static func layoutProblem(_ paths: [String]) -> String? {
        var files = Set<String>()
        for path in paths {
            let shown = quotedName(path)
            guard isSafeRelativePath(path) else { return "The file name \(shown) is not allowed." }
            if hasOptionLikePart(path) {
                return "The file name \(shown) is not allowed: no part of a file name may start with \"-\" or \"@\"."
            }
            if let part = overlongPart(path) {
                return "The file name \(shown) is too long: a name may have at most \(maxBoxNameBytes) bytes (this one has \(part.utf8.count))."
            }
            if path.hasPrefix(reportDirectory) {
                return "The file name \(shown) is not allowed: names starting with \"\(reportDirectory)\" are reserved for the grader."
            }
            if !files.insert(path).inserted { return "The file \(shown) was given twice." }
        }
        for path in paths {
            let parts = path.split(separator: "/")
            for n in parts.indices.dropLast() where files.contains(parts[...n].joined(separator: "/")) {
                return "The file \(quotedName(parts[...n].joined(separator: "/"))) is also used as a folder (in \(quotedName(path)))."
            }
        }
        return nil
    }

    /// A file name in double quotes for a one-line message, cut to 120 characters.
    public static func quotedName(_ name: String) -> String {
        let clean = String(String.UnicodeScalarView(name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "?" : $0 }))
        return "\"" + (clean.count > 120 ? String(clean.prefix(117)) + "…" : clean) + "\""
    }
}

/// Limit layering for one step (docs/reference/sandbox-profiles.md, "Limits"): defaults → step → overlay (problem,
/// test).
public enum StepLimits {
    public static func resolve(defaults: LimitLayer, step: LimitLayer, overlay: LimitLayer) -> Limits {
        var merged = defaults.overlaid(by: step)
        // A wall applies only from the layer that set the final cpu or a later one.
        if step.cpu != nil && step.wall == nil { merged.wall = nil }
        var top = merged.overlaid(by: overlay)
        if overlay.cpu != nil && overlay.wall == nil { top.wall = nil }
        return Limits(top, defaults: defaults)
    }
}
