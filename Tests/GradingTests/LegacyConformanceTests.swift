// Legacy conformance (docs/reference/gradelib.md, "Conformance cases" and the hostile cases): every triple of
// Tests/Legacy graded
// through the real jail, compared on `correct`, `score` and the key parts of `msg`, with the host
// checked afterwards where the case says so (Tests/Legacy/README.md describes expected.json).
import Foundation
@testable import Grading
import Sandbox
import Testing

@Suite("Legacy graders in the jail", .serialized)
struct LegacyConformanceTests {
    static let dir = G.root + "/Tests/Legacy"
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
        .filter { FileManager.default.fileExists(atPath: dir + "/" + $0 + "/expected.json") }.sorted()

    init() throws { try #require(G.jail != nil, "the jail cannot run on this host") }

    @Test("the case list is not empty")
    func casesExist() { #expect(Self.cases.count >= 40) }

    @Test("each triple gives the expected reply", arguments: LegacyConformanceTests.cases)
    func triple(_ name: String) async throws {
        let caseDir = Self.dir + "/" + name
        let spec = try #require(JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: caseDir + "/expected.json"))) as? [String: Any])
        let expect = try #require(spec["expect"] as? [String: Any])
        var settings = LegacySettings(supportDirectory: G.root + "/support/python")
        if let l = spec["limits"] as? [String: Any] {
            settings.limits.cpu = (l["CPU"] as? NSNumber)?.doubleValue
            settings.limits.wall = (l["REALTIME"] as? NSNumber)?.doubleValue
            settings.limits.memory = (l["VMEM"] as? NSNumber)?.uint64Value
            settings.limits.fileSize = (l["FSIZE"] as? NSNumber)?.uint64Value
            settings.limits.processes = (l["NPROC"] as? NSNumber)?.intValue
        }
        if let m = spec["memory_limit"] as? String { settings.profileMemory = try #require(Self.size(m)) }
        let grader = Grader(runner: G.runner, registry: await G.registry.value, legacy: settings)
        var payload = (spec["payload"] as? [String: Any]) ?? [:]
        payload["grader"] = "grader.py"
        let payloadText = String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self)
        let submission = try Data(contentsOf: URL(fileURLWithPath: caseDir + "/submission.py"))
        let seeds: [Int?] = (spec["seeds"] as? [Int])?.map { $0 } ?? [nil]
        for seed in seeds {
            let r = await grader.grade(payload: payloadText, graderRoot: caseDir, submission: .response(submission, name: nil),
                                       local: LocalOverrides(seed: seed, courseRoot: .nearest))
            let context = "\(name) seed \(seed.map(String.init) ?? "random"): \(r.legacy?.outcome ?? "-") \(r.legacy?.staffLog ?? []) \(r.errors.map(\.staff))"
            #expect(r.verdict != .IE, "\(context)")
            #expect(r.reply.correct == (expect["correct"] as? Bool), "\(context)")
            #expect(r.reply.score == (expect["score"] as? NSNumber)?.doubleValue, "\(context)")
            if let outcome = expect["outcome"] as? String { #expect(r.legacy?.outcome == outcome, "\(context)") }
            if let jailStatus = spec["learner_jail"] as? String { #expect(r.legacy?.learnerRun?.status.rawValue == jailStatus, "\(context)") }
            Self.checkMsg(r.reply.msg, expect, context)
        }
        for check in (spec["host_after"] as? [String]) ?? [] { Self.checkHost(check, name) }
    }

    /// `status`, `errors`, `tests` and the substring rules of expected.json against the raw msg.
    static func checkMsg(_ msg: String, _ e: [String: Any], _ context: String) {
        if let status = e["status"] as? String {
            #expect(msg.contains("<div class=\"shortform\">\n    \(status)\n    </div>"), "\(context)\n\(msg)")
        }
        if let errors = e["errors"] as? [String] { #expect(Self.errors(msg) == errors, "\(context)\n\(msg)") }
        if let tests = e["tests"] as? [[String: Any]] {
            let blocks = Self.blocks(msg)
            #expect(blocks.count == tests.count, "\(context)\n\(msg)")
            for (want, got) in zip(tests, blocks) {
                for key in ["short", "actual", "expected"] { if let w = want[key] as? String { #expect(got[key] == w, "\(context) \(key)") } }
                if want.keys.contains("long") { #expect(got["long"] == ((want["long"] as? String) ?? ""), "\(context) long") }
                if let passed = want["passed"] as? Bool { #expect(got["passed"] == (passed ? "true" : "false"), "\(context) passed") }
            }
        }
        for s in (e["msg_contains"] as? [String]) ?? [] { #expect(msg.contains(s), "\(context): no \(s)\n\(msg)") }
        for s in (e["msg_excludes"] as? [String]) ?? [] { #expect(!msg.contains(s), "\(context): has \(s)") }
        var rest = Substring(msg)
        for s in (e["msg_in_order"] as? [String]) ?? [] {
            guard let r = rest.range(of: s) else { Issue.record("\(context): \(s) not found in order"); break }
            rest = rest[r.upperBound...]
        }
        for (s, n) in (e["msg_counts"] as? [String: Int]) ?? [:] {
            #expect(msg.components(separatedBy: s).count - 1 == n, "\(context): count of \(s)")
        }
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#x27;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func groups(_ pattern: String, _ s: String) -> [[String]] {
        let re = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        return re.matches(in: s, range: NSRange(s.startIndex..., in: s)).map { m in
            (1..<m.numberOfRanges).map { i in Range(m.range(at: i), in: s).map { unescape(String(s[$0])) } ?? "" }
        }
    }

    static func errors(_ msg: String) -> [String] { groups("<li><pre>(.*?)</pre></li>", msg).map { $0[0] } }

    /// The test blocks of a msg (README: "Reading msg back").
    static func blocks(_ msg: String) -> [[String: String]] {
        let passed = #"<div class="result-output result-correct">\s*<h4>(.*?)</h4>\s*<pre>(?:<p>(.*?)</p>)?</pre>.*?<dt>Output:</dt>.*?<pre>(.*?)</pre>"#
        let failed = #"<div class="result-output result-incorrect">\s*<h4>(.*?)</h4>\s*<pre>(?:<p>(.*?)</p>)?</pre>.*?<dt>Your output:</dt>.*?<pre>(.*?)</pre>.*?<dt>Correct output:</dt>.*?<pre>(.*?)</pre>"#
        let re = try! NSRegularExpression(pattern: "(?:\(passed))|(?:\(failed))", options: [.dotMatchesLineSeparators])
        return re.matches(in: msg, range: NSRange(msg.startIndex..., in: msg)).map { m in
            func g(_ i: Int) -> String? { Range(m.range(at: i), in: msg).map { unescape(String(msg[$0])) } }
            if let short = g(1) { return ["short": short, "long": g(2) ?? "", "actual": g(3) ?? "", "passed": "true"] }
            return ["short": g(4) ?? "", "long": g(5) ?? "", "actual": g(6) ?? "", "expected": g(7) ?? "", "passed": "false"]
        }
    }

    /// The host after a hostile case: no planted file, no process of a slot uid outside a live jail.
    /// Other suites run programs in their jails meanwhile, and a helper's prepared jail holds one process
    /// of its slot uid that is polyjail itself, forked and waiting for its request (docs/polyjail.md):
    /// what must not exist is a slot-uid process that escaped its jail's cgroup, or one running another
    /// program than polyjail with no jail around it.
    static func checkHost(_ check: String, _ name: String) {
        if check.hasPrefix("no process of a slot uid") {
            let helper = (try? ResourcePaths.helper()).map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
            let left = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { pid in
                if let helper, let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"), exe == helper {
                    return false
                }
                if let cg = try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8), cg.contains("/polygrader/slot-") {
                    return false // inside a jail that is running (another suite's) or being torn down
                }
                guard Int(pid) != nil, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
                      let uid = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap({ Int($0) }) else { return false }
                return (60000..<61000).contains(uid)
            }
            #expect(left.isEmpty, "\(name): processes of slot uids left: \(left)")
        } else if check.contains("grader_support directory"), let file = check.split(separator: " ").dropFirst().first {
            #expect(!FileManager.default.fileExists(atPath: G.root + "/support/python/grader_support/" + file), "\(name): \(check)")
        } else if let path = check.split(separator: " ").first(where: { $0.hasPrefix("/") }) {
            #expect(!FileManager.default.fileExists(atPath: String(path)), "\(name): \(check)")
        } else {
            Issue.record("\(name): unknown host check \(check)")
        }
    }

    static func size(_ s: String) -> UInt64? {
        for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] where s.hasSuffix(unit) {
            return UInt64(s.dropLast(3)).map { $0 << UInt64(shift) }
        }
        return UInt64(s)
    }
}
