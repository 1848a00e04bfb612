// The host's own comparison in legacy mode (docs/legacy-graders.md, "The host's own comparison"): for every
// triple of Tests/Legacy, in the real jail, a second grading served from the staff-result cache must post
// exactly what the course's jail posted for the same submission and seed, byte for byte, whether the host
// or the course side answered it; and the host must answer the plain cases itself.
import Foundation
@testable import Grading
import Sandbox
import Testing

@Suite("Legacy mode: the host's own comparison", .serialized)
struct LegacyHostCompareTests {
    init() throws { try #require(G.jail != nil, "the jail cannot run on this host") }

    @Test("every triple: the cached grading posts the course side's reply byte for byte, and the plain ones skip the course's jail")
    func conformance() async throws {
        var byHost: [String] = []
        for name in LegacyConformanceTests.cases where !name.hasPrefix("hostile") {
            let caseDir = LegacyConformanceTests.dir + "/" + name
            let spec = try #require(JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: caseDir + "/expected.json"))) as? [String: Any])
            var settings = LegacySettings(supportDirectory: G.root + "/support/python")
            if let m = spec["memory_limit"] as? String { settings.profileMemory = LegacyConformanceTests.size(m) }
            let grader = Grader(runner: G.runner, registry: await G.registry.value, legacy: settings)
            var payload = (spec["payload"] as? [String: Any]) ?? [:]
            payload["grader"] = "grader.py"
            let payloadText = String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self)
            let submission = try Data(contentsOf: URL(fileURLWithPath: caseDir + "/submission.py"))
            let seed = (spec["seeds"] as? [Int])?.first ?? 7
            func grade() async -> GradeResult {
                await grader.grade(payload: payloadText, graderRoot: caseDir, submission: .response(submission, name: nil),
                                   local: LocalOverrides(seed: seed, courseRoot: .nearest))
            }
            let first = await grade(), second = await grade()
            #expect(first.legacy?.courseRun != nil || first.legacy?.outcome == "skipped", "\(name): the first grading ran the course side")
            #expect(second.reply == first.reply, "\(name): \(second.legacy?.outcome ?? "-")\n\(second.reply.msg)\n---\n\(first.reply.msg)")
            if second.legacy?.courseRun == nil && second.legacy?.outcome != "skipped" { byHost.append(name) }
        }
        // The plain shapes: graded with passing and failing tests, truncation, escaping, hidden output, a
        // learner exception. Custom compare_results, input-check failures and translated messages stay
        // with the course side.
        for name in ["01-correct-two-tests", "02-one-test-wrong", "14-hide-output", "16-zero-division-at-import",
                     "25-output-truncated", "31-output-escaped", "32-crlf-line-endings"] {
            #expect(byHost.contains(name), "\(name) was not answered by the host")
        }
        for name in ["29-custom-compare", "23-compare-raises-end-test", "05-required-substring", "40-lang-eo-input-check"] {
            #expect(!byHost.contains(name), "\(name) must be answered by the course side")
        }
    }
}
