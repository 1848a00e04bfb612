// Runs hold no thread while they run, so nothing but the helper pool bounds how many are in flight. Each
// helper owns a host-wide slot for its life (auto slots are 0–31): more concurrent runs than slots must
// wait for a helper to come back, never spawn one that waits forever on a slot an idle helper holds.
import Foundation
@testable import Sandbox
import Testing

@Suite("Concurrent runs")
struct ConcurrentRunsTests {
    init() throws { try #require(Fixtures.jailAvailable, "the jail cannot run on this host: \(Fixtures.jail)") }

    @Test("more concurrent runs than there are slots all finish OK on a bounded set of helpers")
    func moreRunsThanSlots() async throws {
        let jail = try PolyjailRunner(minimum: .noCgroup)
        defer { jail.drainHelpers() }
        let statuses = try await withThrowingTaskGroup(of: RunStatus.self) { group in
            for _ in 0..<48 {
                group.addTask {
                    var r = RunRequest(argv: ["/bin/sh", "-c", "sleep 0.2; echo ok"], profile: Fixtures.profile("interpreter"),
                                       limits: Limits(LimitLayer(wall: 20)))
                    r.slot = nil
                    return try await jail.run(r).status
                }
            }
            return try await group.reduce(into: [RunStatus]()) { $0.append($1) }
        }
        #expect(statuses.count == 48)
        #expect(statuses.allSatisfy { $0 == .OK }, "\(statuses)")
    }
}
