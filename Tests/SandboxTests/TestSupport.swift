// Shared helpers for Sandbox tests: the repository root, profiles, a jail, and host checks.
import Foundation
import Sandbox

enum Repo {
    /// The repository root, from this file's path.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let sandboxes = root + "/sandboxes"
}

enum Fixtures {
    static let catalog: SandboxCatalog = try! SandboxCatalog.load(directory: Repo.sandboxes)
    static func profile(_ name: String) -> SandboxProfile { catalog[name]! }
    /// The real jail; tests that need it skip with a reason where the host cannot run it.
    static let jail: Result<PolyjailRunner, Error> = Result { try PolyjailRunner(minimum: .noCgroup) }
    static var jailAvailable: Bool { (try? jail.get()) != nil }

    /// Runs argv in a profile with limits, box files and stdin.
    static func run(_ argv: [String], sandbox: String = "interpreter", limits: LimitLayer = LimitLayer(),
                    box: [BoxEntry] = [], stdin: StdinSource = .empty, slot: Int? = nil,
                    addressSpace: UInt64? = nil, collect: [String] = [], collectInto: String? = nil,
                    uidBase: Int = RunRequest.defaultUIDBase) async throws -> RunResult {
        var r = RunRequest(argv: argv, profile: profile(sandbox), limits: Limits(limits))
        r.box = box
        r.stdin = stdin
        r.slot = slot
        r.addressSpace = addressSpace
        r.collect = collect
        r.collectInto = collectInto
        r.uidBase = uidBase
        return try await jail.get().run(r)
    }
}

/// What a run may leave behind on the host: processes of a slot uid, cgroups, mounts, files.
struct HostTrace: Equatable, CustomStringConvertible {
    var processes: [String]
    var cgroups: [String]
    var mountCount: Int
    var strayFiles: [String]

    var description: String {
        "processes: \(processes), cgroups: \(cgroups), mounts: \(mountCount), files: \(strayFiles)"
    }

    /// Takes the trace for one slot uid.
    static func take(slot: Int) -> HostTrace {
        let uid = 60000 + slot
        let fm = FileManager.default
        var procs: [String] = []
        for pid in (try? fm.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(pid) != nil {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { continue }
            if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
               line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().contains(where: { Int($0) == uid }) {
                procs.append(pid + " " + ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""))
            }
        }
        // Every cgroup of the slot counts: callers end the helpers (and their prepared jails) first.
        var cgroups: [String] = []
        for base in ["/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids", "/sys/fs/cgroup/cpuacct", "/sys/fs/cgroup/unified",
                     "/sys/fs/cgroup"] {
            let parent = base + "/polygrader"
            for name in (try? fm.contentsOfDirectory(atPath: parent)) ?? []
            where name == "slot-\(slot)" || name.hasPrefix("slot-\(slot).") {
                let dir = parent + "/" + name
                let members = ((try? String(contentsOfFile: dir + "/cgroup.procs", encoding: .utf8)) ?? "")
                    .split(separator: "\n").map(String.init)
                cgroups.append(dir + " (members: \(members))")
            }
        }
        let mounts = ((try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "").split(separator: "\n").count
        var stray: [String] = []
        for dir in ["/tmp", "/var/tmp", "/dev/shm", "/run/polyjail/root"] {
            for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] {
                let p = dir + "/" + name
                if let attrs = try? fm.attributesOfItem(atPath: p), let owner = attrs[.ownerAccountID] as? NSNumber,
                   owner.intValue == uid { stray.append(p) }
                if dir == "/run/polyjail/root" { stray.append(p) }
            }
        }
        return HostTrace(processes: procs, cgroups: cgroups, mountCount: mounts, strayFiles: stray)
    }

}
