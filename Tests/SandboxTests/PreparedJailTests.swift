// The helper's prepared jails and its serve protocol (docs/polyjail.md, "Prepared jails" and "The serve
// protocol"): a jail serves one request and carries nothing to the next, a bad spec never puts the
// stream out of step, and the limits of one spec are refused in Swift before the jail.
import Foundation
@testable import Sandbox
import Testing

@Suite("Prepared jails and the serve protocol", .serialized)
struct PreparedJailTests {
    /// A slot of these tests alone (auto slots are 0–31, the battery's is 50).
    static let slot = 45
    /// A spec's lines for `/bin/true` on the minimal root, for the tests that talk to `polyjail serve` directly.
    static let trueSpec = "argv /bin/true\nseccomp default\nbind /usr\nbind /bin\nbind /lib\nbind_optional /lib64\n"

    init() throws { try #require(Fixtures.jailAvailable, "the jail cannot run on this host: \(Fixtures.jail)") }

    @Test("a jail prepared after a run sees nothing that run wrote to /box, /tmp, /dev/shm or SysV IPC")
    func nothingCarriesOver() async throws {
        let write = "echo secret > /box/left; echo secret > /tmp/left; echo secret > /dev/shm/left 2>/dev/null; "
            + "python3 -c 'import sys' ; ipcmk -M 4096 >/dev/null 2>&1; echo done"
        let first = try await Fixtures.run(["/bin/sh", "-c", write], slot: Self.slot)
        #expect(first.status == .OK && first.stdoutText.hasSuffix("done\n"), "\(first.status) \(first.stderrText)")
        // The same helper answers the next request from the jail it prepared after the first.
        let look = "ls -A /box /tmp; ls -A /dev/shm 2>/dev/null; ipcs -m 2>/dev/null | grep -c '^0x' || true"
        let second = try await Fixtures.run(["/bin/sh", "-c", look], slot: Self.slot)
        #expect(second.status == .OK)
        #expect(!second.stdoutText.contains("left"), "a file of the earlier run is visible: \(second.stdoutText)")
        #expect(second.stdoutText.split(separator: "\n").last == "0", "a SysV segment of the earlier run is visible: \(second.stdoutText)")
    }

    @Test("stdin is a sealed memfd: /proc/self/fd/0 names no host path, and the program cannot change it")
    func stdinHidesItsPath() async throws {
        let dir = try PrivateDirectory.make(prefix: "secret-test-name")
        defer { dir.remove() }
        let input = dir.path + "/hidden-case-7.in"
        try Data("42\n".utf8).write(to: URL(fileURLWithPath: input))
        let r = try await Fixtures.run(["/bin/sh", "-c", "readlink /proc/self/fd/0; cat; (echo x >> /proc/self/fd/0) 2>/dev/null && echo wrote || echo refused"],
                                       stdin: .file(input), slot: Self.slot)
        #expect(r.status == .OK, "\(r.stderrText)")
        #expect(r.stdoutText.hasPrefix("/memfd:stdin"), "stdin shows \(r.stdoutText)")
        #expect(!r.stdoutText.contains("hidden-case-7") && !r.stdoutText.contains(dir.path))
        #expect(r.stdoutText.contains("42\n") && r.stdoutText.hasSuffix("refused\n"), "\(r.stdoutText)")
    }

    @Test("a request whose /box size differs from its prepared jail's gets its own size, and the next one its own again")
    func boxSizeFollowsEachRequest() async throws {
        // Prepared jails are mounted with the last request's sizes; pid 1 remounts only when a request differs.
        let fill = "(head -c 3000000 /dev/zero > /box/f) 2>/dev/null && echo fits || echo full"
        let big = try await Fixtures.run(["/bin/sh", "-c", fill], slot: Self.slot)
        #expect(big.status == .OK && big.stdoutText == "fits\n", "\(big.stdoutText) \(big.stderrText)")
        let small = try await Fixtures.run(["/bin/sh", "-c", fill], limits: LimitLayer(disk: 1 << 20), slot: Self.slot)
        #expect(small.status == .OK && small.stdoutText == "full\n", "a 1 MiB box took 3 MB: \(small.stdoutText)")
        let again = try await Fixtures.run(["/bin/sh", "-c", fill], slot: Self.slot)
        #expect(again.status == .OK && again.stdoutText == "fits\n", "the default box did not come back: \(again.stdoutText)")
    }

    @Test("a prepared jail is made away from the supervisor's CPU, but its program gets every CPU of the host")
    func programGetsEveryCPU() async throws {
        // pid 1 prepares on the other CPUs than the supervisor's (prepared.c) and gives the set back before the
        // program child drops its privileges; a program pinned to fewer CPUs would be a slower grader.
        // This process's affinity (what nproc counts), from the hexadecimal mask in /proc/self/status.
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let mask = try #require(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed:") }?.split(separator: ":").last)
        let cpus = mask.filter(\.isHexDigit).reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
        let want = "\(cpus)\n"
        for box in [[], [BoxEntry.file(path: "x", contents: Data())]] { // the supervisor's release, then pid 1's
            _ = try await Fixtures.run(["/bin/true"], slot: Self.slot)   // the next run takes a prepared jail
            let r = try await Fixtures.run(["/usr/bin/nproc"], box: box, slot: Self.slot)
            #expect(r.status == .OK && r.stdoutText == want, "nproc in the jail: \(r.stdoutText) \(r.stderrText), host: \(want)")
        }
    }

    @Test("stdin arrives whole whether the supervisor or pid 1 releases the program (no box, or a box)")
    func stdinOnBothPaths() async throws {
        // 300 kB: more than one copy buffer, so every chunk must land at its own offset.
        let input = Data((0..<300_000).map { UInt8(ascii: "a") + UInt8($0 % 26) })
        let direct = try await Fixtures.run(["/bin/sh", "-c", "wc -c"], stdin: .data(input), slot: Self.slot)
        #expect(direct.status == .OK && direct.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "300000", "\(direct.stdoutText)")
        let viaBox = try await Fixtures.run(["/bin/sh", "-c", "cat /box/note; wc -c"], box: [.file(path: "note", contents: Data("box\n".utf8))],
                                            stdin: .data(input), slot: Self.slot)
        #expect(viaBox.status == .OK && viaBox.stdoutText.replacingOccurrences(of: " ", with: "") == "box\n300000\n", "\(viaBox.stdoutText)")
        let same = try await Fixtures.run(["/bin/sh", "-c", "md5sum"], stdin: .data(input), slot: Self.slot)
        let sameBox = try await Fixtures.run(["/bin/sh", "-c", "md5sum"], box: [.file(path: "x", contents: Data())], stdin: .data(input), slot: Self.slot)
        #expect(same.status == .OK && same.stdoutText == sameBox.stdoutText && same.stdoutText.count > 32, "\(same.stdoutText) vs \(sameBox.stdoutText)")
    }

    @Test("each run reads its own cgroup's peak: after a run that used 150 MB the next one reports a small peak")
    func cgroupFilesAreTheJails() async throws {
        let hog = try await Fixtures.run(["/usr/bin/python3", "-c", "b = bytearray(150 * 1024 * 1024); print(len(b))"],
                                         limits: LimitLayer(memory: 512 << 20), slot: Self.slot)
        #expect(hog.status == .OK, "\(hog.stderrText)")
        let hogPeak = try #require(hog.cgroupMemoryPeakBytes, "no cgroup peak on this host")
        #expect(hogPeak >= 150 << 20, "the hog's peak is \(hogPeak)")
        let small = try await Fixtures.run(["/bin/true"], slot: Self.slot)
        #expect(small.status == .OK)
        let smallPeak = try #require(small.cgroupMemoryPeakBytes)
        #expect(smallPeak < 64 << 20, "the run after the hog reports a peak of \(smallPeak): it read another jail's cgroup")
    }

    @Test("jails copied from one root template each mount their own /box, /tmp and /proc once, and nothing of the host")
    func templateCopiesStayApart() async throws {
        // A serving helper builds each root once and every prepared pid 1 copies it (docs/polyjail.md, "Root
        // templates"); a mount of one jail that reached the template would show up, stacked, in the next.
        let list = "cut -d' ' -f5 /proc/self/mountinfo; (echo x > /new) 2>/dev/null && echo root-writable || echo root-ro"
        var seen: [String] = []
        for _ in 0..<4 {
            let r = try await Fixtures.run(["/bin/sh", "-c", list], slot: Self.slot)
            #expect(r.status == .OK, "\(r.stderrText)")
            seen.append(r.stdoutText)
        }
        #expect(Set(seen).count == 1, "the jails' mount tables differ: \(seen)")
        let points = seen[0].split(separator: "\n").map(String.init)
        for own in ["/box", "/tmp", "/proc"] { #expect(points.filter { $0 == own }.count == 1, "\(own) in \(points)") }
        #expect(points.last == "root-ro")
        #expect(!points.contains { $0.hasPrefix("/sys") || $0.hasPrefix("/run") || $0.hasPrefix("/work") }, "a host mount in the jail: \(points)")
    }

    @Test("a root template older than its age is rebuilt: a bound path that appears on the host reaches the later jails")
    func templateFollowsTheHost() throws {
        let helper = try ResourcePaths.helper()
        let dir = try PrivateDirectory.make(prefix: "serve-template")
        defer { dir.remove() }
        // Outside /tmp: a root with a bind below /tmp is built by each jail itself, without a template.
        let appears = "/run/polygrader-template-test-\(getpid())"
        try? FileManager.default.removeItem(atPath: appears)
        defer { try? FileManager.default.removeItem(atPath: appears) }
        let root = "seccomp default\nbind /usr\nbind /bin\nbind /lib\nbind_optional /lib64\nbind_optional \(appears)\n"
        for n in 1...6 {
            let spec = "id r\(n)\nargv /bin/sh\nargv -c\nargv cat \(appears)/marker 2>/dev/null || echo absent\n" + root
                + "stdout_file \(dir.path)/out\(n)\nend\n"
            try Data(spec.utf8).write(to: URL(fileURLWithPath: dir.path + "/r\(n)"))
        }
        // The first request builds the template and three jails from it; then the path appears. With a 200 ms age,
        // the jails prepared after the second request come from a rebuilt template; the sixth request takes one.
        let script = "cat \(dir.path)/r1; sleep 0.3; mkdir \(appears) && echo here > \(appears)/marker; sleep 0.5; "
            + (2...6).map { "cat \(dir.path)/r\($0)" }.joined(separator: "; sleep 0.3; ")
        let out = try HostCommand.runBlocking(["/bin/sh", "-c", "(\(script)) | \(helper) serve --slot \(Self.slot + 4)"],
                                              environment: ["POLYJAIL_TEMPLATE_MAX_AGE_MS": "200"], stdinFile: nil, timeout: 60, outputCap: 1 << 20)
        let records = out.stdoutText.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(records.count == 6 && records.allSatisfy { $0["status"] as? String == "OK" }, "\(out.stdoutText) \(out.stderrText)")
        let first = try String(contentsOfFile: dir.path + "/out1", encoding: .utf8)
        let last = try String(contentsOfFile: dir.path + "/out6", encoding: .utf8)
        #expect(first == "absent\n")
        #expect(last == "here\n", "the sixth jail still has the template from before the path appeared")
    }

    @Test("each jail makes its own cgroup, removing the one an earlier jail of that name left; none remains after the helper")
    func cgroupsLeftForTheNextJail() throws {
        let helper = try ResourcePaths.helper()
        let dir = try PrivateDirectory.make(prefix: "serve-cgroups")
        defer { dir.remove() }
        let slot = Self.slot + 8
        // Twelve runs: more than a slot's nine cgroup names, so every name is reused at least once; the last asks
        // for its peak, which must be its own cgroup's (a fresh one: well below the 150 MB the runs before it took).
        let hog = "argv /usr/bin/python3\nargv -c\nargv b = bytearray(150 << 20)\nmemory 536870912\n"
        let spec = (1...12).map { n in "id r\(n)\n" + (n < 12 ? hog : "argv /bin/true\nmemory 536870912\n") + Self.trueSpec.replacingOccurrences(of: "argv /bin/true\n", with: "") + "end\n" }.joined()
        try Data(spec.utf8).write(to: URL(fileURLWithPath: dir.path + "/specs"))
        let out = try HostCommand.runBlocking([helper, "serve", "--slot", String(slot)], environment: [:],
                                              stdinFile: dir.path + "/specs", timeout: 120, outputCap: 1 << 20)
        let records = out.stdoutText.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(records.count == 12 && records.allSatisfy { $0["status"] as? String == "OK" }, "\(out.stdoutText) \(out.stderrText)")
        if let peak = records.last?["cgroup_memory_peak_bytes"] as? Int { #expect(peak < 64 << 20, "the last run read a peak of \(peak)") }
        #expect(out.stderrText.isEmpty, "\(out.stderrText)")
        #expect(HostTrace.take(slot: slot).cgroups.isEmpty, "cgroups left after the helper exited: \(HostTrace.take(slot: slot).cgroups)")
    }

    @Test("a read-only bind below /tmp (a checkout in /tmp) is visible in the jail, on top of its own /tmp")
    func bindBelowTmp() async throws {
        let dir = try PrivateDirectory.make(prefix: "bound-package")
        defer { dir.remove() }
        try Data("package\n".utf8).write(to: URL(fileURLWithPath: dir.path + "/marker.txt"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        var r = RunRequest(argv: ["/bin/sh", "-c", "cat \(dir.path)/marker.txt; (echo x > \(dir.path)/new) 2>/dev/null && echo wrote || echo refused; echo t > /tmp/own && echo tmp-ok"],
                           profile: Fixtures.profile("interpreter"), limits: Limits(LimitLayer()))
        r.extraBinds = [SandboxProfile.Bind(path: dir.path, optional: false)]
        r.slot = Self.slot
        let result = try await Fixtures.jail.get().run(r)
        #expect(result.status == .OK, "\(result.stderrText)")
        #expect(result.stdoutText == "package\nrefused\ntmp-ok\n", "\(result.stdoutText)")
    }

    @Test("a request with 300 arguments runs (the old limit was 256)")
    func manyArguments() async throws {
        let args = (1...300).map { "a\($0)" }
        let r = try await Fixtures.run(["/bin/sh", "-c", "echo $#", "sh"] + args, sandbox: "native", slot: Self.slot)
        #expect(r.status == .OK)
        #expect(r.stdoutText == "300\n")
    }

    @Test("a request over the jail's argument limit is refused before the jail, as a typed error")
    func tooManyArguments() async throws {
        let args = (0...JailLimits.maxArguments).map { "a\($0)" }
        await #expect(throws: SandboxError.self) {
            _ = try await Fixtures.run(["/bin/echo"] + args, sandbox: "native", slot: Self.slot)
        }
    }

    @Test("a bad spec is read to its end: the next request gets its own record, with its own id")
    func badSpecDoesNotDesynchronise() throws {
        let helper = try ResourcePaths.helper()
        let dir = try PrivateDirectory.make(prefix: "serve-protocol")
        defer { dir.remove() }
        let good = Self.trueSpec
        // The first spec is bad in its middle and has lines after the bad one that would be a spec of their own.
        let bad = "id first\nargv /bin/true\nno_such_key 1\n" + good + (0..<300).map { "argv x\($0)\n" }.joined()
        let stream = bad + "end\n" + "id second\n" + good + "end\n"
        try Data(stream.utf8).write(to: URL(fileURLWithPath: dir.path + "/specs"))
        let out = try HostCommand.runBlocking([helper, "serve", "--slot", String(Self.slot + 1)], environment: [:],
                                              stdinFile: dir.path + "/specs", timeout: 60, outputCap: 1 << 20)
        let records = out.stdoutText.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(records.count == 2, "records: \(out.stdoutText)")
        #expect(records.first??["id"] as? String == "first")
        #expect(records.first??["status"] as? String == "IE")
        #expect((records.first??["error"] as? String)?.contains("no_such_key") == true)
        #expect(records.last??["id"] as? String == "second")
        #expect(records.last??["status"] as? String == "OK")
    }

    @Test("a slot alternating two roots (a compile step and its runs) finds a prepared jail for each")
    func twoRootsBothPrepared() throws {
        let helper = try ResourcePaths.helper()
        let dir = try PrivateDirectory.make(prefix: "serve-roots")
        defer { dir.remove() }
        let root = Self.trueSpec
        try Data(("id a\n" + root + "end\n").utf8).write(to: URL(fileURLWithPath: dir.path + "/a"))
        try Data(("id b\n" + root + "bind_optional /sbin\nend\n").utf8).write(to: URL(fileURLWithPath: dir.path + "/b"))
        // Gaps between the requests, so that the helper prepares as it does between a watcher's steps.
        let script = (["a", "b", "a", "b", "a"].map { "cat \(dir.path)/\($0)" }).joined(separator: "; sleep 0.4; ")
        let out = try HostCommand.runBlocking(["/bin/sh", "-c", "(\(script)) | \(helper) serve --slot \(Self.slot + 2)"], environment: [:],
                                              stdinFile: nil, timeout: 60, outputCap: 1 << 20)
        let records = out.stdoutText.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(records.map { $0["id"] as? String } == ["a", "b", "a", "b", "a"], "\(out.stdoutText) \(out.stderrText)")
        #expect(records.allSatisfy { $0["status"] as? String == "OK" })
        #expect(records.map { $0["prepared"] as? Bool } == [false, false, true, true, true], "\(out.stdoutText)")
    }

    @Test("a fixed slot held by another process is refused with a clear message, not waited for forever")
    func heldSlotRefused() throws {
        let helper = try ResourcePaths.helper()
        let slot = Self.slot + 3
        let lock = open("/run/polyjail/slots/\(slot).lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        try #require(lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0, "cannot hold slot \(slot)'s lock")
        defer { close(lock) }
        let out = try HostCommand.runBlocking([helper, "serve", "--slot", String(slot)], environment: ["POLYJAIL_SLOT_WAIT_MS": "300"],
                                              stdinFile: "/dev/null", timeout: 60, outputCap: 1 << 20)
        #expect(out.status == 1, "\(out.stdoutText) \(out.stderrText)")
        #expect(out.stderrText.contains("slot \(slot) is held by another process"), "\(out.stderrText)")
    }

    @Test("Swift's limits of one spec are polyjail's own (polyjail tables)")
    func specLimitsAgree() throws {
        let t = try JailTables.current.get().specLimits
        #expect(t.maxArguments == JailLimits.maxArguments)
        #expect(t.maxSpecBytes == JailLimits.maxSpecBytes)
        #expect(t.maxLineBytes == JailLimits.maxLineBytes)
    }

    @Test("a record that answers another request is refused")
    func recordMustEchoItsID() {
        #expect(throws: SandboxError.self) {
            try ServeHelpers.check(record: Data(#"{"id":"7-1","status":"OK"}"#.utf8), answers: "7-2")
        }
        #expect(throws: Never.self) {
            try ServeHelpers.check(record: Data(#"{"id":"7-2","status":"OK"}"#.utf8), answers: "7-2")
        }
    }
}
