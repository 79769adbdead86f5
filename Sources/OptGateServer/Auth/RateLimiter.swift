import Foundation

/// Per-key token buckets: a key with a rate of N requests per second may burst up to 2N, then is
/// held to N. A refused request learns how long to wait.
public final class RateLimiter: @unchecked Sendable {
    private struct Bucket {
        var tokens: Double
        var updatedAt: Double
    }

    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]
    private let monotonicNow: @Sendable () -> Double

    public init(monotonicNow: @escaping @Sendable () -> Double = APIKeyring.uptime) {
        self.monotonicNow = monotonicNow
    }

    /// nil if the request may go ahead; otherwise the seconds until it could.
    public func admit(keyID: String, ratePerSecond: Int) -> Double? {
        let rate = Double(max(ratePerSecond, 1))
        let capacity = 2 * rate
        let now = monotonicNow()
        lock.lock()
        defer { lock.unlock() }
        var bucket = buckets[keyID] ?? Bucket(tokens: capacity, updatedAt: now)
        bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updatedAt) * rate)
        bucket.updatedAt = now
        defer { buckets[keyID] = bucket }
        guard bucket.tokens >= 1 else { return (1 - bucket.tokens) / rate }
        bucket.tokens -= 1
        return nil
    }
}
