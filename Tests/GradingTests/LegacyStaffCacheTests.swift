// The staff-result cache of legacy mode (docs/legacy-graders.md, "The staff-result cache") through the
// jail's twin: what is kept, when it is handed back to the course's jail, and when it must not be.
import Foundation
@testable import Grading
import Languages
import Sandbox
import Testing

@Suite("Legacy mode: the staff-result cache")
struct LegacyStaffCacheTests {
    static func record(seedFree: Bool, answer: String = "x = 1") -> String {
        #"{"answer_code": "\#(answer)", "results": [["Test: square(3)", null, "9\n"]], "seed_free": \#(seedFree)}"#
    }

    /// A twin whose course side reports a staff run (`staffRun`) unless it was handed cached results.
    static func grader(staffRun: String?, legacy: LegacySettings = LegacySettings(supportDirectory: G.root + "/support/python"))
        async -> (Grader, ReplayJail) {
        await Replay.grader({ req in
            if LegacyHostTests.isLearner(req) { return .init(RunResult(status: .OK, stdout: Data("{}".utf8))) }
            var line: [String: Any] = ["correct": true, "score": 1.0, "msg": "<p>ok</p>", "outcome": "graded", "staff_log": [String]()]
            if !LegacyHostTests.names(req).contains("staff.json"), let staffRun { line["staff_run"] = staffRun }
            let data = try! JSONSerialization.data(withJSONObject: line)
            return .init(RunResult(status: .OK, stdout: data + Data("\n".utf8)))
        }, legacy: legacy)
    }

    static func grade(_ grader: Grader, _ dir: String, seed: Int, payload: String = #"{"grader": "ps1/grader.py"}"#) async -> GradeResult {
        await grader.grade(payload: payload, graderRoot: dir, submission: .response(Data("def square(x):\n    return x * x\n".utf8), name: nil),
                           local: LocalOverrides(seed: seed))
    }

    static func courseRequests(_ jail: ReplayJail) async -> [RunRequest] { await jail.requests.filter { !LegacyHostTests.isLearner($0) } }

    @Test("a seed-free staff run is handed back to the course's jail for every later seed, as staff.json")
    func seedFreeHit() async throws {
        let d = try LegacyHostTests.course()
        let (grader, jail) = await Self.grader(staffRun: Self.record(seedFree: true))
        #expect(await Self.grade(grader, d.path, seed: 1).legacy?.staffCache == "miss")
        let second = await Self.grade(grader, d.path, seed: 2)
        #expect(second.legacy?.staffCache == "hit-seedless")
        #expect(second.reply == Reply(correct: true, score: 1, msg: "<p>ok</p>"))
        let courses = await Self.courseRequests(jail)
        #expect(!LegacyHostTests.names(courses[0]).contains("staff.json") && courses[0].argv.last == "0")
        #expect(courses[1].argv.suffix(3) == ["payload.json", "0", "staff.json"])
        #expect(courses[1].box.contains(.file(path: "staff.json", contents: Data(Self.record(seedFree: true).utf8))))
    }

    @Test("a staff run that used its seed serves only that seed")
    func seededEntry() async throws {
        let d = try LegacyHostTests.course()
        let (grader, _) = await Self.grader(staffRun: Self.record(seedFree: false))
        #expect(await Self.grade(grader, d.path, seed: 5).legacy?.staffCache == "miss")
        #expect(await Self.grade(grader, d.path, seed: 6).legacy?.staffCache == "miss")
        #expect(await Self.grade(grader, d.path, seed: 5).legacy?.staffCache == "hit")
        #expect(await Self.grade(grader, d.path, seed: 6).legacy?.staffCache == "hit")
    }

    @Test("a changed answer.py, grader or lang misses the cache")
    func changedInputsMiss() async throws {
        let d = try LegacyHostTests.course()
        let (grader, _) = await Self.grader(staffRun: Self.record(seedFree: true))
        #expect(await Self.grade(grader, d.path, seed: 1).legacy?.staffCache == "miss")
        #expect(await Self.grade(grader, d.path, seed: 1).legacy?.staffCache == "hit-seedless")
        try (LegacyHostTests.answer + "# v2\n").write(toFile: d.path + "/ps1/answer.py", atomically: true, encoding: .utf8)
        #expect(await Self.grade(grader, d.path, seed: 1).legacy?.staffCache == "miss", "answer.py changed")
        #expect(await Self.grade(grader, d.path, seed: 1).legacy?.staffCache == "hit-seedless")
        try (LegacyHostTests.graderText + "# v2\n").write(toFile: d.path + "/ps1/grader.py", atomically: true, encoding: .utf8)
        #expect(await Self.grade(grader, d.path, seed: 1).legacy?.staffCache == "miss", "grader.py changed")
        let eo = #"{"grader": "ps1/grader.py", "lang": "eo"}"#
        #expect(await Self.grade(grader, d.path, seed: 1, payload: eo).legacy?.staffCache == "miss", "another lang")
        #expect(await Self.grade(grader, d.path, seed: 1, payload: eo).legacy?.staffCache == "hit-seedless")
        #expect(await Self.grade(grader, d.path, seed: 1).legacy?.staffCache == "hit-seedless", "en is still there")
    }

    @Test("a handler's per-slot copies share its cache; another handler's grader never sees it")
    func handlers() async throws {
        let d = try LegacyHostTests.course()
        let (grader, _) = await Self.grader(staffRun: Self.record(seedFree: true))
        #expect(await Self.grade(grader, d.path, seed: 1).legacy?.staffCache == "miss")
        let slotCopy = grader.onJail(ReplayJail { _ in .init(RunResult(status: .OK)) }).with(logger: grader.logger)
        #expect(slotCopy.staffCache === grader.staffCache)
        let other = LegacySettings(limits: LimitLayer(cpu: 4), supportDirectory: G.root + "/support/python")
        let (otherGrader, _) = await Self.grader(staffRun: Self.record(seedFree: true), legacy: other)
        #expect(await Self.grade(otherGrader, d.path, seed: 1).legacy?.staffCache == "miss")
    }

    @Test("keys that differ only in the handler's settings, the package or the seed never meet in one cache")
    func keyParts() {
        let cache = LegacyStaffCache()
        let key = LegacyStaffCache.Key(graderName: "grader.py", grader: Data("g".utf8), answer: Data("a".utf8), support: "s1",
                                       settings: "/usr/bin/python3|cpu 1", lang: "en", seed: nil)
        cache.store(key, seed: 3, record: Data("seeded".utf8), seedFree: false)
        #expect(cache.lookup(key, seed: 3)?.record == Data("seeded".utf8))
        #expect(cache.lookup(key, seed: 4) == nil)
        var otherSettings = key
        otherSettings.settings = "/usr/bin/python3|cpu 4"
        #expect(cache.lookup(otherSettings, seed: 3) == nil)
        var otherSupport = key
        otherSupport.support = "s2"
        #expect(cache.lookup(otherSupport, seed: 3) == nil)
        var otherName = key
        otherName.graderName = "grader2.py"
        #expect(cache.lookup(otherName, seed: 3) == nil)
    }

    @Test("a staff_run of the wrong shape is not kept", arguments: ["not json", #"{"answer_code": "x", "results": []}"#, #"[1, 2]"#])
    func badRecord(_ staffRun: String) async throws {
        let d = try LegacyHostTests.course()
        let (grader, _) = await Self.grader(staffRun: staffRun)
        #expect(await Self.grade(grader, d.path, seed: 1).legacy?.staffCache == "miss")
        #expect(await Self.grade(grader, d.path, seed: 1).legacy?.staffCache == "miss")
    }

    @Test("the oldest entries go when the cache is full")
    func capacity() {
        let cache = LegacyStaffCache(capacity: 2)
        func key(_ n: Int) -> LegacyStaffCache.Key {
            .init(graderName: "g.py", grader: Data([UInt8(n)]), answer: Data(), support: "", settings: "", lang: "en", seed: nil)
        }
        for n in 0..<3 { cache.store(key(n), seed: 0, record: Data([UInt8(n)]), seedFree: true) }
        #expect(cache.count == 2 && cache.lookup(key(0), seed: 0) == nil && cache.lookup(key(2), seed: 0) != nil)
    }
}
