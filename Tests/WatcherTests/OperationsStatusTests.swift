// WatcherStatus: queue health transitions and the language self-test states.
import Foundation
import Testing
@testable import Watcher

@Suite("Watcher status")
struct OperationsStatusTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("failing-since is the first failure after a success, and a success clears it")
    func failingSince() async {
        let status = WatcherStatus(queues: ["q"])
        await status.queueLoggedIn("q", at: t0)
        await status.queueFailed("q", error: "HTTP 500", at: t0 + 5)
        await status.queueFailed("q", error: "HTTP 502", at: t0 + 9)
        var h = await status.queue("q")
        #expect(h == QueueHealth(loggedIn: true, lastError: "HTTP 502", failingSince: t0 + 5, lastSuccess: t0))
        await status.queueSucceeded("q", at: t0 + 12)
        h = await status.queue("q")
        #expect(h?.failingSince == nil)
        #expect(h?.lastSuccess == t0 + 12)
        #expect(h?.loggedIn == true)
    }

    @Test("a failed login makes the queue not logged in until the next successful login")
    func login() async {
        let status = WatcherStatus(queues: ["q"])
        await status.queueLoggedIn("q", at: t0)
        await status.queueLoginFailed("q", error: "refused", at: t0 + 1)
        #expect(await status.queue("q")?.loggedIn == false)
        await status.queueSucceeded("q", at: t0 + 2)
        #expect(await status.queue("q")?.loggedIn == false)
        await status.queueLoggedIn("q", at: t0 + 3)
        #expect(await status.queue("q")?.loggedIn == true)
    }

    @Test("self-test states: pending, ok with the version, failed with the reason (or the status)")
    func selfTest() {
        #expect(LanguageReport.pending(name: "c", file: "c.yml").selfTest == .pending)
        #expect(ok("python").selfTest == .ok(version: "3.12.1"))
        #expect(failed("c", "toolchain-missing", "gcc: not found").selfTest == .failed(reason: "gcc: not found"))
        var noReason = failed("c", "invalid", "")
        noReason.reason = nil
        #expect(noReason.selfTest == .failed(reason: "invalid"))
    }

    @Test("an update replaces one language and readiness follows it")
    func updateLanguage() async {
        let status = WatcherStatus()
        await status.setIsolation(required: nil, available: .full)
        await status.setLanguages([.pending(name: "c", file: "c.yml")])
        #expect(await status.readiness().ready == false)
        await status.updateLanguage(ok("c"))
        #expect(await status.readiness() == Readiness(reasons: []))
        #expect(await status.languages().map(\.status) == ["ok"])
    }
}
