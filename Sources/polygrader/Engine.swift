// Engine: the objects every grading command shares: profiles, the jail, the language runner.
import ArgumentParser
import Foundation
import Languages
import Sandbox

struct Engine {
    let sandboxes: SandboxCatalog
    let jail: PolyjailRunner
    let runner: LanguageRunner
    let languagesDir: String

    init(_ options: EnvironmentOptions) throws {
        sandboxes = try options.sandboxCatalog()
        jail = try options.jail()
        runner = LanguageRunner(jail: jail, sandboxes: sandboxes)
        languagesDir = ResourcePaths.dataDirectory("languages", explicit: options.languagesDir)
    }

    func registry() async -> LanguageRegistry {
        await LanguageRegistry.load(directory: languagesDir, sandboxes: sandboxes, runner: runner,
                                    parallel: min(2, ProcessInfo.processInfo.activeProcessorCount))
    }
}
