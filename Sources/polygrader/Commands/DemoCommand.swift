// `polygrader demo`: the main job on an embedded default. Starts a small XQueue-compatible queue on
// 127.0.0.1, enqueues the example course's submissions (every language; typed and uploaded; good and
// bad; a legacy gradelib problem), runs the real watcher against it with a progress line, prints the
// results, and exits 0 when every expected verdict and score came back (examples/course/README.md).
import ArgumentParser
import EmbeddedQueue
import Foundation
import Logging
import Sandbox
import Watcher
import XQueue

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Grade the example course through an embedded XQueue and the real watcher, and print the results.")

    @Option(help: "The example course (default: examples/course of this checkout or the installed copy).") var course: String?
    @Option(help: "Grading slots (default: one per core).") var slots: Int?
    @Option(name: .customLong("first-slot"), help: "The first jail slot to use (keep apart from another polygrader on this host).") var firstSlot: Int = 0
    @Flag(help: "Print the results as JSON.") var json = false
    @Flag(help: "Log the watcher's lines (else only the progress line and the table).") var verbose = false
    @OptionGroup var environment: EnvironmentOptions

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = verbose ? .info : .error
            return h
        }
        let courseDir = course ?? ResourcePaths.dataDirectory("examples/course")
        let items: [DemoItem]
        do { items = try DemoCourse.load(courseDir) } catch {
            printError("polygrader demo: \(error)")
            throw Exit.usage
        }
        let slotCount = max(1, slots ?? ProcessInfo.processInfo.activeProcessorCount)
        let engine: GradingEngine
        do {
            engine = try GradingEngine(EngineSettings(sandboxesDir: environment.sandboxesDir, languagesDir: environment.languagesDir,
                                                      minIsolation: try environment.level(),
                                                      instance: JailInstance(firstSlot: firstSlot, slots: slotCount)))
        } catch {
            printError("\(error)")
            throw Exit.failure
        }
        let queue = EmbeddedXQueue(configuration: .init())
        let report = try await queue.withRunning { url in
            try await DemoRun(items: items, queue: queue, url: url, engine: engine, courseDir: courseDir, showProgress: !json).run()
        }
        if json { print(try jsonText(report)) } else { report.printTable() }
        if !report.allAsExpected { throw Exit.failure }
    }
}
