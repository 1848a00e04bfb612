// RetryPolicy: pure arithmetic, checked at the ends of the random range.
import Testing
@testable import XQueue

@Suite("Retry pauses")
struct RetryPolicyTests {
    @Test("the pause doubles after each failure and stops at the cap")
    func growth() {
        let policy = RetryPolicy(initial: 0.5, multiplier: 2, maximum: 8, jitter: 0)
        #expect((1...7).map { policy.delay(afterFailures: $0, unit: 0.3) } == [0.5, 1, 2, 4, 8, 8, 8])
    }

    @Test("jitter spreads a pause between (1 - jitter) and the whole of it")
    func jitter() {
        let policy = RetryPolicy(initial: 2, maximum: 2, jitter: 0.5)
        #expect(policy.delay(afterFailures: 1, unit: 0) == 1)
        #expect(policy.delay(afterFailures: 1, unit: 0.5) == 1.5)
        #expect(policy.delay(afterFailures: 1, unit: 1) == 2)
    }

    @Test("no setting makes a pause zero: jitter is capped below 1")
    func neverZero() {
        let policy = RetryPolicy(initial: 1, jitter: 5)
        #expect(policy.jitter == 0.9)
        #expect(policy.delay(afterFailures: 1, unit: 0) > 0)
    }
}
