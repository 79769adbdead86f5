import OptGateCore

/// One synthetic contact: the profile, the events in time order with their capture evidence, and
/// whether the person is erased once everything is written (the right to erasure exercised after
/// the events).
public struct DemoContact: Sendable {
    /// The contact's position in the generated sequence (0-based).
    public var index: Int
    public var profile: ContactProfile
    public var events: [(event: Event, evidence: EventEvidence?)]
    public var erased: Bool

    /// The ledger records to append for this contact, in order: the profile, then each event.
    public var records: [LedgerRecord] {
        var records: [LedgerRecord] = [.contact(profile)]
        records.reserveCapacity(events.count + 1)
        for (event, evidence) in events { records.append(.event(contactID: profile.id, event, evidence)) }
        return records
    }
}
