// PolyjailRunner: turns a RunRequest into a polyjail run spec, spawns the helper with
// posix_spawn and decodes its record. Box contents are staged in a root-private directory
// that polyjail copies into the run's tmpfs; the supervisor never opens a path in a box.
import Foundation

/// One polygrader process's share of the host's jail resources. Slot N runs as uid `uidBase + N`,
/// holds the host-wide lock of slot N and owns the cgroups `polygrader/slot-N.*`: two processes (or
/// two containers on one node) whose slot ranges differ never share a uid, a lock or a cgroup.
public struct JailInstance: Sendable, Equatable {
    /// The uid (and gid) of slot 0; polyjail refuses a slot uid that exists on the host.
    public var uidBase: Int
    /// The first slot number of this process's range.
    public var firstSlot: Int
    /// How many slots (runs at once) this process uses.
    public var slots: Int
    /// cgroup v2 only: the delegated directory under which slot cgroups are made (a systemd unit's
    /// own cgroup with `Delegate=yes`); nil: polyjail's default.
    public var cgroupRoot: String?

    public init(uidBase: Int = RunRequest.defaultUIDBase, firstSlot: Int = 0, slots: Int = 1, cgroupRoot: String? = nil) {
        self.uidBase = uidBase; self.firstSlot = firstSlot; self.slots = slots; self.cgroupRoot = cgroupRoot
    }

    /// The slot numbers of this instance.
    public var slotNumbers: [Int] { Array(firstSlot..<(firstSlot + max(0, slots))) }

    /// The environment's cgroup root (POLYGRADER_CGROUP_ROOT) for one-shot commands and tests.
    public static var fromEnvironment: JailInstance {
        JailInstance(cgroupRoot: ProcessInfo.processInfo.environment["POLYGRADER_CGROUP_ROOT"])
    }
}

/// The real jail: each request runs in a reused `polyjail serve` helper.
public struct PolyjailRunner: Jail {
    public let helper: String
    public let level: IsolationLevel
    public let probe: HostProbe
    public let instance: JailInstance
    let helpers: ServeHelpers
    /// Idle long-lived services (JailStream), by slot and key.
    let streams = StreamPool()

    /// Finds the helper, probes the host and refuses if `minimum` is out of reach. `cap` runs
    /// deliberately below what the host offers (tests of the weaker levels, cautious operators).
    public init(minimum: IsolationLevel = .full, cap: IsolationLevel? = nil, helper: String? = nil,
                instance: JailInstance = .fromEnvironment) throws {
        self.helper = try helper ?? ResourcePaths.helper()
        self.instance = instance
        probe = try HostProbe.run(helper: self.helper)
        helpers = ServeHelpers(path: self.helper)
        let have = try probe.require(minimum)
        level = min(have, cap ?? have)
        if level < minimum {
            throw SandboxError.isolationTooLow(required: minimum, available: level, missing: ["capped at \(level.rawValue)"])
        }
    }

    /// Ends every idle helper and its prepared jail, and waits until they are gone: afterwards
    /// nothing of the jail is left on the host (the hostile battery checks exactly that).
    public func drainHelpers() {
        helpers.drain()
        streams.drain()
    }

    /// Starts one helper per slot of the instance, each preparing its first jail.
    public func prewarm() throws { try helpers.prewarm(slots: instance.slotNumbers) }

    /// This jail bound to one slot of the instance: every run of a grading goes to that slot's helper.
    public func onSlot(_ slot: Int) -> SlotJail { SlotJail(base: self, slot: slot) }

    /// Runs the request. The staging before and the reading after are short file work; the run
    /// itself holds no thread, and cancelling the task kills it.
    public func run(_ request: RunRequest) async throws -> RunResult {
        if request.profile.minIsolation > level {
            throw SandboxError.isolationTooLow(required: request.profile.minIsolation, available: level, missing: probe.missing)
        }
        let dir = try PrivateDirectory.make(prefix: "polygrader-run")
        defer { dir.remove() }
        let boxDir = dir.path + "/box"
        try BoxStager.stage(request.box, into: boxDir)
        var stdinPath: String?
        switch request.stdin {
        case .empty: stdinPath = nil
        case .file(let p): stdinPath = p
        case .data(let d):
            stdinPath = dir.path + "/stdin"
            guard PrivateDirectory.writeNewFile(stdinPath!, contents: d, mode: 0o600) else {
                throw SandboxError.staging(path: stdinPath!, reason: "cannot write stdin")
            }
        }
        var request = request
        if request.uidBase == RunRequest.defaultUIDBase { request.uidBase = instance.uidBase }
        let spec = try RunSpec(request: request, level: level, boxDir: boxDir, stdinPath: stdinPath,
                               stdoutPath: dir.path + "/stdout", stderrPath: dir.path + "/stderr",
                               cgroupRoot: instance.cgroupRoot).text
        // The helper enforces the wall limit itself; this timeout only guards against a hung helper.
        let record = try await helpers.run(spec: spec, slot: request.slot, timeout: request.limits.wall + 60)
        var result: RunResult
        do { result = try JSONDecoder().decode(RunResult.self, from: record) }
        catch { throw SandboxError.badRecord(String(decoding: record, as: UTF8.self)) }
        result.stdout = HostCommand.readCapped(dir.path + "/stdout", cap: Int(request.limits.output))
        result.stderr = HostCommand.readCapped(dir.path + "/stderr", cap: Int(request.limits.stderr))
        return result
    }
}

/// A jail whose runs all go to one slot (one grading at a time per slot: the SlotPool's rule).
public struct SlotJail: Jail {
    public let base: PolyjailRunner
    public let slot: Int
    public var level: IsolationLevel { base.level }
    public func run(_ request: RunRequest) async throws -> RunResult {
        var r = request
        r.slot = slot
        return try await base.run(r)
    }
}

/// Fills the staging directory from box entries; every path is checked to stay inside it.
enum BoxStager {
    static func stage(_ entries: [BoxEntry], into dir: String) throws {
        let fm = FileManager.default
        guard mkdir(dir, 0o700) == 0 else { throw SandboxError.staging(path: dir, reason: String(cString: strerror(errno))) }
        for entry in entries {
            switch entry {
            case let .file(path, contents, executable):
                guard isSafeRelativePath(path) else { throw SandboxError.staging(path: path, reason: "not a plain relative path") }
                let full = dir + "/" + path
                if path.contains("/") {
                    try fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                }
                // A later entry replaces an earlier one of the same name (a test's file over a support file).
                let mode: mode_t = executable ? 0o755 : 0o644
                guard PrivateDirectory.writeNewFile(full, contents: contents, mode: mode)
                    || (errno == EEXIST && unlink(full) == 0 && PrivateDirectory.writeNewFile(full, contents: contents, mode: mode)) else {
                    throw SandboxError.staging(path: path, reason: "cannot write")
                }
            case let .copy(hostPath, to):
                guard isSafeRelativePath(to) else { throw SandboxError.staging(path: to, reason: "not a plain relative path") }
                let full = dir + "/" + to
                try fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if fm.fileExists(atPath: full) { try fm.removeItem(atPath: full) }
                try fm.copyItem(atPath: hostPath, toPath: full)
            case let .contentsOf(hostDirectory):
                for name in try fm.contentsOfDirectory(atPath: hostDirectory) {
                    let target = dir + "/" + name
                    if fm.fileExists(atPath: target) { try fm.removeItem(atPath: target) }
                    try fm.copyItem(atPath: hostDirectory + "/" + name, toPath: target)
                }
            }
        }
    }
}

/// What one polyjail spec may hold (docs/polyjail.md); polyjail's own constants are the same
/// (`polyjail tables`, checked by a test), so a request is refused here, never half-read there.
public enum JailLimits {
    public static let maxArguments = 4096
    public static let maxSpecBytes = 4 << 20
    public static let maxLineBytes = 65536
}

/// The line-based spec polyjail reads (docs/polyjail.md).
struct RunSpec {
    let text: String

    init(request r: RunRequest, level: IsolationLevel, boxDir: String, stdinPath: String?, stdoutPath: String, stderrPath: String,
         cgroupRoot: String?) throws {
        // The jail's own limits on one spec: refused here, as a typed error, never mid-spec in the helper.
        if r.argv.count > JailLimits.maxArguments {
            throw SandboxError.requestTooLarge("\(r.argv.count) arguments (at most \(JailLimits.maxArguments))")
        }
        if r.environment.count > JailLimits.maxArguments {
            throw SandboxError.requestTooLarge("\(r.environment.count) environment entries (at most \(JailLimits.maxArguments))")
        }
        var lines: [String] = []
        func add(_ key: String, _ value: String) { lines.append("\(key) \(Self.escape(value))") }
        for a in r.argv { add("argv", a) }
        for (k, v) in r.environment.sorted(by: { $0.key < $1.key }) where !v.isEmpty { add("env", "\(k)=\(v)") }
        let l = r.limits
        add("cpu_ms", String(UInt64((l.cpu * 1000).rounded(.up))))
        add("wall_ms", String(UInt64((l.wall * 1000).rounded(.up))))
        add("memory", String(l.memory + r.memoryOverhead))
        var addressSpace = r.addressSpace
        // Without cgroups, memory can only be held by RLIMIT_AS (docs/reference/sandbox-profiles.md, "Isolation levels"
        // no-cgroup).
        if level == .noCgroup && addressSpace == nil { addressSpace = l.memory + (64 << 20) }
        if let a = addressSpace { add("rlimit_as", String(a)) }
        add("processes", String(l.processes))
        add("file_size", String(l.fileSize))
        add("output", String(l.output))
        add("stderr", String(l.stderr))
        add("open_files", String(l.openFiles))
        add("stack", String(l.stack))
        let p = r.profile
        add("box_size", String(l.disk ?? p.box.size))
        add("box_inodes", String(p.box.inodes))
        add("tmp_size", String(p.tmp.size))
        add("tmp_inodes", String(p.tmp.inodes))
        if p.shm > 0 { add("shm_size", String(p.shm)) }
        for d in p.dev { add("dev", d) }
        add("proc", p.proc.rawValue)
        for b in p.binds + r.extraBinds { add(b.optional ? "bind_optional" : "bind", b.path) }
        for e in p.etc { add("etc", e) }
        add("seccomp", p.policy.rawValue)
        for a in p.allow { add("allow", a) }
        for (k, v) in p.errno.sorted(by: { $0.key < $1.key }) { add("errno", "\(k) \(v)") }
        add("network", p.loopback ? "loopback" : "none")
        add("slot", r.slot.map(String.init) ?? "auto")
        add("uid_base", String(r.uidBase))
        add("level", level == .full ? "full" : "no-cgroup")
        if let root = cgroupRoot { add("cgroup_root", root) }
        add("box_from", boxDir)
        if let s = stdinPath { add("stdin", s) }
        add("stdout_file", stdoutPath)
        add("stderr_file", stderrPath)
        if let c = r.collectInto {
            for path in r.collect { add("collect", path) }
            add("collect_to", c)
            add("collect_max", String(r.collectMax))
        }
        if let long = lines.first(where: { $0.utf8.count >= JailLimits.maxLineBytes }) {
            throw SandboxError.requestTooLarge("a spec line of \(long.utf8.count) bytes (at most \(JailLimits.maxLineBytes - 1))")
        }
        text = lines.joined(separator: "\n") + "\n"
        if text.utf8.count + 64 > JailLimits.maxSpecBytes {
            throw SandboxError.requestTooLarge("a spec of \(text.utf8.count) bytes (at most \(JailLimits.maxSpecBytes))")
        }
    }

    /// Escapes a value for one spec line: backslash, newline, tab and control bytes.
    static func escape(_ s: String) -> String {
        var out: [UInt8] = []
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
            case UInt8(ascii: "\n"): out += Array("\\n".utf8)
            case UInt8(ascii: "\t"): out += Array("\\t".utf8)
            case 0..<0x20, 0x7f: out += Array(String(format: "\\x%02x", b).utf8)
            default: out.append(b) // UTF-8 bytes pass through unchanged
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
