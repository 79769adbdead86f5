import OptGateCore

/// Where destinations and their deliveries (the outbox) are kept: beside the ledger, in the same
/// database, so that enqueuing reads the ledger and writes deliveries in one transaction. One
/// protocol, one implementation per database (SQLite's and PostgreSQL's), like `LedgerStore`.
///
/// The store keeps and finds rows; what to enqueue, when to retry and what to send are decided by
/// `Outbox`, `RetrySchedule` and the server's `Propagator`.
public protocol PropagationStore: AnyObject, Sendable {
    /// Runs `body` in a read transaction (a consistent snapshot of the ledger and the outbox).
    func readPropagation<T>(_ body: (any PropagationReader) throws -> T) throws -> T
    /// Runs `body` in one write transaction: all of it is durable when this returns, or none of it.
    func writePropagation<T>(_ body: (any PropagationWriter) throws -> T) throws -> T
}

/// Lookups inside a transaction: the ledger's, and the outbox's.
public protocol PropagationReader: LedgerReader {
    /// Every destination, removed ones included, by name.
    func destinations() throws -> [Destination]
    func destination(name: String) throws -> Destination?
    /// One ledger entry with its personal data unless erased.
    func ledgerEntry(seq: Int64) throws -> (StoredEntry, SealedPersonalData?)?
    func delivery(key: String) throws -> Delivery?
    /// Pending deliveries of a destination whose next attempt is due at `time` (seconds since
    /// 1970), oldest change first.
    func dueDeliveries(destination: String, at time: Double, limit: Int) throws -> [Delivery]
    /// Deliveries matching `filter` (of one destination if given), oldest change first.
    func deliveries(_ filter: DeliveryFilter, destination: String?, limit: Int) throws -> [Delivery]
    /// Every delivery of a contact's changes, by change then destination.
    func deliveries(contactID: String) throws -> [Delivery]
    /// Per destination (every one, removed ones included), its deliveries counted as of `now`.
    func deliveryCounts(at now: Timestamp) throws -> [DeliveryCounts]
}

/// Writes inside a transaction.
public protocol PropagationWriter: PropagationReader {
    /// Stores a new destination; false, writing nothing, if its name is taken.
    func insertDestination(_ destination: Destination) throws -> Bool
    /// Marks a destination removed; false if there is none of that name or it was removed already.
    func markRemoved(destination name: String, at instant: Timestamp) throws -> Bool
    func setCursor(destination name: String, seq: Int64) throws
    /// Stores a new delivery; false, writing nothing, if its key is taken.
    func insertDelivery(_ delivery: Delivery) throws -> Bool
    /// Marks a pending delivery confirmed; false (changing nothing) if it is not pending, so a
    /// delivery is confirmed once.
    func markDelivered(key: String, attempts: Int, at instant: Timestamp) throws -> Bool
    /// Records a failed attempt of a pending delivery: its count, what went wrong, and either the
    /// next attempt's time or, with `nextAttemptAt` nil, the dead letter.
    func markFailed(key: String, attempts: Int, at instant: Timestamp, error: String, nextAttemptAt: Double?) throws
    /// Puts a dead delivery back in the queue with its attempts reset; false if it is not dead.
    func requeue(key: String, at time: Double) throws -> Bool
    /// Requeues every dead delivery (of one destination if given); returns how many.
    func requeueDead(destination: String?, at time: Double) throws -> Int
}

/// Which deliveries to list.
public enum DeliveryFilter: Hashable, Sendable {
    case state(DeliveryState)
    /// Deadline missed as of this instant: unconfirmed past it, or confirmed after it.
    case overdue(at: Timestamp)
}

/// One destination's deliveries, counted.
public struct DeliveryCounts: Hashable, Sendable {
    public var destination: String
    public var pending: Int
    public var delivered: Int
    public var dead: Int
    /// Deadline missed: unconfirmed past it, or confirmed after it.
    public var overdue: Int
    /// When the oldest pending change took effect in OptGate (its `bound_at`), if any is pending.
    public var oldestPendingBoundAt: Timestamp?

    public init(destination: String, pending: Int = 0, delivered: Int = 0, dead: Int = 0, overdue: Int = 0, oldestPendingBoundAt: Timestamp? = nil) {
        self.destination = destination
        self.pending = pending
        self.delivered = delivered
        self.dead = dead
        self.overdue = overdue
        self.oldestPendingBoundAt = oldestPendingBoundAt
    }
}
