// `polygrader selftest`: is this host safe to grade on? The isolation level, every language's
// self-test, and a short hostile battery run for real. Non-zero exit when something fails.
import ArgumentParser
import Foundation
import Languages
import Sandbox
import Watcher

struct SelftestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "selftest",
                                                    abstract: "Check the jail, the languages and a short hostile battery on this host.")
    @OptionGroup var environment: EnvironmentOptions

    struct Probe: Sendable {
        let name: String
        let sandbox: String
        let argv: [String]
        let limits: LimitLayer
        let pass: @Sendable (RunResult) -> Bool
    }

    static let probes: [Probe] = [
        Probe(name: "host secrets are out of reach (/etc/shadow, /root)", sandbox: "interpreter",
              argv: ["/bin/sh", "-c", "cat /etc/shadow /root/.bashrc 2>/dev/null; ls /home 2>/dev/null"], limits: LimitLayer()) {
            $0.stdout.isEmpty },
        Probe(name: "the host filesystem is read-only", sandbox: "interpreter",
              argv: ["/bin/sh", "-c", "touch /usr/polygrader-selftest 2>/dev/null && echo WROTE"], limits: LimitLayer()) {
            !$0.stdoutText.contains("WROTE") },
        Probe(name: "no network, not even loopback", sandbox: "interpreter",
              argv: ["/usr/bin/python3", "-c", "import socket\ntry:\n socket.create_connection(('127.0.0.1', 22), 1); print('CONNECTED')\nexcept OSError: pass"],
              limits: LimitLayer()) { !$0.stdoutText.contains("CONNECTED") },
        Probe(name: "CPU time is enforced", sandbox: "native", argv: ["/bin/sh", "-c", "while :; do :; done"],
              limits: LimitLayer(cpu: 0.3)) { $0.status == .TLE },
        Probe(name: "memory is enforced", sandbox: "interpreter", argv: ["/usr/bin/python3", "-c", "x = [bytearray(1 << 20) for _ in range(512)]"],
              limits: LimitLayer(memory: 64 << 20)) { $0.status == .MLE || ($0.status == .RE && $0.stderrText.contains("MemoryError")) },
        Probe(name: "a fork bomb is contained", sandbox: "interpreter", argv: ["/bin/sh", "-c", "f(){ f|f& }; f; sleep 1"],
              limits: LimitLayer(cpu: 1, wall: 3, processes: 8)) { $0.status != .IE },
        Probe(name: "namespaces and mounts are denied (seccomp)", sandbox: "interpreter",
              argv: ["/usr/bin/python3", "-c", "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\nprint(libc.unshare(0x10000000), libc.mount(b'x', b'/tmp', b'tmpfs', 0, None))"],
              limits: LimitLayer()) { $0.stdoutText == "-1 -1\n" },
    ]

    func run() async throws {
        // Always self-test here: this command is how an operator checks the host now.
        let engine = try environment.engine(selfTestCache: nil)
        print("isolation: \(engine.jail.level.rawValue) (root \(engine.jail.probe.root), namespaces \(engine.jail.probe.namespaces), seccomp \(engine.jail.probe.seccomp), \(engine.jail.probe.cgroupDetail))")
        var failures = 0
        for p in Self.probes {
            guard let profile = engine.sandboxes[p.sandbox] else { print("FAIL  \(p.name): no sandbox \(p.sandbox)"); failures += 1; continue }
            let r = try await engine.jail.run(RunRequest(argv: p.argv, profile: profile, limits: Limits(p.limits)))
            let ok = r.status != .IE && p.pass(r)
            if !ok { failures += 1 }
            print("\(ok ? "PASS" : "FAIL")  \(p.name)\(ok ? "" : ": \(r.status.rawValue) \(r.error ?? r.stdoutText.prefix(100).description)")")
        }
        let registry = await engine.registry()
        for l in registry.languages {
            print("\(l.enabled ? "PASS" : "WARN")  language \(l.name) \(l.resolved?.version ?? "")\(l.enabled ? "" : ": \(l.reason ?? l.status)")")
        }
        if registry.enabled.isEmpty { print("FAIL  no language is enabled"); failures += 1 }
        if failures > 0 {
            printError("selftest: \(failures) check(s) failed: this host is not safe to grade on")
            throw Exit.failure
        }
        print("selftest passed")
    }
}
