import OptGateCore

/// A ledger entry that destinations must learn of: an opt-out, a consent or an erasure.
public struct PropagatedChange: Hashable, Sendable {
    public var type: ChangeType
    public var contactID: String
    /// When the person made it: the event's `at`; an erasure's recording time.
    public var receivedAt: Timestamp
    /// When OptGate recorded it.
    public var boundAt: Timestamp

    /// The change an entry carries, or nil for entries destinations need not learn of (profiles,
    /// sales, sends, organisation records, decisions).
    public static func of(_ entry: StoredEntry, _ record: LedgerRecord) -> PropagatedChange? {
        switch record {
        case .event(let contactID, let event, _):
            switch event.kind {
            case .optOut: return PropagatedChange(type: .optOut, contactID: contactID, receivedAt: event.at, boundAt: entry.recordedAt)
            case .consentGiven: return PropagatedChange(type: .consent, contactID: contactID, receivedAt: event.at, boundAt: entry.recordedAt)
            default: return nil
            }
        case .erasure(let contactID, _):
            return PropagatedChange(type: .erasure, contactID: contactID, receivedAt: entry.recordedAt, boundAt: entry.recordedAt)
        default:
            return nil
        }
    }

    /// Whether an entry may carry a change, judged without decoding it (most entries do not).
    static func mayCarryChange(_ entry: StoredEntry) -> Bool {
        switch entry.kind {
        case .erasure: return true
        case .event: return entry.body.contains("\"type\":\"opt_out\"") || entry.body.contains("\"type\":\"consent_given\"")
        default: return false
        }
    }
}
