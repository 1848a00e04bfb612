// The hostile battery (docs/security.md, "The hostile battery"): every program in Tests/Hostile runs for real in the
// jail,
// its verdict and output are checked against its expect.yml, and after each run the host must
// show no trace of it and the same slot must run the next program cleanly.
import Foundation
import Sandbox
import Testing
import Yams

struct HostileCase: CustomTestStringConvertible, Sendable {
    let name: String
    let dir: String
    var testDescription: String { name }

    static let all: [HostileCase] = {
        let base = Repo.root + "/Tests/Hostile"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        return names.sorted().filter { FileManager.default.fileExists(atPath: "\(base)/\($0)/expect.yml") }
            .map { HostileCase(name: $0, dir: "\(base)/\($0)") }
    }()
}

struct Expectation {
    var program: String
    var sandbox: String
    var limits = LimitLayer()
    var rlimitAS = false
    var stdin: String?
    /// Exactly one: a case that accepts two outcomes cannot show which layer stopped the attack.
    var status: String
    var limit: String?
    var signalName: String?
    var syscall: String?
    var exitCode: Int?
    var contains: [String] = []
    var excludes: [String] = []

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let doc = YAMLDocument(file: path, text: text)
        let y = try #require(try Yams.load(yaml: text) as? [String: Any])
        program = y["program"] as? String ?? "main.c"
        sandbox = y["sandbox"] as? String ?? "native"
        if let top = doc.top?.mapping(keys: ["description", "program", "sandbox", "limits", "memory_enforcement", "stdin", "expect"]),
           let l = top["limits"] {
            limits = LimitLayer.read(l).0
        }
        try doc.check()
        rlimitAS = (y["memory_enforcement"] as? String) == "rlimit-as"
        stdin = y["stdin"] as? String
        let e = try #require(y["expect"] as? [String: Any])
        status = try #require(e["status"] as? String ?? (e["status"] == nil ? "OK" : nil),
                              "\(path): expect.status must be one status, the one the design promises")
        limit = e["limit"] as? String
        signalName = e["signal_name"] as? String
        syscall = e["syscall"] as? String
        exitCode = e["exit_code"] as? Int
        contains = e["stdout_contains"] as? [String] ?? []
        excludes = e["stdout_excludes"] as? [String] ?? []
    }
}

@Suite("The hostile battery", .serialized)
struct HostileBatteryTests {
    /// The battery's own slot: auto slots are 0–31, so no other test shares its uid.
    static let slot = 50

    @Test("a hostile program gets its expected verdict and leaves the host clean", arguments: HostileCase.all)
    func hostileProgram(_ c: HostileCase) async throws {
        try #require(Fixtures.jailAvailable, "the jail cannot run on this host: \(Fixtures.jail)")
        let e = try Expectation(path: c.dir + "/expect.yml")
        let before = HostTrace.take(slot: Self.slot)
        let work = try PrivateDirectory.make(prefix: "hostile")
        defer { work.remove() }
        var argv: [String]
        var box: [BoxEntry]
        if e.program.hasSuffix(".c") {
            let cc = try HostCommand.runBlocking(["gcc", "-O1", "-pthread", "-o", work.path + "/main", c.dir + "/" + e.program, "-lm"],
                                                 environment: nil, stdinFile: nil, timeout: 60, outputCap: 1 << 16)
            try #require(cc.status == 0, "gcc failed: \(cc.stderrText)")
            argv = ["./main"]
            box = [.copy(hostPath: work.path + "/main", to: "main")]
        } else {
            argv = ["/usr/bin/python3", "-B", "-s", "main.py"]
            box = [.copy(hostPath: c.dir + "/" + e.program, to: "main.py")]
        }
        let r = try await Fixtures.run(argv, sandbox: e.sandbox, limits: e.limits, box: box,
                                       stdin: e.stdin.map { .data(Data($0.utf8)) } ?? .empty, slot: Self.slot,
                                       addressSpace: e.rlimitAS ? Limits(e.limits).memory + (16 << 20) : nil)
        let shown = "status \(r.status) limit \(r.limit ?? "-") signal \(r.signalName ?? "-") exit \(r.exitCode.map(String.init) ?? "-")\nstdout: \(r.stdoutText.prefix(600))\nstderr: \(r.stderrText.prefix(600))"
        #expect(r.status.rawValue == e.status, "\(c.name): \(shown)")
        if let l = e.limit { #expect(r.limit == l, "\(c.name): \(shown)") }
        if let s = e.signalName { #expect(r.signalName == s, "\(c.name): \(shown)") }
        if let s = e.syscall { #expect(r.syscall == s, "\(c.name): syscall \(r.syscall ?? "-"); \(shown)") }
        if let x = e.exitCode { #expect(r.exitCode == x, "\(c.name): \(shown)") }
        for s in e.contains { #expect(r.stdoutText.contains(s), "\(c.name): stdout lacks \"\(s)\"; \(shown)") }
        for s in e.excludes {
            #expect(!r.stdoutText.contains(s) && !r.stderrText.contains(s), "\(c.name): output shows \"\(s)\"; \(shown)")
        }
        // The host afterwards: no process of the slot uid, no cgroup, no new mount, no stray file.
        // The helpers are ended first (with the jail they had prepared for the next run), so the
        // check is exact: nothing of the jail at all may remain.
        try Fixtures.jail.get().drainHelpers()
        let after = HostTrace.take(slot: Self.slot)
        #expect(after.processes.isEmpty, "\(c.name) left processes: \(after.processes)")
        #expect(after.cgroups.isEmpty, "\(c.name) left cgroups: \(after.cgroups)")
        #expect(after.mountCount == before.mountCount, "\(c.name) changed the host's mounts")
        #expect(after.strayFiles.isEmpty, "\(c.name) left files: \(after.strayFiles)")
        // And the slot runs the next program cleanly.
        let next = try await Fixtures.run(["/bin/echo", "clean"], sandbox: "native", slot: Self.slot)
        #expect(next.status == .OK && next.stdoutText == "clean\n", "the slot is unusable after \(c.name): \(next.status)")
    }

    @Test("the battery holds at least 40 hostile programs")
    func batterySize() { #expect(HostileCase.all.count >= 40) }
}
