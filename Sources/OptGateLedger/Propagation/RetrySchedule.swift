/// When a failed delivery is tried again: exponential backoff with jitter, capped, and a last
/// attempt after which the delivery is dead-lettered (kept, listed, and requeued by hand).
///
/// With the defaults (10 s doubling, capped at 1 hour, 80 attempts) a destination that stays down
/// is tried for about three days, past the 48-hour bulk-email deadline, before its deliveries are
/// dead-lettered.
public struct RetrySchedule: Hashable, Sendable {
    /// Seconds before the second attempt.
    public var initialDelay: Double
    /// The longest wait between two attempts, in seconds.
    public var maximumDelay: Double
    /// Attempts made before a delivery is dead-lettered.
    public var maxAttempts: Int
    /// How much each wait is spread, as a fraction of it (0.25: ±25 %), so that deliveries that
    /// failed together do not all retry at the same instant.
    public var jitter: Double

    public init(initialDelay: Double = 10, maximumDelay: Double = 3600, maxAttempts: Int = 80, jitter: Double = 0.25) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maxAttempts = maxAttempts
        self.jitter = jitter
    }

    /// What follows a failed attempt.
    public enum Next: Hashable, Sendable {
        /// Try again this many seconds from now.
        case retry(after: Double)
        /// No attempt left: dead-letter the delivery.
        case deadLetter
    }

    /// What follows the `attempts`-th failed attempt (1 for the first). `random` is a number in
    /// 0..<1 (injected, so that the schedule is a pure function).
    public func next(afterAttempts attempts: Int, random: Double) -> Next {
        guard attempts < maxAttempts else { return .deadLetter }
        return .retry(after: delay(afterAttempts: attempts, random: random))
    }

    /// The wait after the `attempts`-th failed attempt: `initialDelay` doubled for every earlier
    /// failure, capped at `maximumDelay`, then spread by `jitter` (and never beyond the cap).
    public func delay(afterAttempts attempts: Int, random: Double) -> Double {
        let doublings = Double(max(0, min(attempts - 1, 62)))
        let base = min(maximumDelay, initialDelay * pow2(doublings))
        let spread = base * jitter * (2 * min(max(random, 0), 1) - 1)
        return min(maximumDelay, max(0, base + spread))
    }

    private func pow2(_ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) { result *= 2 }
        return result
    }
}
