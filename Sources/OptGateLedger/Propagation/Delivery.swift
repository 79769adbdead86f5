import OptGateCore

/// One change on its way to one destination: the outbox row.
public struct Delivery: Hashable, Sendable {
    /// `<destination>:<entry seq>`: the same for every attempt, different for every change and
    /// destination. Sent as `Idempotency-Key`; receivers drop a key they have already applied.
    public var key: String
    public var destination: String
    /// The ledger entry of the change.
    public var seq: Int64
    public var change: ChangeType
    public var contactID: String
    /// When the person made the change (the event's `at`; for an erasure, when it was recorded).
    public var receivedAt: Timestamp
    /// When OptGate recorded it (the ledger entry's `recordedAt`): from then on its decisions
    /// honoured it.
    public var boundAt: Timestamp
    /// When the destination must have confirmed it.
    public var deadline: Timestamp
    public var state: DeliveryState
    /// Attempts made (failed ones, and the one that succeeded).
    public var attempts: Int
    /// When the next attempt is due (seconds since 1970, fractional).
    public var nextAttemptAt: Double
    public var lastAttemptAt: Timestamp?
    /// What went wrong the last time (`HTTP 500`, `timed out after 10 s`, ...).
    public var lastError: String?
    /// When the destination confirmed it (answered 2xx).
    public var deliveredAt: Timestamp?

    public init(
        key: String, destination: String, seq: Int64, change: ChangeType, contactID: String, receivedAt: Timestamp,
        boundAt: Timestamp, deadline: Timestamp, state: DeliveryState = .pending, attempts: Int = 0, nextAttemptAt: Double,
        lastAttemptAt: Timestamp? = nil, lastError: String? = nil, deliveredAt: Timestamp? = nil
    ) {
        self.key = key
        self.destination = destination
        self.seq = seq
        self.change = change
        self.contactID = contactID
        self.receivedAt = receivedAt
        self.boundAt = boundAt
        self.deadline = deadline
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastAttemptAt = lastAttemptAt
        self.lastError = lastError
        self.deliveredAt = deliveredAt
    }

    /// The idempotency key of the change at `seq` for `destination`.
    public static func key(destination: String, seq: Int64) -> String { "\(destination):\(seq)" }

    /// Whether the deadline was missed as of `now`: not confirmed by then, or confirmed after it.
    public func isOverdue(at now: Timestamp) -> Bool {
        if let deliveredAt { return deliveredAt > deadline }
        return now > deadline
    }
}
