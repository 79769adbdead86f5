/// Everything one decision needs: the organisation (entities, catalogue, policy), the person and
/// their history, the proposed message and the moment of decision.
public struct Scenario: Sendable {
    public var now: Timestamp
    public var entities: [Entity]
    public var catalogue: Catalogue
    public var policy: Policy
    public var contact: Contact
    public var events: [Event]
    public var message: Message

    public init(
        now: Timestamp, entities: [Entity], catalogue: Catalogue, policy: Policy = Policy(), contact: Contact,
        events: [Event], message: Message
    ) {
        self.now = now
        self.entities = entities
        self.catalogue = catalogue
        self.policy = policy
        self.contact = contact
        self.events = events
        self.message = message
    }
}
