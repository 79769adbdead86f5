import OptGateCore

extension Ledger {
    /// What writing the demo organisation and contacts did.
    public struct DemoSummary: Sendable {
        public var contacts = 0
        public var organisationRecords = 0
        /// Events appended, by contract type (`details_collected`, `consent_given`, ...).
        public var eventsByType: [String: Int] = [:]
        public var erased = 0
        /// Ledger entries appended (organisation, contacts, events, erasures).
        public var entries: Int64 = 0

        public var events: Int { eventsByType.values.reduce(0, +) }
    }

    /// Writes the demo organisation, then `contacts` in transactions of `batchSize` contacts, each
    /// transaction also erasing the contacts of its batch that the demo erases. Refuses a ledger that
    /// already has entries: the demo's ids and identifiers would collide with real ones.
    ///
    /// `progress` is called with the number of contacts written so far, every 1,000 contacts.
    public func writeDemo(
        _ contacts: DemoContacts, batchSize: Int = 10_000, recordedAt: Timestamp, progress: (Int) -> Void = { _ in }
    ) throws -> DemoSummary {
        precondition(batchSize > 0, "batchSize must be positive")
        let existing = try store.read { try $0.entryCount() }
        guard existing == 0 else { throw DemoLedgerNotEmpty(entries: existing) }
        var summary = DemoSummary()
        let organisation = contacts.organisation.records
        summary.entries += try withSession(recordedAt: recordedAt) { session in
            for record in organisation { _ = try session.append(record) }
            return session.appended
        }
        summary.organisationRecords = organisation.count
        var next = 0
        while next < contacts.count {
            let end = min(next + batchSize, contacts.count)
            summary.entries += try store.write { writer in
                var session = try LedgerSession(writer: writer, secret: secret, recordedAt: recordedAt, organisation: try organisationHistory(writer))
                var erased: [String] = []
                for index in next..<end {
                    let contact = contacts.contact(index)
                    _ = try session.append(.contact(contact.profile))
                    for (event, evidence) in contact.events {
                        _ = try session.append(.event(contactID: contact.profile.id, event, evidence))
                        summary.eventsByType[event.typeName, default: 0] += 1
                    }
                    if contact.erased { erased.append(contact.profile.id) }
                    if (index + 1) % 1_000 == 0 { progress(index + 1) }
                }
                try session.finish()
                for id in erased { _ = try erase(contactID: id, recordedAt: recordedAt, writer: writer) }
                summary.erased += erased.count
                return session.appended + Int64(erased.count)
            }
            summary.contacts = end
            next = end
        }
        progress(contacts.count)
        return summary
    }
}

/// The demo writes only into an empty ledger.
public struct DemoLedgerNotEmpty: Error, CustomStringConvertible, Sendable {
    public let entries: Int64
    public var description: String {
        "the ledger already has \(entries) entries: the demo writes only into an empty ledger"
    }
}
