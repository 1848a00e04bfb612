// The host side of legacy mode (docs/legacy-graders.md) through the jail's twin: what goes into
// each jail, and how the course side's untrusted line becomes (or does not become) the reply.
import Foundation
@testable import Grading
import Languages
import Sandbox
import Testing

@Suite("Legacy mode: the host's steps")
struct LegacyHostTests {
    static let answer = "def square(x):\n    return x * x\n"
    static let graderText = "import gradelib\ngrader = gradelib.Grader()\ngrader.add_test(gradelib.InvokeStudentFunctionTest('square', [3]))\n"

    static func course(_ extra: [String: String] = [:]) throws -> PrivateDirectory {
        var files = ["ps1/grader.py": graderText, "ps1/answer.py": answer]
        for (k, v) in extra { files[k] = v }
        return try G.problem(files)
    }

    static func isLearner(_ r: RunRequest) -> Bool { r.argv.contains("grader_support.student") }
    static func names(_ r: RunRequest) -> [String] {
        r.box.compactMap { if case let .file(path, _, _) = $0 { return path } else { return nil } }
    }

    @Test("the learner's jail holds only the grader and gets the submission on stdin; the course's holds the answer as data")
    func boxes() async throws {
        let d = try Self.course(["conf/locale/eo/LC_MESSAGES/graders.mo": "catalog"])
        let line = #"{"correct": true, "score": 1.0, "msg": "<p>ok</p>", "outcome": "graded", "staff_log": []}"#
        let (grader, jail) = await Replay.grader { req in
            Self.isLearner(req) ? .init(RunResult(status: .OK, stdout: Data("LEARNER-OUT".utf8))) : .init(RunResult(status: .OK, stdout: Data((line + "\n").utf8)))
        }
        let r = await grader.grade(payload: #"{"grader": "ps1/grader.py", "lang": "eo"}"#, graderRoot: d.path,
                                   submission: .response(Data("def square(x):\r\n    return x**2\r\n".utf8), name: nil), local: LocalOverrides(seed: 77))
        #expect(r.mode == "gradelib" && r.reply == Reply(correct: true, score: 1, msg: "<p>ok</p>"))
        let reqs = await jail.requests
        #expect(reqs.count == 2)
        let learner = try #require(reqs.first(where: Self.isLearner))
        #expect(Self.names(learner) == ["grader.py"], "never answer.py, never the catalogs")
        #expect(learner.stdin == .data(Data("def square(x):\r\n    return x**2\r\n".utf8)), "the bytes unchanged, CRLF included")
        #expect(learner.argv.suffix(5) == ["-m", "grader_support.student", "grader.py", "77", "0"])
        #expect(learner.environment == ["PYTHONHASHSEED": "0", "PYTHONPATH": G.root + "/support/python"])
        #expect(learner.extraBinds.contains { $0.path == G.root + "/support/python/grader_support" })
        #expect(learner.limits.cpu == 1 && learner.limits.wall == 3 && learner.limits.processes == 15, "codejail's defaults")
        let course = try #require(reqs.first { !Self.isLearner($0) })
        #expect(Set(Self.names(course)) == ["grader.py", "answer.txt", "submission.txt", "learner.out", "payload.json",
                                             "locale/eo/LC_MESSAGES/graders.mo"])
        #expect(course.argv.suffix(9) == ["-m", "grader_support.course", "grader.py", "answer.txt", "submission.txt", "learner.out",
                                          "77", "payload.json", "0"])
        #expect(course.box.contains(.file(path: "learner.out", contents: Data("LEARNER-OUT".utf8))))
        #expect(course.limits.cpu == 2 && course.limits.wall == 6)
    }

    @Test("a handler's CODEJAIL limits replace codejail's defaults; VMEM is an address-space limit")
    func handlerLimits() async throws {
        let d = try Self.course()
        let limits = LimitLayer(cpu: 4, wall: 9, memory: 512 << 20, processes: 5, fileSize: 1024)
        let (grader, jail) = await Replay.grader({ _ in .init(RunResult(status: .OK)) },
                                                 legacy: LegacySettings(limits: limits, supportDirectory: G.root + "/support/python"))
        _ = await grader.grade(problemPath: d.path + "/ps1/grader.py", submission: .response(Data("x = 1\n".utf8), name: nil))
        let learner = try #require(await jail.requests.first(where: Self.isLearner))
        #expect(learner.limits.cpu == 4 && learner.limits.wall == 9 && learner.limits.processes == 5 && learner.limits.memory == 512 << 20)
        #expect(learner.addressSpace == 512 << 20)
        #expect(learner.argv.last == "1024", "FSIZE reaches the entry point, which lowers RLIMIT_FSIZE after writing submission.py")
    }

    @Test("course output that is not one well-typed JSON line is the L364 reply, never posted", arguments: [
        "", "not json", #"{"correct": "yes", "score": 1, "msg": "m"}"#, #"{"correct": true, "score": true, "msg": "m"}"#,
        #"{"correct": true, "score": NaN, "msg": "m"}"#, #"{"correct": true, "score": 1, "msg": "m"}"# + "\n" + #"{"correct": true, "score": 1, "msg": "n"}"#,
        #"[true, 1, "m"]"#,
    ])
    func untrustedCourseLine(_ stdout: String) async throws {
        let d = try Self.course()
        let (grader, _) = await Replay.grader { req in
            Self.isLearner(req) ? .init(RunResult(status: .OK)) : .init(RunResult(status: .OK, stdout: Data(stdout.utf8), stderr: Data("Traceback: secret".utf8)))
        }
        let r = await grader.grade(problemPath: d.path + "/ps1", submission: .response(Data("x = 1\n".utf8), name: nil))
        #expect(r.reply == Reply(correct: false, score: 0, msg: LegacyReply.courseFailedMsg))
        #expect(r.legacy?.outcome == "course_failed")
        #expect(r.legacy?.staffLog.joined().contains("secret") == true)
    }

    @Test("the course side's staff fields never reach the reply; control characters in them are neutralised")
    func staffFieldsStayStaff() async throws {
        let d = try Self.course()
        let line = #"{"correct": false, "score": 0.6666666666666666, "msg": "<p>two of three</p>", "outcome": "graded\u001b[2J", "staff_log": ["Traceback secret", 7]}"#
        let (grader, _) = await Replay.grader { req in
            Self.isLearner(req) ? .init(RunResult(status: .OK)) : .init(RunResult(status: .OK, stdout: Data(line.utf8)))
        }
        let r = await grader.grade(problemPath: d.path + "/ps1/grader.py", submission: .response(Data("x\n".utf8), name: nil))
        #expect(r.reply == Reply(correct: false, score: 0.6666666666666666, msg: "<p>two of three</p>"))
        #expect(r.legacy?.outcome == "graded\u{FFFD}[2J")
        #expect(r.legacy?.staffLog == [], "a staff_log that is not a list of strings is dropped, not trusted")
    }

    @Test("a jail failure in either run is an internal error, never a reply built from missing output")
    func jailFailureIsInternal() async throws {
        let d = try Self.course()
        for failing in [true, false] {
            let (grader, jail) = await Replay.grader { req in
                Self.isLearner(req) == failing ? .init(RunResult(status: .IE, exitCode: nil, error: "polyjail: secret")) : .init(RunResult(status: .OK))
            }
            let r = await grader.grade(problemPath: d.path + "/ps1/grader.py", submission: .response(Data("x\n".utf8), name: nil))
            #expect(r.verdict == .IE && r.mode == "gradelib")
            #expect(r.reply.msg.contains(FeedbackRenderer.internalErrorText) && !r.reply.msg.contains("secret"))
            #expect(r.errors.contains { $0.staff.contains("secret") })
            #expect(await jail.requests.count == (failing ? 2 : 3), "an IE run is retried once")
        }
    }

    @Test("skip_grader replies at once with the reference's message, running nothing")
    func skipGrader() async throws {
        let d = try Self.course()
        let (grader, jail) = await Replay.grader { _ in .init(RunResult(status: .OK)) }
        let r = await grader.grade(payload: #"{"grader": "ps1/grader.py", "skip_grader": "false"}"#, graderRoot: d.path,
                                   submission: .response(Data("not python".utf8), name: nil))
        #expect(r.reply == Reply(correct: true, score: 1, msg: LegacyReply.skippedMsg))
        #expect(await jail.requests.isEmpty)
    }

    @Test("a directory with grader.py and answer.py and no problem.yml is legacy; with problem.yml it is native")
    func modeOfDirectory() throws {
        let d = try Self.course()
        #expect(try ProblemMode.of(d.path + "/ps1") == .legacy(grader: d.path + "/ps1/grader.py"))
        #expect(try ProblemMode.of(d.path + "/ps1/grader.py") == .legacy(grader: d.path + "/ps1/grader.py"))
        let n = try G.problem(["problem.yml": "schema: polygrader.problem/v1\n", "grader.py": "", "answer.py": ""])
        #expect(try ProblemMode.of(n.path) == .native(n.path))
        #expect(throws: GradingError.self) { try ProblemMode.of(d.path) }
    }
}
