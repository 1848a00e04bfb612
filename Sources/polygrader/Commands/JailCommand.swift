// `polygrader jail`: runs one command in the jail and prints the run record as JSON.
import ArgumentParser
import Foundation
import Sandbox
import Watcher

struct JailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jail",
        abstract: "Run one command in the jail and print the run record as JSON.",
        discussion: "Exit 0 when the jail worked, whatever the program did; 1 on an internal error; 2 on bad usage."
    )

    @Option(help: "Sandbox profile (sandboxes/NAME.yml).") var sandbox: String
    @Option(help: "CPU time limit (e.g. 1, 1.5s, 500ms).") var cpu: String?
    @Option(help: "Wall time limit (default: 3 × CPU).") var wall: String?
    @Option(help: "Memory limit (e.g. 64M, 256MiB).") var memory: String?
    @Option(help: "Processes and threads.") var processes: Int?
    @Option(help: "Stdout cap (OLE past it).") var output: String?
    @Option(help: "Stderr cap (OLE past it).") var stderr: String?
    @Option(name: .customLong("file-size"), help: "Largest file the program may write.") var fileSize: String?
    @Option(name: .customLong("memory-enforcement"), help: "cgroup-only (default) or rlimit-as.") var memoryEnforcement: String = "cgroup-only"
    @Option(name: .customLong("ro"), help: "Extra host path bound read-only (repeatable).") var readOnly: [String] = []
    @Option(help: "Directory copied into /box (the working directory).") var box: String?
    @Option(help: "File given as stdin.") var stdin: String?
    @Option(help: "Grading slot (uid uid-base + slot); default: the first free one.") var slot: Int?
    @Option(name: .customLong("uid-base"), help: "Slot N runs as uid and gid uid-base + N (default 60000; never a host user).") var uidBase: Int = RunRequest.defaultUIDBase
    @OptionGroup var environment: EnvironmentOptions
    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.") var command: [String] = []

    func run() async throws {
        guard !command.isEmpty else { printError("polygrader jail: give the command after --"); throw Exit.usage }
        let engine = try environment.engine(selfTestCache: nil)
        let catalog = engine.sandboxes
        guard let profile = catalog[sandbox] else {
            printError("\(SandboxError.unknownProfile(sandbox, available: Array(catalog.profiles.keys)))")
            throw Exit.usage
        }
        var layer = LimitLayer()
        func parse<T>(_ flag: String, _ text: String?, _ f: (String) -> Result<T, Units.Problem>) throws -> T? {
            guard let text else { return nil }
            switch f(text) {
            case .success(let v): return v
            case .failure(let p): printError("--\(flag): \(p.message)" + (p.hint.map { " (hint: \($0))" } ?? "")); throw Exit.usage
            }
        }
        layer.cpu = try parse("cpu", cpu, Units.duration)
        layer.wall = try parse("wall", wall, Units.duration)
        layer.memory = try parse("memory", memory) { Units.size($0) }
        layer.output = try parse("output", output) { Units.size($0) }
        layer.stderr = try parse("stderr", stderr) { Units.size($0) }
        layer.fileSize = try parse("file-size", fileSize) { Units.size($0) }
        layer.processes = processes
        for v in layer.violations(of: profile.ceiling, ceilingName: "sandbox \(profile.name)'s ceiling") {
            printError("--\(v.key.replacingOccurrences(of: "_", with: "-")): \(v.message)")
            throw Exit.usage
        }
        let limits = Limits(layer)
        var request = RunRequest(argv: command, profile: profile, limits: limits)
        switch memoryEnforcement {
        case "cgroup-only": break
        case "rlimit-as":
            guard profile.memoryEnforcement.contains("rlimit-as") else {
                printError("--memory-enforcement: sandbox \(profile.name) allows only \(profile.memoryEnforcement.sorted().joined(separator: ", "))")
                throw Exit.usage
            }
            request.addressSpace = limits.memory + (64 << 20)
        default: printError("--memory-enforcement: expected cgroup-only or rlimit-as"); throw Exit.usage
        }
        for path in readOnly {
            guard path.hasPrefix("/"), FileManager.default.fileExists(atPath: path) else {
                printError("--ro \(path): not an existing absolute path"); throw Exit.usage
            }
            request.extraBinds.append(.init(path: path, optional: false))
        }
        if let box {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: box, isDirectory: &isDir), isDir.boolValue else {
                printError("--box \(box): not a directory"); throw Exit.usage
            }
            request.box = [.contentsOf(hostDirectory: box)]
        }
        if let stdin {
            guard FileManager.default.isReadableFile(atPath: stdin) else { printError("--stdin \(stdin): cannot read"); throw Exit.usage }
            request.stdin = .file(stdin)
        }
        request.slot = slot
        request.uidBase = uidBase
        let jail = engine.jail
        let result: RunResult
        do { result = try await jail.run(request) } catch {
            printError("polygrader jail: \(error)")
            throw Exit.failure
        }
        print(try jsonText(result))
        if result.status == .IE {
            printError("polygrader jail: internal error: \(result.error ?? "unknown")")
            throw Exit.failure
        }
    }
}
