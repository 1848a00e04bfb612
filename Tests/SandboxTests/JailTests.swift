// The jail's behaviour through the real polyjail: limits, streams, box files, collection.
import Foundation
import Sandbox
import Testing

@Suite("Jail runs")
struct JailTests {
    init() throws { try #require(Fixtures.jailAvailable, "the jail cannot run on this host: \(Fixtures.jail)") }

    @Test("a CPU spin is stopped for CPU time with TLE")
    func cpuSpin() async throws {
        let r = try await Fixtures.run(["/bin/sh", "-c", "while :; do :; done"], sandbox: "native", limits: LimitLayer(cpu: 0.5, wall: 30))
        #expect(r.status == .TLE)
        #expect(r.limit == "cpu")
    }

    @Test("a sleeping program is stopped for wall time with TLE")
    func wall() async throws {
        let r = try await Fixtures.run(["/bin/sleep", "30"], sandbox: "native", limits: LimitLayer(cpu: 0.5, wall: 1))
        #expect(r.status == .TLE)
        #expect(r.limit == "wall")
    }

    @Test("stdin reaches the program and stdout comes back")
    func stdinStdout() async throws {
        let r = try await Fixtures.run(["/bin/cat"], sandbox: "native", stdin: .data(Data("echo: Hello\n".utf8)))
        #expect(r.status == .OK)
        #expect(r.stdoutText == "echo: Hello\n")
        #expect(r.exitCode == 0)
    }

    @Test("stdout past the cap is OLE and the first bytes are kept")
    func outputCap() async throws {
        let r = try await Fixtures.run(["/usr/bin/yes"], sandbox: "native", limits: LimitLayer(output: 64 << 10))
        #expect(r.status == .OLE)
        #expect(r.limit == "output")
        #expect(r.stdout.count == 64 << 10)
        #expect(r.stdoutTruncated)
    }

    @Test("stderr has its own cap")
    func stderrCap() async throws {
        let r = try await Fixtures.run(["/bin/sh", "-c", "yes >&2"], sandbox: "native", limits: LimitLayer(stderr: 4096))
        #expect(r.status == .OLE)
        #expect(r.limit == "stderr")
    }

    @Test("a Python memory bomb under 64 MiB is MLE")
    func memoryBomb() async throws {
        let r = try await Fixtures.run(["/usr/bin/python3", "-c", "x=[]\nwhile True: x.append(bytearray(1<<20))"],
                                       limits: LimitLayer(memory: 64 << 20))
        #expect(r.status == .MLE)
        #expect(r.limit == "memory")
    }

    @Test("a non-zero exit is RE with its code; a crash names its signal")
    func exits() async throws {
        let a = try await Fixtures.run(["/bin/sh", "-c", "exit 3"], sandbox: "native")
        #expect(a.status == .RE && a.exitCode == 3)
        let b = try await Fixtures.run(["/bin/sh", "-c", "kill -SEGV $$"], sandbox: "native")
        #expect(b.status == .RE && b.signalName == "SIGSEGV")
    }

    @Test("a missing program is RE with the exec error, not an internal error")
    func missingProgram() async throws {
        let r = try await Fixtures.run(["/nonexistent/prog"], sandbox: "native")
        #expect(r.status == .RE)
        #expect(r.exitCode == 127)
        #expect(r.execError != nil)
    }

    @Test("box files are placed in /box with their modes, and the program runs as the slot uid")
    func boxFiles() async throws {
        let r = try await Fixtures.run(["/bin/sh", "-c", "ls -l sub/a.txt run.sh | cut -c1-10; ./run.sh; id -u; cat sub/a.txt"],
                                       sandbox: "interpreter",
                                       box: [.file(path: "sub/a.txt", contents: Data("A\n".utf8)),
                                             .file(path: "run.sh", contents: Data("#!/bin/sh\necho ran\n".utf8), executable: true)])
        #expect(r.status == .OK, "\(r.stderrText)")
        let lines = r.stdoutText.split(separator: "\n").map(String.init)
        try #require(lines.count == 5, "\(r.stdoutText) \(r.stderrText)")
        #expect(lines[0] == "-rwxr-xr-x") // run.sh
        #expect(lines[1] == "-rw-r--r--") // sub/a.txt
        #expect(lines[2] == "ran")
        #expect(Int(lines[3]).map { $0 >= 60000 } == true)
        #expect(lines[4] == "A")
    }

    @Test("a strict profile that allows socket and personality gets their allow lists, compared at 32 bits; the rest of socket is outside (SV)")
    func strictSocketAllowList() async throws {
        let work = try PrivateDirectory.make(prefix: "strictsock")
        defer { work.remove() }
        let program = #"""
            #define _GNU_SOURCE
            #include <errno.h>
            #include <stdio.h>
            #include <string.h>
            #include <sys/personality.h>
            #include <sys/socket.h>
            #include <sys/syscall.h>
            #include <unistd.h>
            #define HI (1ull << 32)
            static void t(const char *w, long r) { printf("%s: %s\n", w, r >= 0 ? "works" : strerrorname_np(errno)); }
            int main(void) {
                setvbuf(stdout, NULL, _IONBF, 0);
                t("unix stream", syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
                t("HI|inet6 dgram", syscall(SYS_socket, HI | AF_INET6, SOCK_DGRAM, 0));
                t("HI|netlink", syscall(SYS_socket, HI | AF_NETLINK, SOCK_DGRAM, 0));
                t("inet raw", syscall(SYS_socket, AF_INET, SOCK_RAW, 1));
                t("personality query", syscall(SYS_personality, 0xffffffffUL));
                t("personality HI|norandom", syscall(SYS_personality, HI | ADDR_NO_RANDOMIZE));
                t("inet rdm", syscall(SYS_socket, AF_INET, SOCK_RDM, 0));
                return 0;
            }
            """#
        try program.write(toFile: work.path + "/main.c", atomically: true, encoding: .utf8)
        let cc = try HostCommand.runBlocking(["gcc", "-O1", "-o", work.path + "/main", work.path + "/main.c"], environment: nil,
                                             stdinFile: nil, timeout: 60, outputCap: 1 << 16)
        try #require(cc.status == 0, "gcc failed: \(cc.stderrText)")
        var profile = Fixtures.profile("native")
        profile.allow += ["socket", "personality"]
        profile.errno["socket"] = nil
        var request = RunRequest(argv: ["./main"], profile: profile, limits: Limits(LimitLayer()))
        request.box = [.copy(hostPath: work.path + "/main", to: "main")]
        let r = try await Fixtures.jail.get().run(request)
        #expect(r.status == .SV && r.syscall == "socket", "\(r.status) \(r.syscall ?? "-") \(r.error ?? "")")
        #expect(r.stdoutText == """
            unix stream: works
            HI|inet6 dgram: works
            HI|netlink: EPERM
            inet raw: EPERM
            personality query: works
            personality HI|norandom: EPERM

            """, "\(r.stdoutText)")
    }

    @Test("the slot uid base is configurable, and a slot uid that is a host user or group is refused as IE")
    func uidBase() async throws {
        let moved = try await Fixtures.run(["/usr/bin/id", "-u"], sandbox: "native", slot: 52, uidBase: 61000)
        #expect(moved.status == .OK && moved.stdoutText == "61052\n" && moved.uid == 61052, "\(moved.status) \(moved.stdoutText) \(moved.error ?? "")")
        // nobody (65534) lives in every host's passwd and nogroup/nobody in its group file.
        let nobody = try #require(getpwnam("nobody")).pointee.pw_uid
        let clash = try await Fixtures.run(["/bin/true"], sandbox: "native", slot: 52, uidBase: Int(nobody) - 52)
        #expect(clash.status == .IE)
        #expect(clash.error?.contains("slot uid \(nobody) is the host user \"nobody\"") == true, "\(clash.error ?? "no error")")
    }

    @Test("collected files and directories come out; a planted symlink or FIFO is never followed")
    func collection() async throws {
        let out = try PrivateDirectory.make(prefix: "collect")
        defer { out.remove() }
        let script = "mkdir -p classes/p && echo c > classes/p/A.class && echo bin > main && ln -s /etc/shadow report.xml && mkfifo pipe && ln -s /etc classes/etc"
        let r = try await Fixtures.run(["/bin/sh", "-c", script], sandbox: "compiler",
                                       collect: ["main", "classes", "report.xml", "pipe", "missing"], collectInto: out.path)
        #expect(r.status == .OK, "\(r.stderrText)")
        let fm = FileManager.default
        #expect(try String(contentsOfFile: out.path + "/main", encoding: .utf8) == "bin\n")
        #expect(try String(contentsOfFile: out.path + "/classes/p/A.class", encoding: .utf8) == "c\n")
        #expect(!fm.fileExists(atPath: out.path + "/report.xml"))
        #expect(!fm.fileExists(atPath: out.path + "/pipe"))
        #expect(!fm.fileExists(atPath: out.path + "/classes/etc"))
    }

    @Test("a syscall outside the strict allow-list is SV naming it, and the program gets no further")
    func namedViolation() async throws {
        let dir = try PrivateDirectory.make(prefix: "sv")
        defer { dir.remove() }
        try "#include <unistd.h>\n#include <stdio.h>\nint main(void){ puts(\"before\"); fflush(stdout); setuid(0); puts(\"after\"); return 0; }\n"
            .write(toFile: dir.path + "/t.c", atomically: true, encoding: .utf8)
        let cc = try HostCommand.runBlocking(["gcc", "-o", dir.path + "/main", dir.path + "/t.c"], environment: nil, stdinFile: nil, timeout: 60, outputCap: 4096)
        try #require(cc.status == 0)
        let r = try await Fixtures.run(["./main"], sandbox: "native", box: [.copy(hostPath: dir.path + "/main", to: "main")])
        #expect(r.status == .SV)
        #expect(r.syscall == "setuid")
        #expect(r.stdoutText == "before\n")
    }

    @Test("a program cannot see the host's environment or files")
    func isolation() async throws {
        setenv("POLYGRADER_TEST_SECRET", "hunter2", 1)
        let r = try await Fixtures.run(["/bin/sh", "-c", "env; ls /; cat /etc/shadow /root/.bashrc 2>&1; hostname"], sandbox: "native")
        #expect(!r.stdoutText.contains("hunter2"))
        #expect(r.stdoutText.contains("HOME=/box"))
        #expect(r.stdoutText.contains("No such file"))
        #expect(r.stdoutText.contains("polygrader\n"))
        #expect(!r.stdoutText.contains("\nroot\n") && !r.stdoutText.contains("\nhome\n"))
    }

    @Test("at the no-cgroup level memory is held by RLIMIT_AS and the run still works")
    func noCgroupLevel() async throws {
        let jail = try PolyjailRunner(minimum: .noCgroup, cap: .noCgroup)
        var req = RunRequest(argv: ["/usr/bin/python3", "-c", "x = bytearray(200 << 20)"], profile: Fixtures.profile("interpreter"),
                             limits: Limits(LimitLayer(memory: 64 << 20)))
        let r = try await jail.run(req)
        #expect(r.isolation == "no-cgroup")
        #expect(r.cgroup == "none")
        #expect(r.status == .RE)
        #expect(r.stderrText.contains("MemoryError"))
        req.argv = ["/bin/echo", "ok"]
        let ok = try await jail.run(req)
        #expect(ok.status == .OK && ok.stdoutText == "ok\n")
    }
}
