// RetryPolicy: how long to wait before trying again. Pure: the caller supplies the randomness.
import Foundation

/// Exponential backoff with jitter: the pause doubles after each failure up to a cap, and part of it is random
/// so that replicas which failed together do not retry together. The pause is never zero (no tight loop).
public struct RetryPolicy: Sendable, Equatable {
    /// The pause after the first failure, in seconds.
    public var initial: Double
    /// How much longer each following pause is.
    public var multiplier: Double
    /// The longest pause, in seconds.
    public var maximum: Double
    /// The random share of each pause, 0...0.9 (0.5: between half the pause and the whole pause); below 1 so
    /// that no pause can be zero.
    public var jitter: Double

    /// A policy; the defaults give about 0.5 s, 1 s, 2 s … up to 8 s.
    public init(initial: Double = 0.5, multiplier: Double = 2, maximum: Double = 8, jitter: Double = 0.5) {
        self.initial = max(0, initial)
        self.multiplier = max(1, multiplier)
        self.maximum = max(self.initial, maximum)
        self.jitter = min(0.9, max(0, jitter))
    }

    /// The pause after `failures` failed attempts (1 for the first), with `unit` a random number in 0..<1.
    public func delay(afterFailures failures: Int, unit: Double) -> Double {
        let exponent = Double(max(0, failures - 1))
        let full = min(maximum, initial * pow(multiplier, exponent))
        let share = min(1, max(0, unit))
        return full * (1 - jitter) + full * jitter * share
    }
}
