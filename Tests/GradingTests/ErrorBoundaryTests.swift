// One error boundary (issue 11, item 1): whatever fails inside, the learner reads either their own
// mistake (CE) or the neutral internal-error text, never the detail; staff get the detail.
import Foundation
@testable import Grading
import Intake
import Languages
import Sandbox
import Testing

@Suite("One error boundary")
struct ErrorBoundaryTests {
    /// Text only the jail and staff should ever see.
    static let secret = "polyjail: mount(/srv/secret-course-root) failed: EPERM"

    static func problem() throws -> PrivateDirectory {
        try G.problem(["problem.yml": """
            schema: polygrader.problem/v1
            language: python
            tests:
              - {name: one, stdin: "1\\n", expect: "1", visibility: visible}
              - {name: two, stdin: "2\\n", expect: "2", visibility: visible}
            """])
    }

    static func expectNeutral(_ r: GradeResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.verdict == .IE, sourceLocation: sourceLocation)
        #expect(r.reply.correct == false && r.reply.score == 0, sourceLocation: sourceLocation)
        #expect(r.reply.msg.contains(FeedbackRenderer.internalErrorText), sourceLocation: sourceLocation)
        #expect(!r.reply.msg.contains("polyjail") && !r.reply.msg.contains("secret") && !r.reply.msg.contains("Compilation"),
                sourceLocation: sourceLocation)
        #expect(r.tests.allSatisfy { !$0.message.contains("secret") }, sourceLocation: sourceLocation)
        #expect(r.errors.contains { $0.kind == .internal && $0.staff.contains("secret") }, "\(r.errors)", sourceLocation: sourceLocation)
    }

    @Test("a jail failure during the build reaches the learner as IE with no internal text")
    func jailFailsDuringBuild() async throws {
        let d = try Self.problem()
        let (grader, jail) = await Replay.grader { req in
            Replay.isCompile(req) ? .init(RunResult(status: .IE, exitCode: nil, stderr: Data(Self.secret.utf8), error: Self.secret))
                                  : .init(RunResult(status: .OK, stdout: Data("1\n".utf8)))
        }
        let r = await grader.grade(problemPath: d.path, submission: .response(Data("print(input())\n".utf8), name: "s.py"))
        Self.expectNeutral(r)
        #expect(await jail.requests.count == 1, "no test runs after the build failed")
    }

    @Test("a compiler that cannot start in the jail is IE, not a compile error showing its output")
    func compilerCannotStart() async throws {
        let d = try Self.problem()
        let (grader, _) = await Replay.grader { req in
            Replay.isCompile(req) ? .init(RunResult(status: .RE, exitCode: 127, stderr: Data(Self.secret.utf8), execError: "No such file or directory (secret)"))
                                  : .init(RunResult(status: .OK, stdout: Data("1\n".utf8)))
        }
        let r = await grader.grade(problemPath: d.path, submission: .response(Data("print(input())\n".utf8), name: "s.py"))
        #expect(r.verdict == .IE, "a broken toolchain is ours, not the learner's")
        #expect(!r.reply.msg.contains("secret") && !r.reply.msg.contains("polyjail"))
        #expect(r.errors.contains { $0.kind == .internal && $0.staff.contains("could not be started") })
    }

    @Test("a jail helper that cannot even be spawned during the build is IE")
    func helperThrowsDuringBuild() async throws {
        let d = try Self.problem()
        let (grader, _) = await Replay.grader { _ in .init(throwing: .helperFailed(exitStatus: 2, stderr: Self.secret)) }
        let r = await grader.grade(problemPath: d.path, submission: .response(Data("print(input())\n".utf8), name: "s.py"))
        Self.expectNeutral(r)
    }

    @Test("a jail failure in one test run is an IE row: neutral text for the learner, the detail for staff")
    func jailFailsInRun() async throws {
        let d = try Self.problem()
        let (grader, _) = await Replay.grader { req in
            if Replay.isCompile(req) { return .init(RunResult(status: .OK)) }
            if case .data(let input) = req.stdin, input == Data("2\n".utf8) {
                return .init(RunResult(status: .IE, exitCode: nil, error: Self.secret))
            }
            return .init(RunResult(status: .OK, stdout: Data("1\n".utf8)))
        }
        let r = await grader.grade(problemPath: d.path, submission: .response(Data("print(input())\n".utf8), name: "s.py"))
        Self.expectNeutral(r)
        let two = try #require(r.tests.first { $0.name == "two" })
        #expect(two.verdict == .IE && two.message == FeedbackRenderer.internalErrorText)
        #expect(two.staffFeedback?.contains("secret") == true)
    }

    @Test("scoring without root: replayed outputs are checked and scored")
    func scoresReplayedRuns() async throws {
        let d = try Self.problem()
        let (grader, _) = await Replay.grader { req in
            if Replay.isCompile(req) { return .init(RunResult(status: .OK)) }
            return .init(RunResult(status: .OK, stdout: Data("1\n".utf8)))   // right for "one", wrong for "two"
        }
        let r = await grader.grade(problemPath: d.path, submission: .response(Data("print(1)\n".utf8), name: "s.py"))
        #expect(r.verdict == .WA)
        #expect(r.tests.map(\.verdict) == [.AC, .WA])
        #expect(r.reply.score == 0.5 && r.reply.correct == false)
        #expect(r.reply.msg.contains("Wrong answer"))
    }

    @Test("an archive this host cannot unpack safely is our configuration (IE), never the learner's CE")
    func archiveSupportIsInternal() {
        let e = ErrorPresentation.classify(IntakeError.archiveSupport("libarchive 3.1 lacks ARCHIVE_EXTRACT_SECURE_SYMLINKS"), step: "intake")
        #expect(e.verdict == .IE)
        #expect(e.learnerText == FeedbackRenderer.internalErrorText)
        #expect(e.staffText.contains("libarchive 3.1"))
        let learner = ErrorPresentation.classify(IntakeError.tooManyFiles(count: 9, limit: 3), step: "intake")
        #expect(learner.verdict == .CE && learner.learnerText.contains("9 files"))
    }

    @Test("an error of a kind Grading does not know is internal, its text for staff only")
    func unknownErrorIsInternal() {
        struct Odd: Error, CustomStringConvertible { var description: String { "odd detail" } }
        let e = ErrorPresentation.classify(Odd(), step: "checker")
        #expect(e.verdict == .IE && e.learnerText == FeedbackRenderer.internalErrorText && e.staffText.contains("odd detail"))
    }
}
