// SandboxProfile: how the jail is built for a step (sandboxes/*.yml, docs/reference/sandbox-profiles.md).
import CSeccomp
import Foundation

/// One `sandboxes/NAME.yml`.
public struct SandboxProfile: Sendable, Equatable {
    public enum Policy: String, Sendable { case `default`, strict }
    public enum ProcMode: String, Sendable { case pid, all, none }
    public struct Bind: Sendable, Equatable {
        public var path: String
        public var optional: Bool
        public init(path: String, optional: Bool) { self.path = path; self.optional = optional }
    }
    public struct TmpfsSize: Sendable, Equatable { public var size: UInt64; public var inodes: Int }

    public var name: String
    public var description: String = ""
    public var minIsolation: IsolationLevel = .full
    public var binds: [Bind] = []
    public var etc: [String] = []
    public var box = TmpfsSize(size: 64 << 20, inodes: 4096)
    public var tmp = TmpfsSize(size: 16 << 20, inodes: 1024)
    public var shm: UInt64 = 0
    /// Device nodes in `/dev`; empty means the jail's default set (`JailTables.devices`, all of them).
    public var dev: [String] = []
    public var proc: ProcMode = .pid
    public var policy: Policy = .default
    public var allow: [String] = []
    public var errno: [String: String] = [:]
    public var loopback = false
    public var ceiling = LimitLayer.hardCeiling
    public var memoryEnforcement: Set<String> = ["cgroup-only", "rlimit-as"]
    public var file: String = ""

    public init(name: String) { self.name = name }

    /// Loads and validates one profile file; every problem is reported with file, line and key.
    /// Names (syscalls on the deny list, errnos, devices) are checked against the helper's own
    /// tables (`polyjail tables`), and its defaults fill what the file leaves out.
    public static func load(path: String, displayName: String? = nil, tables: JailTables? = nil) throws -> SandboxProfile {
        let t = try tables ?? JailTables.current.get()
        let doc = try YAMLDocument.load(path: path, displayName: displayName)
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var p = SandboxProfile(name: stem)
        p.file = displayName ?? path
        p.box = TmpfsSize(size: t.defaults.boxSize, inodes: t.defaults.boxInodes)
        p.tmp = TmpfsSize(size: t.defaults.tmpSize, inodes: t.defaults.tmpInodes)
        guard let top = doc.top?.mapping(keys: ["schema", "name", "description", "min_isolation", "namespaces",
                                                "filesystem", "seccomp", "network", "limits"]) else {
            if doc.top == nil && doc.issues.isEmpty { doc.report(nil, "", "the file is empty") }
            try doc.check(); return p
        }
        if let s = top.require("schema"), let v = s.string(), v != "polygrader.sandbox/v1" {
            s.report("unknown schema \"\(v)\"", hint: "expected polygrader.sandbox/v1")
        }
        if let n = top.require("name"), let v = n.string(), v != stem { n.report("name \"\(v)\" must equal the file name \"\(stem)\"") }
        p.description = top["description"]?.string() ?? ""
        if let m = top["min_isolation"], let v = m.string() {
            if let level = IsolationLevel(rawValue: v) { p.minIsolation = level } else { m.report("unknown level \"\(v)\"", hint: "full, no-cgroup or minimal") }
        }
        if let ns = top["namespaces"], let list = ns.stringList(),
           Set(list) != ["pid", "mount", "net", "ipc", "uts", "cgroup"] {
            ns.report("v1 accepts only the full set [pid, mount, net, ipc, uts, cgroup]")
        }
        if let fs = top["filesystem"]?.mapping(keys: ["binds", "etc", "box", "tmp", "shm", "dev", "proc"]) {
            readFilesystem(fs, into: &p, tables: t)
        }
        if let sc = top["seccomp"]?.mapping(keys: ["policy", "allow", "errno"]) { readSeccomp(sc, into: &p, tables: t) }
        if let net = top["network"], let v = net.string() {
            switch v { case "none": p.loopback = false; case "loopback": p.loopback = true
            default: net.report("expected none or loopback") }
        }
        if let lim = top["limits"]?.mapping(keys: ["ceiling", "memory_enforcement"]) {
            if let c = lim["ceiling"] {
                let (layer, _) = LimitLayer.read(c)
                for v in layer.violations(of: .hardCeiling, ceilingName: "the built-in ceiling") {
                    c.report("\(v.key): \(v.message)")
                }
                p.ceiling = LimitLayer.hardCeiling.overlaid(by: layer)
            }
            if let me = lim["memory_enforcement"], let list = me.stringList() {
                for m in list where !["cgroup-only", "rlimit-as"].contains(m) { me.report("unknown mode \"\(m)\"") }
                p.memoryEnforcement = Set(list)
            }
        }
        try doc.check()
        return p
    }

    static func readFilesystem(_ fs: YMapping, into p: inout SandboxProfile, tables t: JailTables) {
        if let binds = fs["binds"]?.list() {
            for b in binds {
                if case .scalar = b.node, let path = b.string() {
                    p.binds.append(Bind(path: path, optional: false))
                } else if let m = b.mapping(keys: ["path", "optional"]), let path = m.require("path")?.string() {
                    p.binds.append(Bind(path: path, optional: m["optional"]?.bool() ?? false))
                }
            }
            for (i, b) in p.binds.enumerated() where !b.path.hasPrefix("/") || b.path.contains("..") {
                binds[min(i, binds.count - 1)].report("bind \"\(b.path)\" must be an absolute path without '..'")
            }
            for b in p.binds where !b.optional && !FileManager.default.fileExists(atPath: b.path) {
                var isLink = false
                if (try? FileManager.default.destinationOfSymbolicLink(atPath: b.path)) != nil { isLink = true }
                if !isLink { fs["binds"]?.report("\(b.path) does not exist on this host", hint: "mark it {path: \(b.path), optional: true}") }
            }
        }
        if let etc = fs["etc"]?.stringList() {
            for e in etc where e.contains("/") && e.contains("..") { fs["etc"]?.report("\"\(e)\" must stay under /etc") }
            p.etc = etc
        }
        for key in ["box", "tmp"] {
            guard let m = fs[key]?.mapping(keys: ["size", "inodes"]) else { continue }
            var fsSize = key == "box" ? p.box : p.tmp
            if let s = m["size"]?.size() { fsSize.size = s }
            if let n = m["inodes"]?.int(min: 16) { fsSize.inodes = n }
            if key == "box" { p.box = fsSize } else { p.tmp = fsSize }
        }
        if let s = fs["shm"]?.size() { p.shm = s }
        if let dev = fs["dev"], let list = dev.stringList() {
            for d in list where !t.devices.contains(d) {
                dev.report("\"\(d)\" is not allowed", hint: "only " + t.devices.joined(separator: ", "))
            }
            p.dev = list
        }
        if let pr = fs["proc"], let v = pr.string() {
            if let mode = ProcMode(rawValue: v) { p.proc = mode } else { pr.report("expected pid, all or none") }
        }
    }

    static func readSeccomp(_ sc: YMapping, into p: inout SandboxProfile, tables t: JailTables) {
        let denied = t.deniedSyscalls
        if let pol = sc["policy"], let v = pol.string() {
            if let policy = Policy(rawValue: v) { p.policy = policy } else { pol.report("expected default or strict") }
        }
        if let allow = sc["allow"] {
            if p.policy != .strict { allow.report("allow is only for the strict policy") }
            for name in allow.stringList() ?? [] {
                if !syscallExists(name) { allow.report("unknown syscall \"\(name)\"") }
                if denied.contains(name) { allow.report("\"\(name)\" is on the deny list and cannot be allowed") }
                p.allow.append(name)
            }
        } else if p.policy == .strict {
            sc.value.report("the strict policy needs an allow list")
        }
        if let errnoMap = sc["errno"]?.freeMapping() {
            for (name, value) in errnoMap {
                if !syscallExists(name) { value.report("unknown syscall \"\(name)\"") }
                guard let e = value.string() else { continue }
                if !t.errnos.contains(e) { value.report("unknown errno \"\(e)\"", hint: t.errnos.sorted().joined(separator: ", ")) }
                p.errno[name] = e
            }
        }
    }

    /// Whether libseccomp knows the syscall on this architecture.
    public static func syscallExists(_ name: String) -> Bool {
        seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR
    }
}

/// All profiles of a `sandboxes/` directory.
public struct SandboxCatalog: Sendable {
    public var profiles: [String: SandboxProfile]
    public let directory: String

    /// Loads every `*.yml`; problems in several files are reported together.
    public static func load(directory: String) throws -> SandboxCatalog {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var profiles: [String: SandboxProfile] = [:]
        var issues: [ConfigIssue] = []
        for name in names.sorted() where name.hasSuffix(".yml") && !name.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                let p = try SandboxProfile.load(path: path)
                profiles[p.name] = p
            } catch let e as ConfigErrors { issues += e.issues }
        }
        if !issues.isEmpty { throw ConfigErrors(issues) }
        if profiles.isEmpty { throw SandboxError.noProfiles(directory: directory) }
        return SandboxCatalog(profiles: profiles, directory: directory)
    }

    public subscript(_ name: String) -> SandboxProfile? { profiles[name] }
}
