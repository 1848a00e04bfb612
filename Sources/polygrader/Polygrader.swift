// polygrader: the command line. Parses arguments, calls into the library, prints.
import ArgumentParser

@main
struct Polygrader: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "polygrader",
        abstract: "A sandboxed multi-language grader for Open edX (XQueue).",
        subcommands: [JailCommand.self, LanguagesCommand.self, AddLanguageCommand.self, RunCommand.self, GradeCommand.self, SelftestCommand.self,
                      DemoCommand.self]
    )
}
