// `polygrader languages`: the registry with each language's version and self-test status.
import ArgumentParser
import Foundation
import Languages
import Sandbox
import Watcher

struct LanguagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "languages",
                                                    abstract: "List the languages, their versions and self-test status.")
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Self-test every language again instead of trusting the results kept from earlier runs.") var recheck = false
    @OptionGroup var environment: EnvironmentOptions

    struct Entry: Encodable {
        let name: String, display_name: String, aliases: [String], extensions: [String], version: String?
        let enabled: Bool, status: String, reason: String?, file: String, frameworks: [String: String]
    }
    struct Listing: Encodable { let isolation: String; let languages: [Entry] }

    func run() async throws {
        let engine = try environment.engine()
        let registry = await engine.registry(recheck: recheck)
        let entries = registry.languages.map { s in
            Entry(name: s.name, display_name: s.profile?.displayName ?? s.name, aliases: s.profile?.aliases ?? [],
                  extensions: s.profile?.extensions ?? [], version: s.resolved?.version, enabled: s.enabled, status: s.status,
                  reason: s.reason, file: s.file, frameworks: s.resolved?.frameworkStatus ?? [:])
        }
        if json {
            print(try jsonText(Listing(isolation: engine.jail.level.rawValue, languages: entries)))
            return
        }
        print("isolation: \(engine.jail.level.rawValue) (\(engine.jail.probe.cgroupDetail))")
        let rows = [["TAG", "ALIASES", "VERSION", "STATUS", "REASON"]] + entries.map {
            [$0.name, $0.aliases.joined(separator: ","), $0.version ?? "-", $0.status, $0.reason.map { String($0.prefix(160)) } ?? ""]
        }
        let widths = (0..<4).map { i in rows.map { $0[i].count }.max() ?? 0 }
        for r in rows {
            print((0..<4).map { r[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + r[4])
        }
    }
}
