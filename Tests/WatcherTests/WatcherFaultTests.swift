// The watcher against a failing server (issue 12): 500s, dropped connections, slow replies, expired
// logins, stale keys, malformed envelopes, a restart, a refused login, an idle queue, and a shutdown with
// a submission in flight. In every case each submission gets exactly one stored reply with the right
// score, and the number of calls stays under a bound derived from PollSchedule: nothing lost, no loop.
// The real runtime, XQueue client and jail run against the in-process fake server (Tests/Support/XQueueFakes).
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Watcher
@testable import XQueue
import XQueueFakes

private let getPath = "/xqueue/get_submission/"
private let putPath = "/xqueue/put_result/"
private let loginPath = "/xqueue/login/"

@Suite("The watcher under server faults", .serialized)
struct WatcherFaultTests {
    @Test("get_submission failing with 500 backs off (calls bounded by the schedule), then the queue recovers")
    func serverErrorsThenRecovery() async throws {
        let start = ContinuousClock.now
        let rig = try await FaultRig(.lms, queued: [FaultRig.goodSum]) { $0.setLastingFault(getPath, .status(500)) }
        try await rig.until("six failed pulls") { rig.events.failures("get_submission") >= 6 }
        let calls = await rig.fake.count(getPath)
        let bound = CallBound.afterFailures(seconds(since: start), rig.polling)
        #expect(calls >= 6)
        #expect(calls <= bound, "\(calls) get_submission calls while failing; the schedule allows at most \(bound)")
        #expect(await rig.fake.stored.isEmpty)

        await rig.fake.setLastingFault(getPath, nil)
        let id = rig.queued[0]
        try await rig.untilAnswered(id)
        try await rig.stop()
        await rig.expectOneReply(id, score: 1, correct: true)
        #expect(await rig.fake.item(id)?.served == 1)
    }

    @Test("dropped connections: pulls back off and retry; a dropped put is retried; a put that arrived then 500 is probably stored")
    func droppedConnections() async throws {
        let rig = try await FaultRig(.lms, queued: [FaultRig.goodSum, FaultRig.partialSum]) { fake in
            fake.inject(getPath, .drop, .drop, .drop)
            // The first put is lost before it arrives; the second arrives (stored) but its answer is lost;
            // the third meets the LMS's 500 for a second reply: taken as stored, not retried again.
            fake.inject(putPath, .drop, .dropAfterHandling)
        }
        let (a, b) = (rig.queued[0], rig.queued[1])
        try await rig.until("both answered") { rig.events.answered.count == 2 }
        try await rig.stop()
        await rig.expectOneReply(a, score: 1, correct: true)
        await rig.expectOneReply(b, score: 0.75, correct: false)
        #expect(rig.events.answered.map(\.posted) == [true, true])
        #expect(rig.events.failures("get_submission") == 3)
        #expect(await rig.fake.count(putPath) == 3 + 1)
        #expect(await rig.fake.item(a)?.served == 1)
        #expect(await rig.fake.item(b)?.served == 1)
    }

    @Test("put_result failing on every attempt (500): the poller backs off between gradings (bounded), and the reply is stored once it recovers")
    func putFailingContinuously() async throws {
        // Long error pauses, so that back-to-back gradings (no pause) would exceed the bound many times over.
        let polling = FaultRig.polling(errorInitial: 0.5, errorMaximum: 2)
        let rig = try await FaultRig(.lms, polling: polling, queued: [FaultRig.goodSum]) { $0.setLastingFault(putPath, .status(500)) }
        let id = rig.queued[0]
        try await rig.until("a first reply refused") { !rig.events.answered(id).isEmpty }
        let windowStart = ContinuousClock.now
        let pullsBefore = await rig.fake.count(getPath)
        try await Task.sleep(for: .seconds(3))
        let pulls = await rig.fake.count(getPath) - pullsBefore
        let bound = CallBound.afterFailures(seconds(since: windowStart), polling)
        #expect(pulls <= bound, "\(pulls) pulls in a window of refused replies; the schedule allows at most \(bound)")
        // Each pull's reply was tried a bounded number of times (putAttempts, 4), never more; one more
        // reply may be on its way.
        let puts = await rig.fake.count(putPath)
        let answered = rig.events.answered(id).count
        #expect(puts <= 4 * (answered + 1))
        #expect(await rig.fake.stored.isEmpty)

        await rig.fake.setLastingFault(putPath, nil)
        try await rig.untilAnswered(id)
        try await rig.until("the stored reply reported") { rig.events.answered(id).last?.posted == true }
        try await rig.stop()
        await rig.expectOneReply(id, score: 1, correct: true)
        #expect(rig.events.answered(id).filter(\.posted).count == 1)
    }

    @Test("slow replies: a pull that times out is pulled again, a put that timed out after arriving is not posted twice")
    func slowReplies() async throws {
        // 5 s per call: the hour-long replies time out, the 300 ms one does not (even on a loaded machine).
        let rig = try await FaultRig(.lms, apiTimeout: 5, queued: [FaultRig.goodSum]) { fake in
            fake.inject(getPath, .delay(.seconds(3600)), .delay(.milliseconds(300)))
            fake.inject(putPath, .delay(.seconds(3600)))
        }
        let id = rig.queued[0]
        try await rig.until("answered") { !rig.events.answered(id).isEmpty }
        try await rig.stop()
        await rig.expectOneReply(id, score: 1, correct: true)
        #expect(rig.events.answered(id).map(\.posted) == [true])
        // The first pull's answer never came: the server served it again under a new key.
        #expect(await rig.fake.item(id)?.served == 2)
        #expect(rig.events.failures("get_submission") == 1)
        #expect(await rig.fake.count(putPath) == 2)
    }

    @Test("an expired login (302 classic, 401 and 403 LMS) on a pull and on a put: one re-login each, nothing lost",
          arguments: [302, 401, 403])
    func loginExpiry(status: Int) async throws {
        let flavor: FakeXQueue.Flavor = status == 302 ? .classic : .lms
        let rig = try await FaultRig(flavor, queued: [FaultRig.goodSum]) { $0.unauthenticatedStatus = status }
        let first = rig.queued[0]
        try await rig.untilAnswered(first)
        // The session expires while the queue is idle: the next pull meets the login demand.
        await rig.fake.expireSessions()
        let second = await rig.enqueue(FaultRig.partialSum)
        try await rig.untilAnswered(second)
        // The session expires while a reply is on its way.
        await rig.fake.inject(putPath, .expireSession)
        let third = await rig.enqueue()
        try await rig.untilAnswered(third)
        try await rig.stop()
        await rig.expectOneReply(first, score: 1, correct: true)
        await rig.expectOneReply(second, score: 0.75, correct: false)
        await rig.expectOneReply(third, score: 1, correct: true)
        #expect(await rig.fake.count(loginPath, method: "POST") == 3)
        #expect(rig.events.failures.isEmpty, "\(rig.events.failures)")
    }

    @Test("a queue with a native and a legacy gradelib handler, through an expired session and dropped replies: each graded by its handler, answered once")
    func legacyAndNativeHandlers() async throws {
        let rig = try await FaultRig(.classic, handlers: FaultRig.bothHandlers, queued: [FaultRig.goodSum]) { fake in
            fake.inject(putPath, .drop, .drop, .drop)
        }
        let native = rig.queued[0]
        try await rig.untilAnswered(native)
        await rig.fake.expireSessions()
        let good = await rig.enqueue(FaultRig.goodSquare, payload: FaultRig.legacyPayload)
        let half = await rig.enqueue(FaultRig.halfSquare, payload: FaultRig.legacyPayload)
        try await rig.untilAnswered(good)
        try await rig.untilAnswered(half)
        try await rig.until("all three reported") { rig.events.answered.count == 3 }
        try await rig.stop()
        await rig.expectOneReply(native, score: 1, correct: true)
        await rig.expectOneReply(good, score: 1, correct: true)
        await rig.expectOneReply(half, score: 0.5, correct: false)
        #expect(rig.events.answered(good).map(\.language) == ["python-gradelib"])
        #expect(rig.events.answered.map(\.posted) == [true, true, true])
        #expect(await rig.fake.count(loginPath, method: "POST") == 2)
        for id in [native, good, half] { #expect(await rig.fake.item(id)?.served == 1) }
    }

    @Test("a stale key on put is not retried; the server serves the submission again and it is answered then",
          arguments: [FakeXQueue.Flavor.classic, .lms])
    func staleKey(flavor: FakeXQueue.Flavor) async throws {
        let rig = try await FaultRig(flavor, queued: [FaultRig.goodSum]) { $0.inject(putPath, .pulledElsewhere) }
        let id = rig.queued[0]
        try await rig.untilAnswered(id)
        try await rig.until("both outcomes reported") { rig.events.answered(id).count == 2 }
        try await rig.stop()
        await rig.expectOneReply(id, score: 1, correct: true)
        #expect(rig.events.answered(id).map(\.posted) == [false, true])
        #expect(await rig.fake.count(putPath) == 2)
        #expect(await rig.fake.item(id)?.served == 2)
    }

    @Test("a malformed envelope with a readable header is answered with an error reply (well-formed XML) and does not come back")
    func malformedWithHeader() async throws {
        let rig = try await FaultRig(.lms) { fake in
            fake.enqueue(FaultRig.queue) { item in
                let id = item.id
                item.content = { key in
                    FakeXQueue.json(["xqueue_header": "{\"submission_id\": \(id), \"submission_key\": \"\(key)\"}",
                                     "xqueue_body": "{this is not json", "xqueue_files": "{}"])
                }
            }
        }
        let bad = 101
        try await rig.untilAnswered(bad)
        let good = await rig.enqueue()
        try await rig.untilAnswered(good)
        try await rig.stop()

        let replies = await rig.replies(bad)
        #expect(replies.count == 1)
        #expect(replies.first?["correct"] as? Bool == false)
        #expect(replies.first?["score"] as? Double == 0)
        let msg = try #require(replies.first?["msg"] as? String)
        let document = try XMLDocument(xmlString: msg, options: [])
        #expect(document.rootElement() != nil)
        #expect(await rig.fake.item(bad)?.served == 1)
        await rig.expectOneReply(good, score: 1, correct: true)
    }

    @Test("a malformed envelope without a header cannot be answered: pulls back off (bounded), the queue keeps working")
    func malformedWithoutHeader() async throws {
        let start = ContinuousClock.now
        let rig = try await FaultRig(.lms) { fake in
            fake.enqueue(FaultRig.queue) { $0.content = { _ in "{\"xqueue_header\": \"not a header\"}" } }
        }
        let poison = 101
        try await rig.until("six failed pulls") { rig.events.failures("get_submission") >= 6 }
        let calls = await rig.fake.count(getPath)
        let bound = CallBound.afterFailures(seconds(since: start), rig.polling)
        #expect(calls <= bound, "\(calls) get_submission calls on a poison submission; the schedule allows at most \(bound)")
        #expect(await rig.fake.count(putPath) == 0)

        // Staff remove it; what comes next is graded.
        await rig.fake.retire(poison)
        let good = await rig.enqueue()
        try await rig.untilAnswered(good)
        try await rig.stop()
        await rig.expectOneReply(good, score: 1, correct: true)
    }

    @Test("the server restarts mid-run (connections refused, then sessions forgotten): the watcher backs off, logs in again, nothing lost")
    func serverRestart() async throws {
        let rig = try await FaultRig(.lms, queued: [FaultRig.goodSum])
        let first = rig.queued[0]
        try await rig.untilAnswered(first)

        await rig.listener.stop()
        let down = ContinuousClock.now
        let failuresBefore = rig.events.failures("get_submission")
        let second = await rig.enqueue(FaultRig.partialSum)
        try await rig.until("four refused pulls") { rig.events.failures("get_submission") >= failuresBefore + 4 }
        let refused = rig.events.failures("get_submission") - failuresBefore
        let bound = CallBound.afterFailures(seconds(since: down), rig.polling)
        #expect(refused <= bound, "\(refused) pulls while the server was down; the schedule allows at most \(bound)")

        await rig.fake.expireSessions()
        try await rig.listener.start(port: rig.port)
        try await rig.untilAnswered(second)
        try await rig.stop()
        await rig.expectOneReply(first, score: 1, correct: true)
        await rig.expectOneReply(second, score: 0.75, correct: false)
        #expect(await rig.fake.count(loginPath, method: "POST") == 2)
        #expect(await rig.fake.item(second)?.served == 1)
    }

    @Test("the server dies while a submission is being graded: its reply cannot be posted, it is served again after the restart and answered once")
    func serverDiesMidGrading() async throws {
        let rig = try await FaultRig(.lms, queued: [FaultRig.slowSum])
        let id = rig.queued[0]
        try await rig.until("the submission pulled") { await rig.fake.item(id)?.served == 1 }
        await rig.listener.stop()
        // Every put attempt is refused (bounded by putAttempts), then the poller backs off.
        try await rig.until("the reply given up") { !rig.events.answered(id).isEmpty }
        #expect(await rig.fake.stored.isEmpty)

        await rig.fake.expireSessions()
        try await rig.listener.start(port: rig.port)
        try await rig.untilAnswered(id)
        try await rig.until("the stored reply reported") { rig.events.answered(id).count == 2 }
        try await rig.stop()
        await rig.expectOneReply(id, score: 1, correct: true)
        #expect(rig.events.answered(id).map(\.posted) == [false, true])
        #expect(await rig.fake.item(id)?.served == 2)
    }

    @Test("a login refused for longer than loginFailureExitAfter ends run() with WatcherError.loginRefused, after bounded attempts")
    func loginRefusedExits() async throws {
        let start = ContinuousClock.now
        let rig = try await FaultRig(.lms, polling: FaultRig.polling(loginExitAfter: 1), password: "wrong", queued: [FaultRig.goodSum])
        let ended = await rig.ended()
        guard case .failure(let error) = ended, case .loginRefused(let queue, let refusedFor, _)? = error as? WatcherError else {
            Issue.record("run() ended with \(ended), not WatcherError.loginRefused")
            return
        }
        #expect(queue == FaultRig.queue)
        #expect(refusedFor >= 1)
        let attempts = await rig.fake.count(loginPath, method: "POST")
        let bound = CallBound.afterFailures(seconds(since: start), rig.polling)
        #expect(attempts >= 2)
        #expect(attempts <= bound, "\(attempts) login attempts; the schedule allows at most \(bound)")
        #expect(await rig.fake.stored.isEmpty)
        #expect(await rig.fake.item(rig.queued[0])?.served == 0)
    }

    @Test("an idle queue backs off towards the idle interval: pulls bounded by the schedule, and the next submission is still picked up")
    func idleBackoff() async throws {
        let start = ContinuousClock.now
        let rig = try await FaultRig(.lms)
        // Past the first steps (0.05, 0.2, 0.8 s) into the idle interval.
        try await rig.until("six empty pulls") { await rig.fake.count(getPath) >= 6 }
        let calls = await rig.fake.count(getPath)
        let elapsed = seconds(since: start)
        let bound = CallBound.whileEmpty(elapsed, rig.polling)
        #expect(calls <= bound, "\(calls) pulls of an empty queue in \(elapsed) s; the schedule allows at most \(bound)")
        // Polling every `interval` would have made elapsed / interval pulls: far more than the bound.
        #expect(Double(bound) < elapsed / rig.polling.interval / 2)
        #expect(rig.events.failures.isEmpty)

        let id = await rig.enqueue()
        try await rig.untilAnswered(id)
        try await rig.stop()
        await rig.expectOneReply(id, score: 1, correct: true)
    }

    @Test("CONNECTIONS 2 on an idle queue: only the first poller keeps polling; both pull when work comes")
    func idleSecondConnectionRests() async throws {
        // The server holds a pulled submission back (its processing delay), so two pollers never share one.
        let rig = try await FaultRig(.lms, connections: 2) { $0.redeliveryAfter = .seconds(600) }
        try await rig.until("six empty pulls") { await rig.fake.count(getPath) >= 6 }
        let bySession = await rig.fake.countsBySession(getPath).values.sorted(by: >)
        #expect(bySession.first.map { $0 >= 5 } == true, "the first poller polls: \(bySession)")
        #expect(bySession.dropFirst().filter { $0 > 1 }.isEmpty, "the second poller rests while the queue is idle: \(bySession)")

        let a = await rig.enqueue()
        let b = await rig.enqueue(FaultRig.partialSum)
        try await rig.untilAnswered(a)
        try await rig.untilAnswered(b)
        try await rig.stop()
        await rig.expectOneReply(a, score: 1, correct: true)
        await rig.expectOneReply(b, score: 0.75, correct: false)
        #expect(await rig.fake.item(a)?.served == 1)
        #expect(await rig.fake.item(b)?.served == 1)
    }

    @Test("graceful shutdown with a submission in flight: its reply is posted before run() returns, and nothing more is pulled")
    func shutdownWithWorkInFlight() async throws {
        let rig = try await FaultRig(.lms, queued: [FaultRig.slowSum, FaultRig.goodSum])
        let (inFlight, waiting) = (rig.queued[0], rig.queued[1])
        try await rig.until("the first submission pulled") { await rig.fake.item(inFlight)?.served == 1 }
        let storedAtShutdown = await rig.fake.stored.count
        let pullsAtShutdown = await rig.fake.count(getPath)
        try await rig.stop()

        #expect(storedAtShutdown == 0, "the submission was still being graded when the shutdown began")
        #expect(rig.events.shutDown)
        await rig.expectOneReply(inFlight, score: 1, correct: true)
        #expect(await rig.fake.count(getPath) == pullsAtShutdown)
        #expect(await rig.fake.item(waiting)?.served == 0)
    }
}
