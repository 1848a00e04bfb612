// `polygrader run --language TAG FILE...`: compile and run a program in its language's jail.
import ArgumentParser
import Foundation
import Languages
import Sandbox
import Watcher

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run",
                                                    abstract: "Compile and run a program in its language's jail and print what happened.")
    @Option(help: "Language tag or alias.") var language: String
    @Option(help: "File given as stdin.") var stdin: String?
    @Flag(help: "Print the run record as JSON.") var json = false
    @Argument(help: "Source files.") var files: [String]
    @OptionGroup var environment: EnvironmentOptions

    func run() async throws {
        let engine = try environment.engine()
        // Only the language asked for is checked, unless the tag is an alias of another file.
        var registry = await engine.registry(only: [language.lowercased()])
        if registry.find(language) == nil { registry = await engine.registry() }
        guard let status = registry.find(language) else {
            printError("\(LanguageError.unknownLanguage(language, known: registry.enabled.map(\.profile.name)))")
            throw Exit.usage
        }
        guard let lang = status.resolved, status.enabled else {
            printError("language \(status.name) is disabled: \(status.reason ?? status.status)")
            throw Exit.failure
        }
        var sources: [SourceFile] = []
        for f in files {
            guard let data = FileManager.default.contents(atPath: f) else { printError("cannot read \(f)"); throw Exit.usage }
            sources.append(SourceFile(path: (f as NSString).lastPathComponent, data: data))
        }
        let build: Build
        do { build = try await engine.runner.build(lang, sources: sources) } catch let r as BuildRejection {
            printError("compile error: \(r.message)"); throw Exit.failure
        }
        guard build.succeeded else {
            printError("compile error: \(build.failureReason ?? "")\n\(build.output)")
            throw Exit.failure
        }
        if !build.output.isEmpty { printError(build.output) }
        let input: StdinSource = stdin.map { .file($0) } ?? .empty
        let r = try await engine.runner.run(build, stdin: input)
        if json { print(try jsonText(r)); return }
        FileHandle.standardOutput.write(r.stdout)
        if !r.stderr.isEmpty { FileHandle.standardError.write(r.stderr) }
        var line = "[\(lang.profile.name) \(lang.version)] \(r.status.rawValue)"
        if let l = r.limit { line += " (limit: \(l))" }
        if let e = r.exception { line += " \(e)" }
        if let s = r.signalName { line += " \(s)" } else if let c = r.exitCode, c != 0 { line += " exit code \(c)" }
        line += String(format: ", cpu %.3f s, wall %.3f s, memory %@", r.cpuS, r.wallS, Units.format(bytes: r.memoryPeakBytes))
        printError(line)
    }
}
