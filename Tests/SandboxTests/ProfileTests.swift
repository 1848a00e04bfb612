// Sandbox profiles, limits and units: strict loading with file:line:column errors.
import Foundation
import Sandbox
import Testing

@Suite("Sandbox profiles and limits")
struct ProfileTests {
    func load(_ yaml: String, name: String = "bad") throws -> SandboxProfile {
        let dir = try PrivateDirectory.make(prefix: "profile")
        defer { dir.remove() }
        let path = dir.path + "/\(name).yml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try SandboxProfile.load(path: path, displayName: "sandboxes/\(name).yml")
    }

    func errors(_ yaml: String, name: String = "bad") -> String {
        do { _ = try load(yaml, name: name); return "" } catch { return "\(error)" }
    }

    @Test("the shipped profiles load")
    func shipped() {
        #expect(Set(Fixtures.catalog.profiles.keys) == ["native", "interpreter", "jvm", "compiler"])
        #expect(Fixtures.profile("native").policy == .strict)
        #expect(Fixtures.profile("jvm").errno["socket"] == "EACCES")
        #expect(Fixtures.profile("jvm").memoryEnforcement == ["cgroup-only"])
    }

    @Test("an unknown key is an error naming file, line, key and a hint")
    func unknownKey() {
        let e = errors("schema: polygrader.sandbox/v1\nname: bad\nfilesystem:\n  bindz: [/usr]\n")
        #expect(e.contains("sandboxes/bad.yml:4:3: filesystem.bindz: unknown key (hint: did you mean \"binds\"?)"))
    }

    @Test("x- keys are ignored")
    func xKeys() throws {
        let p = try load("schema: polygrader.sandbox/v1\nname: ok\nx-note: hi\n", name: "ok")
        #expect(p.name == "ok")
    }

    @Test("a name that differs from the file stem is an error")
    func nameStem() {
        #expect(errors("schema: polygrader.sandbox/v1\nname: other\n").contains("must equal the file name"))
    }

    @Test("a missing or unknown schema is an error")
    func schema() {
        #expect(errors("name: bad\n").contains("schema: missing required key"))
        #expect(errors("schema: polygrader.sandbox/v9\nname: bad\n").contains("unknown schema"))
    }

    @Test("strict needs an allow list, which may not hold unknown or deny-listed syscalls")
    func seccompLists() {
        #expect(errors("schema: polygrader.sandbox/v1\nname: bad\nseccomp: {policy: strict}\n").contains("needs an allow list"))
        let e = errors("schema: polygrader.sandbox/v1\nname: bad\nseccomp: {policy: strict, allow: [read, frobnicate, ptrace]}\n")
        #expect(e.contains("unknown syscall \"frobnicate\""))
        #expect(e.contains("\"ptrace\" is on the deny list"))
    }

    @Test("names are checked against polyjail's own tables: unknown errno, device or syscall and every deny-listed syscall are refused at their line")
    func namesFromTheJailTables() throws {
        let tables = try JailTables.current.get()
        // The whole deny list comes from the C, including entries a Swift copy once lacked.
        #expect(tables.deniedSyscalls.isSuperset(of: ["ptrace", "modify_ldt", "lookup_dcookie", "clone3"]))
        #expect(tables.deny.first { $0.syscall == "clone3" }?.errno == "ENOSYS")
        #expect(tables.socketFamilies == ["AF_UNIX", "AF_INET", "AF_INET6"])
        let e = errors("""
            schema: polygrader.sandbox/v1
            name: bad
            filesystem:
              dev: [null, tty]
            seccomp:
              policy: strict
              allow: [read, lookup_dcookie, frobnicate]
              errno: {socket: EWHATEVER, frobnicate2: EPERM}

            """)
        #expect(e.contains("sandboxes/bad.yml:4:8: filesystem.dev: \"tty\" is not allowed (hint: only null, zero, full, random, urandom)"), "\(e)")
        #expect(e.contains("sandboxes/bad.yml:7:10: seccomp.allow: \"lookup_dcookie\" is on the deny list and cannot be allowed"), "\(e)")
        #expect(e.contains("sandboxes/bad.yml:7:10: seccomp.allow: unknown syscall \"frobnicate\""), "\(e)")
        #expect(e.contains("sandboxes/bad.yml:8:19: seccomp.errno.socket: unknown errno \"EWHATEVER\""), "\(e)")
        #expect(e.contains("sandboxes/bad.yml:8:43: seccomp.errno.frobnicate2: unknown syscall \"frobnicate2\""), "\(e)")
    }

    @Test("a profile's box and tmp default to the jail's own defaults; no dev list means the jail's default devices")
    func defaultsFromTheJailTables() throws {
        let tables = try JailTables.current.get()
        let p = try load("schema: polygrader.sandbox/v1\nname: ok\n", name: "ok")
        #expect(p.box.size == tables.defaults.boxSize && p.box.inodes == tables.defaults.boxInodes)
        #expect(p.tmp.size == tables.defaults.tmpSize && p.tmp.inodes == tables.defaults.tmpInodes)
        #expect(p.dev.isEmpty)
    }

    @Test("duplicate keys are errors")
    func duplicates() {
        #expect(errors("schema: polygrader.sandbox/v1\nname: bad\nname: bad\n").contains("duplicate key"))
    }

    @Test("a ceiling above the built-in ceiling is an error")
    func ceiling() {
        #expect(errors("schema: polygrader.sandbox/v1\nname: bad\nlimits: {ceiling: {memory: 16GiB}}\n").contains("above the built-in ceiling"))
    }

    @Test("sizes need binary units; durations take s and ms")
    func units() throws {
        #expect(try Units.size("64MiB").get() == 64 << 20)
        #expect(try Units.size("256M").get() == 256 << 20)
        #expect(try Units.size("1.5GiB").get() == 1536 << 20)
        #expect(try Units.size("4096", bareBytes: true).get() == 4096)
        if case .failure(let p) = Units.size("64") { #expect(p.hint == "add a unit: B, KiB, MiB or GiB") } else { Issue.record("bare size accepted") }
        if case .failure(let p) = Units.size("64MB") { #expect(p.hint == "sizes are binary: use MiB") } else { Issue.record("MB accepted") }
        #expect(try Units.duration("500ms").get() == 0.5)
        #expect(try Units.duration("1.5s").get() == 1.5)
        #expect(try Units.duration("2").get() == 2)
    }

    @Test("a missing wall is cpu × wall_factor; stack may follow memory")
    func limits() {
        let l = Limits(LimitLayer(cpu: 2, memory: 128 << 20, stack: .memory))
        #expect(l.wall == 6)
        #expect(l.stack == 128 << 20)
        #expect(Limits(LimitLayer(cpu: 1, wall: 5)).wall == 5)
    }

    @Test("a host below the required level is refused, naming what is missing")
    func refusal() throws {
        let json = #"{"root":true,"namespaces":true,"seccomp":true,"openat2":true,"cgroup":"none","cgroup_detail":"no cgroup","kernel":"6","level":"no-cgroup","missing":["no writable cgroup: delegate a v2 subtree"]}"#
        let probe = try JSONDecoder().decode(HostProbe.self, from: Data(json.utf8))
        #expect(throws: SandboxError.self) { try probe.require(.full) }
        do { _ = try probe.require(.full) } catch { #expect("\(error)".contains("delegate a v2 subtree")) }
        #expect(try probe.require(.noCgroup) == .noCgroup)
    }
}
