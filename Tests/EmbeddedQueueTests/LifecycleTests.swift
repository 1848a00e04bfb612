// Starting and stopping: a port in use fails the start instead of hanging, one run at a time.
import EmbeddedQueue
import Foundation
import Testing

@Suite struct LifecycleTests {
    @Test func aPortInUseFailsTheStartAndTheBodyNeverRuns() async throws {
        try await Harness.run { _, url, _ in
            var configuration = Harness.configuration()
            configuration.port = try #require(url.port)
            let second = EmbeddedXQueue(configuration: configuration)
            let error = await Harness.error { try await second.withRunning { _ in Issue.record("the body ran") } }
            #expect(error != nil)
            #expect(await second.baseURL == nil)
        }
    }

    @Test func aSecondRunWhileRunningIsRefused() async throws {
        try await Harness.run { queue, url, _ in
            let error = await Harness.error { try await queue.run() }
            #expect(error as? EmbeddedQueueError == .alreadyRunning)
            #expect(await queue.baseURL == url)
        }
    }
}
