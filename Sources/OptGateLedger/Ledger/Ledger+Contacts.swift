import OptGateCore

/// Everything the ledger holds about one contact, decoded: the basis of status, replay and the
/// evidence pack.
public struct ContactHistory: Sendable {
    public struct Entry: Sendable {
        public var stored: StoredEntry
        public var record: LedgerRecord
    }

    public var contactID: String
    /// Profiles in chain order (the latest recorded at or before an instant applies then).
    public var entries: [Entry]
    public var organisation: OrganisationHistory
    public var erased: Bool
    public var state: PermissionState?

    /// The contact's profile as recorded at or before `instant` (the first one if none was yet).
    public func profile(at instant: Timestamp) -> ContactProfile? {
        var current: ContactProfile?
        for entry in entries {
            guard case .contact(let profile) = entry.record else { continue }
            if current == nil || entry.stored.recordedAt <= instant { current = profile }
        }
        return current
    }

    /// The contact's events (every one; the engine ignores those after its decision time).
    public var events: [Event] {
        entries.compactMap { if case .event(_, let event, _) = $0.record { return event } else { return nil } }
    }

    /// Decides `message` as of `instant`, with the organisation and profile of that moment.
    public func decide(_ message: Message, at instant: Timestamp, engine: DecisionEngine = DecisionEngine()) -> Decision {
        let contact = profile(at: instant)?.contact ?? Contact(id: contactID, jurisdiction: nil)
        return engine.decide(message, to: contact, history: events, at: instant, from: organisation.organisation(at: instant))
    }
}

extension Ledger {
    /// A contact's full history, with personal data unless erased.
    public func history(contactID: String) throws -> ContactHistory {
        try store.read { reader in
            guard let status = try reader.contactStatus(id: contactID) else { throw LedgerError.unknownContact(contactID) }
            var organisation = OrganisationHistory()
            for entry in try reader.organisationEntries() {
                organisation.add(try LedgerSession.decode(entry, personal: nil), seq: entry.seq)
            }
            let entries = try reader.entries(contactID: contactID).map { stored in
                ContactHistory.Entry(stored: stored, record: try LedgerSession.decode(stored, personal: try reader.personalData(seq: stored.seq)))
            }
            return ContactHistory(
                contactID: contactID, entries: entries, organisation: organisation, erased: status.erasedSeq != nil,
                state: try reader.state(contactID: contactID))
        }
    }

    /// The organisation's records.
    public func organisationHistory() throws -> OrganisationHistory {
        try store.read { reader in
            var organisation = OrganisationHistory()
            for entry in try reader.organisationEntries() {
                organisation.add(try LedgerSession.decode(entry, personal: nil), seq: entry.seq)
            }
            return organisation
        }
    }
}
