// The alert webhook: the pure policy (when to alert), then real POSTs to a small Hummingbird receiver on
// 127.0.0.1: once after the threshold, never before, once on recovery; a failing webhook is retried on the next
// report; a dead one never throws. Time is injected: nothing sleeps.
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Testing
@testable import Watcher

@Suite("Alert policy")
struct AlertPolicyTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("no alert before the queue has failed continuously for `after` seconds; one alert at the threshold")
    func threshold() {
        var p = AlertPolicy(after: 60)
        #expect(p.failed("q", error: "HTTP 500", at: t0) == .none)
        #expect(p.failed("q", error: "HTTP 502", at: t0 + 59.9) == .none)
        let action = p.failed("q", error: "refused", at: t0 + 60)
        #expect(action == .sendFailing(queue: "q", since: t0, error: "refused"))
        p.delivered(action)
        #expect(p.failed("q", error: "refused", at: t0 + 120) == .none)
    }

    @Test("a success before the threshold forgets the failure: the next failure starts a new period, no recovery")
    func shortFailure() {
        var p = AlertPolicy(after: 60)
        _ = p.failed("q", error: "e", at: t0)
        #expect(p.succeeded("q", at: t0 + 30) == .none)
        #expect(p.failed("q", error: "e", at: t0 + 70) == .none)
        #expect(p.failed("q", error: "e", at: t0 + 129) == .none)
        #expect(p.failed("q", error: "e", at: t0 + 130) == .sendFailing(queue: "q", since: t0 + 70, error: "e"))
    }

    @Test("after a delivered alert, the first success asks for one recovery")
    func recovery() {
        var p = AlertPolicy(after: 10)
        _ = p.failed("q", error: "e", at: t0)
        p.delivered(p.failed("q", error: "e", at: t0 + 10))
        let action = p.succeeded("q", at: t0 + 15)
        #expect(action == .sendRecovered(queue: "q", since: t0, at: t0 + 15))
        p.delivered(action)
        #expect(p.succeeded("q", at: t0 + 16) == .none)
        #expect(p.queues["q"] == nil)
    }

    @Test("undelivered alerts are asked for again; a failure before the recovery is delivered keeps the incident")
    func undelivered() {
        var p = AlertPolicy(after: 10)
        _ = p.failed("q", error: "e", at: t0)
        #expect(p.failed("q", error: "e", at: t0 + 10) == .sendFailing(queue: "q", since: t0, error: "e"))
        #expect(p.failed("q", error: "e2", at: t0 + 20) == .sendFailing(queue: "q", since: t0, error: "e2"))
        p.delivered(.sendFailing(queue: "q", since: t0, error: "e2"))
        #expect(p.succeeded("q", at: t0 + 30) == .sendRecovered(queue: "q", since: t0, at: t0 + 30))
        #expect(p.failed("q", error: "e3", at: t0 + 40) == .none)
        #expect(p.succeeded("q", at: t0 + 50) == .sendRecovered(queue: "q", since: t0, at: t0 + 50))
    }

    @Test("queues are tracked separately")
    func perQueue() {
        var p = AlertPolicy(after: 10)
        _ = p.failed("a", error: "e", at: t0)
        #expect(p.failed("b", error: "e", at: t0 + 10) == .none)
        #expect(p.failed("a", error: "e", at: t0 + 10) == .sendFailing(queue: "a", since: t0, error: "e"))
    }
}

@Suite("Alert webhook")
struct AlertWebhookTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("POSTs queue_failing once after the threshold, never before, and queue_recovered once")
    func failingThenRecovered() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            let notifier = AlertNotifier(configuration: try .init(webhook: url, after: 60, instance: "grader-1"),
                                         logger: quietLogger)
            await notifier.handle(.failed(queue: "q1", error: "HTTP 500", at: t0))
            await notifier.handle(.failed(queue: "q1", error: "HTTP 500", at: t0 + 30))
            await notifier.handle(.succeeded(queue: "q2", at: t0 + 59))
            #expect(await receiver.bodies.isEmpty)

            await notifier.handle(.failed(queue: "q1", error: "connection refused", at: t0 + 61))
            await notifier.handle(.failed(queue: "q1", error: "connection refused", at: t0 + 90))
            let failing = await receiver.payloads
            #expect(failing == [AlertPayload(event: "queue_failing", queue: "q1", since: "2027-01-15T08:00:00Z",
                                             error: "connection refused", recovered_at: nil, instance: "grader-1")])
            #expect(await receiver.contentTypes == ["application/json"])

            await notifier.handle(.succeeded(queue: "q1", at: t0 + 100))
            await notifier.handle(.succeeded(queue: "q1", at: t0 + 101))
            let all = await receiver.payloads
            #expect(all.count == 2)
            #expect(all.last == AlertPayload(event: "queue_recovered", queue: "q1", since: "2027-01-15T08:00:00Z",
                                             error: nil, recovered_at: "2027-01-15T08:01:40Z", instance: "grader-1"))
            // The exact JSON keys of the failing alert.
            let first = try #require(try JSONSerialization.jsonObject(with: await receiver.bodies[0]) as? [String: Any])
            #expect(Set(first.keys) == ["event", "queue", "since", "error", "instance"])
        }
    }

    @Test("a webhook answering 500 is retried on the next report, then not again")
    func retriedOnNextReport() async throws {
        let receiver = WebhookReceiver(statuses: [.internalServerError])
        try await receiver.run { url in
            let notifier = AlertNotifier(configuration: try .init(webhook: url, after: 10, instance: "i"),
                                         logger: quietLogger)
            await notifier.handle(.failed(queue: "q", error: "e", at: t0))
            await notifier.handle(.failed(queue: "q", error: "e", at: t0 + 10))
            #expect(await receiver.bodies.count == 1)
            #expect(await notifier.alertOpen(for: "q") == false)
            await notifier.handle(.failed(queue: "q", error: "e", at: t0 + 11))
            #expect(await receiver.bodies.count == 2)
            #expect(await notifier.alertOpen(for: "q") == true)
            await notifier.handle(.failed(queue: "q", error: "e", at: t0 + 12))
            #expect(await receiver.bodies.count == 2)
        }
    }

    @Test("a dead webhook never throws into the reporter; the alert stays owed", .timeLimit(.minutes(1)))
    func deadWebhook() async throws {
        // Port 1 on the loopback: nothing listens there, the connection is refused.
        let url = try #require(URL(string: "http://127.0.0.1:1/hook"))
        let notifier = AlertNotifier(configuration: try .init(webhook: url, after: 0, instance: "i", timeout: .milliseconds(300)),
                                     logger: quietLogger)
        await notifier.handle(.failed(queue: "q", error: "e", at: t0))
        await notifier.handle(.failed(queue: "q", error: "e", at: t0 + 1))
        #expect(await notifier.alertOpen(for: "q") == false)
    }

    @Test("as a service: reports return at once, are stamped by the injected clock, and graceful shutdown ends run()",
          .timeLimit(.minutes(1)))
    func asService() async throws {
        let receiver = WebhookReceiver()
        let clock = ManualClock(t0)
        try await receiver.run { url in
            let notifier = AlertNotifier(configuration: try .init(webhook: url, after: 300, instance: "i"),
                                         logger: quietLogger, now: { clock.now })
            let group = ServiceGroup(services: [notifier], logger: quietLogger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                notifier.queueFailed("q", error: "HTTP 503")
                clock.advance(by: 299)
                notifier.queueFailed("q", error: "HTTP 503")
                clock.advance(by: 1)
                notifier.queueFailed("q", error: "HTTP 504")
                notifier.queueSucceeded("q")
                let events = try await receiver.next(2)
                #expect(events.map(\.event) == ["queue_failing", "queue_recovered"])
                #expect(events[0].error == "HTTP 504")
                #expect(events[0].since == "2027-01-15T08:00:00Z")
                #expect(events[1].recovered_at == "2027-01-15T08:05:00Z")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(await receiver.bodies.count == 2)
        }
    }

    @Test("the webhook must be an http or https URL")
    func badWebhook() throws {
        #expect(throws: OperationsError.self) {
            try AlertNotifier.Configuration(webhook: URL(string: "file:///tmp/x")!, after: 1)
        }
    }
}

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// A tiny webhook on 127.0.0.1: records each POST /hook body and answers the scripted statuses, then 204.
actor WebhookReceiver {
    private(set) var bodies: [Data] = []
    private(set) var contentTypes: [String] = []
    private var statuses: [HTTPResponse.Status]
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(statuses: [HTTPResponse.Status] = []) { self.statuses = statuses }

    var payloads: [AlertPayload] {
        bodies.compactMap { try? JSONDecoder().decode(AlertPayload.self, from: $0) }
    }

    func record(_ body: Data, contentType: String?) -> HTTPResponse.Status {
        bodies.append(body)
        contentTypes.append(contentType ?? "")
        let ready = waiters.filter { bodies.count >= $0.count }
        waiters.removeAll { bodies.count >= $0.count }
        for w in ready { w.continuation.resume() }
        return statuses.isEmpty ? .noContent : statuses.removeFirst()
    }

    /// Waits until `count` bodies have arrived (the test's own time limit applies).
    func next(_ count: Int) async throws -> [AlertPayload] {
        if bodies.count < count {
            await withCheckedContinuation { waiters.append((count, $0)) }
        }
        return payloads
    }

    /// Serves on 127.0.0.1:0 while `body` runs with the webhook URL.
    nonisolated func run(_ body: (URL) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 16)
            let status = await self.record(Data(buffer: buffer), contentType: request.headers[.contentType])
            return Response(status: status)
        }
        try await withServiceOnPort({ onRunning in
            Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                        onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: quietLogger)
        }) { port in try await body(URL(string: "http://127.0.0.1:\(port)/hook")!) }
    }
}
