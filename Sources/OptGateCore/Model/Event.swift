/// Something that happened between the organisation and the person, at a moment. Events are the
/// only input a decision has about the person's history: the ledger stores them, a scenario
/// carries a slice of them. Events dated after the decision time change nothing.
public struct Event: Hashable, Sendable {
    /// Idempotency key: the same event recorded twice is one event.
    public var id: String?
    public var at: Timestamp
    public var kind: Kind

    public enum Kind: Hashable, Sendable {
        case detailsCollected(DetailsCollected)
        case consentGiven(ConsentGiven)
        case optOut(OptOut)
        case registerListed(PreferenceRegister)
        case registerRemoved(PreferenceRegister)
        case marketingSent(MarketingSent)
        /// A Global Privacy Control signal from the person's browser (`Sec-GPC: 1` is `true`).
        case gpcSignal(Bool)
        /// The person asked for fewer messages: at most so many in any 30 days.
        case frequencySet(FrequencyPreference)
    }

    public init(id: String? = nil, at: Timestamp, _ kind: Kind) {
        self.id = id
        self.at = at
        self.kind = kind
    }

    /// The contract's name for the event type.
    public var typeName: String {
        switch kind {
        case .detailsCollected: return "details_collected"
        case .consentGiven: return "consent_given"
        case .optOut: return "opt_out"
        case .registerListed: return "register_listed"
        case .registerRemoved: return "register_removed"
        case .marketingSent: return "marketing_sent"
        case .gpcSignal: return "gpc_signal"
        case .frequencySet: return "frequency_set"
        }
    }
}
