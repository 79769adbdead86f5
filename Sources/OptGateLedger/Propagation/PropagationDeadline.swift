import OptGateCore

/// How long a destination has to confirm a change, counted from when the person made it (the
/// event's `at`, `received_at` in the payload).
///
/// Business days are Monday to Friday in UTC; public holidays are not modelled, so a computed
/// deadline is never later than the legal one it approximates.
public enum PropagationDeadline: Hashable, Sendable, CustomStringConvertible {
    /// Clock hours (the mailbox providers' 48 hours for bulk email).
    case hours(Int)
    /// Business days (CAN-SPAM 15 U.S.C. 7704(a)(4), CASL s.11(3): 10 business days).
    case businessDays(Int)

    /// When a change received at `receivedAt` must have been confirmed.
    public func deadline(receivedAt: Timestamp) -> Timestamp {
        switch self {
        case .hours(let hours): return receivedAt.adding(seconds: Int64(hours) * 3600)
        case .businessDays(let days): return receivedAt.adding(businessDays: days)
        }
    }

    public var description: String {
        switch self {
        case .hours(let hours): return "\(hours) hours"
        case .businessDays(let days): return "\(days) business days"
        }
    }
}
