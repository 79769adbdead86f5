/// An objection to direct marketing, a withdrawal of consent or an unsubscribe. Its scope is what
/// it names; anything it leaves out it covers entirely.
public struct OptOut: Hashable, Sendable {
    /// The route by which the opt-out arrived.
    public enum Route: String, CaseIterable, Hashable, Sendable {
        case oneClick = "one_click"
        case link
        case reply
        case smsStop = "sms_stop"
        case phone
        case preferenceCentre = "preference_centre"
        case complaint
        case consentWithdrawn = "consent_withdrawn"
        case inPerson = "in_person"
        case other
    }

    /// nil: every channel.
    public var channels: ChannelSet?
    /// nil: all marketing.
    public var products: [String]?
    /// nil: every entity the person dealt with.
    public var entity: String?
    public var via: Route
    /// A pause: the opt-out lapses at this moment (the person asked for a break, not an end).
    /// nil: for good.
    public var until: Timestamp?

    public init(channels: ChannelSet? = nil, products: [String]? = nil, entity: String? = nil, via: Route, until: Timestamp? = nil) {
        self.channels = channels
        self.products = products
        self.entity = entity
        self.via = via
        self.until = until
    }

    /// Whether the opt-out still binds at `instant` (a pause binds until it ends).
    @inlinable
    public func binds(at instant: Timestamp) -> Bool {
        guard let until else { return true }
        return instant < until
    }
}
