// Timeouts (with their floors), slow and dropped replies on get_submission, and get_queuelen on both servers.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import XQueue
import XQueueFakes

@Suite("Timeouts and queue length")
struct TimeoutAndQueueLengthTests {
    @Test("REQUESTS_TIMEOUT is raised to 5 s for API calls and 30 s for downloads, and kept when larger")
    func floors() {
        #expect(Timeouts(requested: 1).api == 5)
        #expect(Timeouts(requested: 1).download == 30)
        #expect(Timeouts(requested: 1).raised)
        #expect(Timeouts(requested: 45).api == 45)
        #expect(Timeouts(requested: 45).download == 45)
        #expect(Timeouts(requested: 45).raised == false)
        #expect(Timeouts(requested: .nan).api == 5)
        #expect(XQueueConfiguration(server: URL(string: "http://x")!).timeouts == Timeouts(requested: 1))
    }

    @Test("a reply slower than the timeout is timedOut, once: get_submission itself never retries")
    func slowGet() async throws {
        try await Harness.run(.classic) { client, fake in
            try await client.login()
            await fake.enqueue("q")
            await fake.inject("/xqueue/get_submission/", .delay(.seconds(600)))
            await client.setAPITimeout(2)
            let error = await Harness.error { try await client.getSubmission(queue: "q") }
            await client.setAPITimeout(120)
            #expect(error == .timedOut(.getSubmission, seconds: 2))
            #expect(await fake.count("/xqueue/get_submission/") == 1)
            // The client is still usable afterwards, and the submission is served again.
            #expect(try await client.getSubmission(queue: "q")?.header.id == "101")
            #expect(await fake.count("/xqueue/login/", method: "POST") == 1)
        }
    }

    @Test("a dropped connection on get_submission is a transport error, and a 500 page an HTTP status error")
    func droppedAndServerError() async throws {
        try await Harness.run(.lms) { client, fake in
            try await client.login()
            await fake.inject("/xqueue/get_submission/", .drop, .status(500))
            let dropped = await Harness.error { try await client.getSubmission(queue: "q") }
            guard case .transport(.getSubmission, _)? = dropped else {
                Issue.record("expected a transport error, got \(String(describing: dropped))")
                return
            }
            let failed = await Harness.error { try await client.getSubmission(queue: "q") }
            guard case .httpStatus(.getSubmission, 500, _)? = failed else {
                Issue.record("expected HTTP 500, got \(String(describing: failed))")
                return
            }
            #expect(dropped?.isTransient == true && failed?.isTransient == true)
            #expect(await fake.count("/xqueue/get_submission/") == 2)
        }
    }

    @Test("a dropped connection is seen even while another process holds a copy of the server's socket")
    func droppedWithInheritedSocket() async throws {
        try await Harness.run(.lms) { client, fake in
            try await client.login()  // the keep-alive connection is now open on both sides
            let holder = try SocketHolder.spawn()  // inherits every descriptor without close-on-exec
            defer { holder.stop() }
            await fake.inject("/xqueue/get_submission/", .drop)
            await client.setAPITimeout(30)  // without the shutdown, the client would wait for this timeout
            let dropped = await Harness.error { try await client.getSubmission(queue: "q") }
            guard case .transport(.getSubmission, _)? = dropped else {
                Issue.record("expected a transport error, got \(String(describing: dropped))")
                return
            }
        }
    }

    @Test("classic XQueue reports the number of waiting submissions")
    func classicLength() async throws {
        try await Harness.run(.classic) { client, fake in
            await fake.enqueue("q")
            await fake.enqueue("q")
            await fake.enqueue("other")
            let length = try await client.queueLength(queue: "q")
            #expect(length == 2)
            let error = await Harness.error { try await client.queueLength(queue: "typo") }
            #expect(error == .rejected(.getQueueLength, status: 200, message: "Queue 'typo' not found"))
        }
    }

    @Test("the LMS has no get_queuelen: nil, not an error")
    func lmsLength() async throws {
        try await Harness.run(.lms) { client, fake in
            await fake.enqueue("q")
            let length = try await client.queueLength(queue: "q")
            #expect(length == nil)
            #expect(await fake.count("/xqueue/get_queuelen/") == 1)
        }
    }
}

/// A `sleep` started with plain posix_spawn, which keeps every descriptor of this process that lacks
/// close-on-exec: what a jail helper spawned by another test does to our sockets.
struct SocketHolder {
    let pid: pid_t

    static func spawn() throws -> SocketHolder {
        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("sleep"), strdup("300"), nil]
        defer { argv.forEach { free($0) } }
        let rc = posix_spawn(&pid, "/bin/sleep", nil, nil, &argv, environ)
        guard rc == 0 else { throw POSIXError(.init(rawValue: rc) ?? .EIO) }
        return SocketHolder(pid: pid)
    }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
