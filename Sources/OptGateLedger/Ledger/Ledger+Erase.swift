import OptGateCore

extension Ledger {
    /// What an erasure did.
    public struct Erasure: Hashable, Sendable {
        public var contactID: String
        /// Identifiers kept on the suppression list as keyed hashes.
        public var suppressedIdentifiers: Int
        /// Ledger entries whose personal data was deleted.
        public var personalDataDeleted: Int
        /// The entry recording the erasure.
        public var seq: Int64
    }

    /// Erases a contact's personal data (UK/EU GDPR Art 17): identifiers, IP addresses, user agents.
    /// Their identifiers' keyed hashes go on the suppression list, so a later import of the same
    /// email or phone stays suppressed (Art 21 objection and ICO guidance: suppress, don't forget).
    /// The events themselves, without personal data, stay as evidence of lawful sending
    /// (Art 17(3)(e)); the chain still verifies.
    public func erase(contactID: String, recordedAt: Timestamp) throws -> Erasure {
        try store.write { writer in try erase(contactID: contactID, recordedAt: recordedAt, writer: writer) }
    }

    /// Erases inside a write transaction the caller holds (the demo erases its contacts in the
    /// transaction that wrote them).
    func erase(contactID: String, recordedAt: Timestamp, writer: any LedgerWriter) throws -> Erasure {
        guard let status = try writer.contactStatus(id: contactID) else { throw LedgerError.unknownContact(contactID) }
        _ = status  // erasing again removes personal data recorded since the last erasure
        let keys = try writer.identifierKeys(contactID: contactID)
        for key in keys where try writer.suppressedSince(identifierKey: key) == nil {
            try writer.suppress(identifierKey: key, since: recordedAt)
        }
        let deleted = try writer.deletePersonalData(contactID: contactID)
        try writer.unlinkIdentifiers(contactID: contactID)
        var session = try LedgerSession(writer: writer, secret: secret, recordedAt: recordedAt, organisation: try organisationHistory(writer))
        let outcome = try session.append(.erasure(contactID: contactID, suppressedIdentifiers: keys.count))
        try session.finish()
        guard case .appended(let seq) = outcome else { throw LedgerError.corrupt("erasure not appended") }
        try writer.markErased(contactID: contactID, seq: seq)
        return Erasure(contactID: contactID, suppressedIdentifiers: keys.count, personalDataDeleted: deleted, seq: seq)
    }
}
