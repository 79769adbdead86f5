import OptGateLedger

/// How the propagator delivers: retries, the timeout of one attempt, how many deliveries to one
/// destination may be in flight at once, and how often it looks for work when nothing wakes it.
public struct PropagationSettings: Sendable {
    public var retry = RetrySchedule()
    /// Seconds an attempt may take before it counts as failed.
    public var timeout: Double = 10
    /// Deliveries in flight to one destination at once (different destinations are served in
    /// parallel).
    public var maxInFlight = 4
    /// Seconds between looks at the ledger and the outbox when no commit wakes the propagator
    /// (writes made by `optgate import` in another process are picked up this way).
    public var pollInterval: Double = 1
    /// Ledger entries scanned per enqueuing transaction.
    public var batch = 1000

    public init() {}
}
