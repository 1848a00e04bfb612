// PollSchedule: how long a poller pauses. After work: not at all. On an empty queue: from
// POLL_INTERVAL up to the idle interval in a few steps, with jitter so that replicas drift apart;
// at the idle interval a queue sees at most about 2 requests a minute (xqueue-watcher makes about 59
// per connection). After errors: exponential backoff with jitter, capped. Never a tight loop.

/// The pauses of one poller; a value type the poller keeps and updates.
public struct PollSchedule: Sendable {
    public let settings: PollingSettings
    /// Empty answers in a row.
    public private(set) var emptyStreak = 0
    /// Failed calls in a row.
    public private(set) var errorStreak = 0

    public init(settings: PollingSettings) { self.settings = settings }

    /// A submission came: poll again at once.
    public mutating func gotWork() { emptyStreak = 0; errorStreak = 0 }

    /// The queue was empty: the pause before the next pull. The steps grow fourfold (1, 4, 16, 30 s
    /// with the defaults), so an idle queue reaches its slow rate within half a minute; the jitter is
    /// ±5 % around the step, so the idle rate averages 2 a minute and a submission after an idle spell
    /// waits about half the idle interval (15 s).
    public mutating func empty(random: Double = Double.random(in: 0..<1)) -> Double {
        errorStreak = 0
        let base = min(settings.idleInterval, settings.interval * pow4(emptyStreak))
        emptyStreak += 1
        return base * (0.95 + 0.1 * random)
    }

    /// A call failed: the pause before trying again (full jitter over the upper half).
    public mutating func failed(random: Double = Double.random(in: 0..<1)) -> Double {
        let base = min(settings.errorMaximum, settings.errorInitial * pow2(errorStreak))
        errorStreak += 1
        return base * (0.5 + 0.5 * random)
    }

    private func pow4(_ n: Int) -> Double { n >= 16 ? .infinity : Double(1 << (2 * n)) }
    private func pow2(_ n: Int) -> Double { n >= 32 ? .infinity : Double(1 << n) }
}
