import OptGateCore

/// What the ledger knows about a contact: where they are, what kind of subscriber, and how to reach
/// them. The identifiers are personal data, kept apart from the chained record so that erasure can
/// remove them.
public struct ContactProfile: Hashable, Sendable {
    /// A pseudonymous id (never an email address or phone number).
    public var id: String
    public var jurisdiction: JurisdictionCode?
    public var subscriber: SubscriberType
    public var identifiers: [Identifier]

    public init(id: String, jurisdiction: JurisdictionCode?, subscriber: SubscriberType = .unknown, identifiers: [Identifier] = []) {
        self.id = id
        self.jurisdiction = jurisdiction
        self.subscriber = subscriber
        self.identifiers = identifiers
    }

    public var contact: Contact { Contact(id: id, jurisdiction: jurisdiction, subscriber: subscriber) }
}
