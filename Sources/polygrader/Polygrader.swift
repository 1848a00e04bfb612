// polygrader: the command line. Parses arguments, calls into the library, prints.
import ArgumentParser

@main
struct Polygrader: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "polygrader",
        abstract: "A sandboxed multi-language grader for Open edX (XQueue).",
        subcommands: [WatchCommand.self, ServeCommand.self, DemoCommand.self, BenchThroughputCommand.self, GradeCommand.self, RunCommand.self, JailCommand.self, LanguagesCommand.self,
                      AddLanguageCommand.self, SelftestCommand.self],
        // `polygrader -d CONFIG` is `polygrader watch -d CONFIG`, as `python -m xqueue_watcher -d CONFIG`.
        defaultSubcommand: WatchCommand.self
    )
}
