// `polygrader add-language FILE.yml`: validate, resolve, self-test in the jail, install atomically.
import ArgumentParser
import Languages
import Watcher

struct AddLanguageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-language",
                                                    abstract: "Validate, self-test in the jail, and install a language profile.")
    @Argument(help: "The language profile to install.") var file: String
    @Flag(help: "Replace an installed profile of the same name.") var replace = false
    @OptionGroup var environment: EnvironmentOptions

    func run() async throws {
        let engine = try environment.engine()
        do {
            let line = try await LanguageInstaller.install(file: file, into: engine.languagesDir, replace: replace,
                                                           sandboxes: engine.sandboxes, runner: engine.runner)
            print(line)
        } catch let f as LanguageInstaller.Failure {
            printError(f.message)
            throw ExitCode(f.exitCode)
        }
    }
}
