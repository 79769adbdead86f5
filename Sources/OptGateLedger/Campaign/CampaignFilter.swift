import OptGateCore

/// Judges a campaign's recipients: for each, the decision the engine gives for this message at this
/// moment, exactly as a single decision would (`ContactTimeline.decide` over the same history and
/// organisation). Recipients are judged a chunk at a time in one read transaction each, so that
/// the work per recipient is a few index lookups and memory stays bounded whatever the audience.
public struct CampaignFilter: Sendable {
    public let ledger: Ledger
    public let message: Message
    public let at: Timestamp

    public init(ledger: Ledger, message: Message, at: Timestamp) {
        self.ledger = ledger
        self.message = message
        self.at = at
    }

    /// The verdicts for `rows`, in their order.
    public func check(_ rows: [AudienceReader.Row]) throws -> [CampaignVerdict] {
        try ledger.store.read { reader in
            let organisation = try ledger.organisationHistory(reader)
            return try rows.map { row in try verdict(row, reader, organisation) }
        }
    }

    private func verdict(_ row: AudienceReader.Row, _ reader: any LedgerReader, _ organisation: OrganisationHistory) throws -> CampaignVerdict {
        var verdict = CampaignVerdict(line: row.line, recipient: row.recipient)
        let contactID: String
        switch row.lookup {
        case .invalid(let problem):
            verdict.unjudged = .invalid
            verdict.problem = problem
            return verdict
        case .contact(let id):
            guard try reader.contactStatus(id: id) != nil else {
                verdict.unjudged = .unknown
                return verdict
            }
            contactID = id
        case .identifier(let identifier):
            let key = ledger.secret.key(for: identifier)
            guard let id = try reader.contactID(identifierKey: key) else {
                verdict.unjudged = try reader.suppressedSince(identifierKey: key) != nil ? .suppressed : .unknown
                return verdict
            }
            contactID = id
        }
        verdict.contactID = contactID
        let entries = try reader.entries(contactID: contactID).compactMap { stored -> ContactHistory.Entry? in
            stored.kind == .decision ? nil : ContactHistory.Entry(stored: stored, record: try LedgerSession.decode(stored, personal: nil))
        }
        let timeline = ContactTimeline(contactID: contactID, entries: entries)
        verdict.decision = timeline.decide([message], at: at, organisation: organisation, engine: ledger.engine)[0]
        return verdict
    }
}
