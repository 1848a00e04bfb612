// SubmissionHandler: one pulled submission in, exactly one reply out. Picks the queue's handler for
// the payload, fetches `xqueue_files` with the XQueue session, grades on the lent slot, and turns the
// result into the reply to post. Every failure on the way is a reply too: what the learner reads is
// decided by Grading's one boundary; the detail goes to the staff log.
import Foundation
import Grading
import Intake
import Languages
import Logging
import XQueue

/// Grades the submissions of one queue.
struct SubmissionHandler: Sendable {
    let queue: QueuePlan
    /// One grader per handler, in the queue's handler order.
    let graders: [(plan: HandlerPlan, grader: Grader)]
    let downloadPolicy: DownloadPolicy
    let downloadLimits: DownloadLimits
    let logger: Logger

    /// The reply for `submission`, graded on `lease`, and how it came about.
    /// The handler of `queue`: one grader per handler on the shared engine, downloads limited to the
    /// queue's hosts, with a timeout never below XQueue's download floor.
    static func make(queue: QueuePlan, plan: RuntimePlan, engine: GradingEngine, registry: LanguageRegistry, logger: Logger) -> SubmissionHandler {
        var log = logger
        log[metadataKey: "queue"] = "\(queue.name)"
        let graders = queue.handlers.map { h in (plan: h, grader: engine.grader(registry: registry, legacy: h.legacy, logger: log)) }
        let policy = DownloadPolicy.servers([queue.server.server, queue.filesBaseURL], extraHosts: queue.downloadHosts,
                                            allowedAddresses: queue.downloadAddresses)
        var limits = plan.downloadLimits
        limits.totalTimeout = max(limits.totalTimeout, queue.server.timeouts.download)
        return SubmissionHandler(queue: queue, graders: graders, downloadPolicy: policy, downloadLimits: limits, logger: log)
    }

    /// `session` is the session of the connection that pulled it: its files are fetched with its cookies
    /// (nil for a pushed submission: push mode has no session, docs/push-mode.md).
    func reply(to submission: Submission, on lease: SlotPool.Lease, session: XQueueSession?) async -> (reply: XQueue.Reply, outcome: SubmissionOutcome) {
        let started = ContinuousClock.now
        var log = logger
        log[metadataKey: "submission_id"] = "\(submission.header.id)"
        log[metadataKey: "queue"] = "\(queue.name)"
        let (plan, grader) = pickHandler(for: submission.graderPayload)
        let slotGrader = grader.onJail(lease.jail).with(logger: log)
        let downloader = FileDownloader(baseURL: queue.filesBaseURL ?? queue.server.server, policy: downloadPolicy, limits: downloadLimits,
                                        logger: log, decorate: { await session?.decorate(&$0) })
        var result = await grade(submission, with: slotGrader, root: plan.graderRoot, downloader: downloader)
        // A jail or helper failure may be passing (a helper killed, a host hiccup): one more try on a
        // fresh helper, then the error reply. Never retried again: a poison submission is answered.
        if result.verdict == .IE && result.errors.contains(where: { $0.kind == .internal }) {
            log.warning("internal error, grading once more", metadata: ["error": "\(result.errors.map(\.staff).joined(separator: "; "))"])
            result = await grade(submission, with: slotGrader, root: plan.graderRoot, downloader: downloader)
        }
        let seconds = (ContinuousClock.now - started).inSeconds
        let outcome = SubmissionOutcome(
            queue: queue.name, submissionID: submission.header.id,
            language: result.language?.name ?? (result.mode == "gradelib" ? "python-gradelib" : "unknown"),
            verdict: result.verdict.rawValue, kind: Self.kind(of: result), correct: result.reply.correct, score: result.reply.score,
            gradingSeconds: seconds, compileSeconds: result.compile?.run.wallS, runSeconds: result.tests.compactMap { $0.run?.wallS },
            posted: false)
        log.info("graded", metadata: ["language": "\(outcome.language)", "verdict": "\(outcome.verdict)", "score": "\(outcome.score)",
                                      "duration_s": "\(String(format: "%.3f", seconds))", "slot": "\(lease.slot)"])
        var score = result.reply.score
        if queue.scoreInPoints, result.mode != "gradelib" {
            score = (result.fraction * (result.points.maxPoints ?? result.points.possible) * 1e4).rounded() / 1e4
        }
        return (XQueue.Reply(correct: result.reply.correct, score: score, msg: result.reply.msg), outcome)
    }

    /// The reply for a submission whose envelope could be read only as far as its header: the learner
    /// is told to submit again; staff read the detail.
    func replyToMalformed(detail: String, header: SubmissionHeader) -> XQueue.Reply {
        logger.error("malformed submission answered with an error", metadata: ["submission_id": "\(header.id)", "queue": "\(queue.name)", "detail": "\(detail)"])
        let result = graders[0].grader.intakeFailed(GradingError.payload("the submission could not be read: \(detail)"), payload: "{}")
        return XQueue.Reply(correct: result.reply.correct, score: result.reply.score, msg: result.reply.msg)
    }

    private func grade(_ submission: Submission, with grader: Grader, root: String, downloader: FileDownloader) async -> GradeResult {
        let input: SubmissionInput
        if submission.files.isEmpty {
            input = .response(Data(submission.studentResponse.utf8), name: nil)
        } else {
            do {
                let files = try await downloader.download(submission.files.map { (name: $0.name, url: $0.url) })
                input = .files(files)
            } catch {
                return grader.intakeFailed(error, payload: submission.graderPayload)
            }
        }
        return await grader.grade(payload: submission.graderPayload, graderRoot: root, submission: input)
    }

    /// The first handler whose course directory holds the payload's grader; else the first (whose
    /// grading then answers "no such problem" through the boundary).
    private func pickHandler(for payload: String) -> (HandlerPlan, Grader) {
        if graders.count > 1 {
            for g in graders where (try? PayloadResolver.resolve(payload, graderRoot: g.plan.graderRoot)) != nil { return (g.plan, g.grader) }
        }
        return (graders[0].plan, graders[0].grader)
    }

    static func kind(of result: GradeResult) -> ReplyKind {
        if result.errors.contains(where: { $0.kind == .internal || $0.kind == .problem || $0.kind == .payload }) { return .internalError }
        if result.errors.contains(where: { $0.kind == .intake }) { return .learnerError }
        return .grade
    }
}
