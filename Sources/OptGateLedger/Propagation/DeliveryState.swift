/// Where a delivery stands.
public enum DeliveryState: String, CaseIterable, Hashable, Sendable {
    /// Not yet confirmed: waiting for its next attempt.
    case pending
    /// The destination answered 2xx: confirmed, never sent again.
    case delivered
    /// Every attempt failed: kept and listed until requeued.
    case dead
}
