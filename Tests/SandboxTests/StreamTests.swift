// `polyjail run --stream` and JailStream (docs/polyjail.md, "Streams"): a long-lived jailed program whose
// stdin and stdout are our pipes, under the same sandbox, limits and slot rules as any run.
import Foundation
import Sandbox
import Testing

@Suite("Streamed services", .serialized)
struct StreamTests {
    init() throws { try #require(Fixtures.jailAvailable, "the jail cannot run on this host") }

    func request(_ argv: [String], slot: Int, limits: LimitLayer = LimitLayer(cpu: 5, wall: 30)) -> RunRequest {
        var r = RunRequest(argv: argv, profile: Fixtures.profile("interpreter"), limits: Limits(limits))
        r.slot = slot
        return r
    }

    @Test("the program reads our pipe and answers on the other, request after request; stopped, nothing of it is left")
    func echoAndStop() async throws {
        let jail = try PolyjailRunner(minimum: .noCgroup)
        let stream = try jail.borrowStream(key: "cat", request: request(["/bin/cat"], slot: 37))
        for word in ["ping\n", "pong\n"] {
            let back = try await stream.exchange(timeout: 10) { io in
                try io.write(Array(word.utf8))
                return try io.read(5)
            }
            #expect(back == Array(word.utf8))
        }
        jail.returnStream(stream)
        // The pool hands the same service to the next request with its key.
        let again = try jail.borrowStream(key: "cat", request: request(["/bin/cat"], slot: 37))
        #expect(again === stream)
        jail.returnStream(again)
        jail.drainHelpers()
        let trace = HostTrace.take(slot: 37)
        #expect(trace.processes.isEmpty && trace.cgroups.isEmpty && trace.strayFiles.isEmpty, "\(trace)")
    }

    @Test("the jail's limits hold for a stream: past its wall limit the program is gone and the exchange fails at once")
    func wallLimitEndsStream() async throws {
        let jail = try PolyjailRunner(minimum: .noCgroup)
        defer { jail.drainHelpers() }
        let stream = try jail.borrowStream(key: "sleep", request: request(["/bin/sleep", "100"], slot: 37, limits: LimitLayer(cpu: 1, wall: 1)))
        let started = Date()
        await #expect(throws: SandboxError.self) {
            _ = try await stream.exchange(timeout: 20) { io in try io.read(1) }
        }
        // EOF at the wall limit (1 s), long before the exchange's own 20 s.
        #expect(Date().timeIntervalSince(started) < 15)
        stream.stop()
    }

    @Test("services on auto slots are bounded (each holds one of the 32 auto slots for its life); past the bound the caller goes cold")
    func autoSlotsBounded() throws {
        let jail = try PolyjailRunner(minimum: .noCgroup)
        defer { jail.drainHelpers() }
        var r = request(["/bin/cat"], slot: 0)
        r.slot = nil
        let held = try (0..<4).map { _ in try jail.borrowStream(key: "cat", request: r) }
        #expect(throws: SandboxError.self) { _ = try jail.borrowStream(key: "cat", request: r) }
        held[0].stop()
        let again = try jail.borrowStream(key: "cat", request: r)
        for s in held.dropFirst() + [again] { s.stop() }
    }

    @Test("run --stream refuses descriptors that are not pipes (a socket could carry descriptors, a file names a path)")
    func refusesNonPipes() async throws {
        let helper = try ResourcePaths.helper()
        let r = try await HostCommand.run(["/bin/sh", "-c", "exec \"$0\" run --stream /dev/null 3</dev/null 4>/dev/null", helper])
        #expect(r.status == 2)
        #expect(r.stderrText.contains("descriptor 3 must be the read end of a pipe"), "\(r.stderrText)")
    }
}
