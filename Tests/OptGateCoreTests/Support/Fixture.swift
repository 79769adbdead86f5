import OptGateCore
import Testing

/// An instant from RFC 3339 text (test data is always valid).
func t(_ text: String) -> Timestamp {
    try! Timestamp(rfc3339: text)
}

/// A scenario under construction: the contract examples' organisation (acme-retail in acme-group,
/// a sister company, a partner, a charity, a laptop catalogue) and a GB individual, with helpers to
/// add events. Each test changes only what it is about.
struct Fixture {
    var now = t("2026-03-01T10:00:00Z")
    var entities = [
        Entity(id: "acme-retail", kind: .company, group: "acme-group"),
        Entity(id: "acme-travel", kind: .company, group: "acme-group"),
        Entity(id: "partner-insure", kind: .company),
        Entity(id: "helping-hands", kind: .charity),
        Entity(id: "good-causes-ltd", kind: .nonprofit),
    ]
    var catalogue = Catalogue([
        Product(id: "laptops"),
        Product(id: "laptop-accessories", similarTo: ["laptops"], reasoning: "sold alongside laptops"),
        Product(id: "warranties", similarTo: ["laptops"], reasoning: "cover for the laptops we sell"),
        Product(id: "holiday-packages"),
        Product(id: "shop-books"),
    ])
    var policy = Policy()
    var contact = Contact(id: "c-1", jurisdiction: JurisdictionCode("GB"), subscriber: .individual)
    var events: [Event] = []
    var message = Message(from: "acme-retail", channel: .email, purpose: .marketing, products: ["laptop-accessories"])

    init(_ jurisdiction: String? = "GB", subscriber: SubscriberType = .individual) {
        contact = Contact(id: "c-1", jurisdiction: jurisdiction.flatMap(JurisdictionCode.init), subscriber: subscriber)
    }

    var organisation: Organisation { Organisation(entities: entities, catalogue: catalogue, policy: policy) }

    func decide(engine: DecisionEngine = DecisionEngine()) -> Decision {
        engine.decide(message, to: contact, history: events, at: now, from: organisation)
    }

    var scenario: Scenario {
        Scenario(now: now, entities: entities, catalogue: catalogue, policy: policy, contact: contact, events: events, message: message)
    }

    // MARK: Events

    /// Details obtained by `by` from the person in a sale (or another context), refusal offered.
    mutating func collected(
        _ at: String, by: String = "acme-retail", from: DetailsCollected.Source = .recipient,
        context: DetailsCollected.Context = .sale, products: [String] = ["laptops"],
        channels: ChannelSet = [.email, .sms], refusalOffered: Bool = true, refused: Bool = false
    ) {
        events.append(Event(at: t(at), .detailsCollected(DetailsCollected(
            by: by, from: from, context: context, products: products, channels: channels,
            refusalOffered: refusalOffered, refused: refused))))
    }

    mutating func consented(
        _ at: String, to: [String] = ["acme-retail"], channels: ChannelSet = [.email],
        purposes: Set<Purpose> = [.marketing], products: [String]? = nil, method: ConsentGiven.Method = .uncheckedBox,
        collectedBy: String? = nil, expiresAt: String? = nil
    ) {
        events.append(Event(at: t(at), .consentGiven(ConsentGiven(
            to: to, channels: channels, purposes: purposes, products: products, method: method,
            noticeVersion: "v1", source: "web", collectedBy: collectedBy, expiresAt: expiresAt.map(t)))))
    }

    mutating func optedOut(
        _ at: String, channels: ChannelSet? = nil, products: [String]? = nil, entity: String? = nil,
        via: OptOut.Route = .oneClick, until: String? = nil
    ) {
        events.append(Event(at: t(at), .optOut(OptOut(channels: channels, products: products, entity: entity, via: via, until: until.map(t)))))
    }

    mutating func limited(_ at: String, to max: Int?, entity: String? = nil, channels: ChannelSet? = nil) {
        events.append(Event(at: t(at), .frequencySet(FrequencyPreference(entity: entity, channels: channels, maxPer30Days: max))))
    }

    mutating func listed(_ at: String, _ register: PreferenceRegister) {
        events.append(Event(at: t(at), .registerListed(register)))
    }

    mutating func delisted(_ at: String, _ register: PreferenceRegister) {
        events.append(Event(at: t(at), .registerRemoved(register)))
    }

    mutating func sent(_ at: String, by: String = "acme-retail", channel: Channel = .email) {
        events.append(Event(at: t(at), .marketingSent(MarketingSent(by: by, channel: channel, products: ["laptops"]))))
    }

    mutating func gpc(_ at: String, _ value: Bool = true) {
        events.append(Event(at: t(at), .gpcSignal(value)))
    }
}

extension Decision {
    var codes: [String] { reasons.map(\.code.rawValue) }
    var citations: [String] { reasons.map(\.rule.citation) }

    func has(_ code: ReasonCode) -> Bool { reasons.contains { $0.code == code } }

    func reason(_ code: ReasonCode) -> Reason? { reasons.first { $0.code == code } }
}

/// Asserts an allowed decision on `basis`.
func expectAllowed(_ decision: Decision, _ basis: Basis, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(decision.allowed, "expected allowed, got \(decision.codes)", sourceLocation: sourceLocation)
    #expect(decision.basis == basis, "basis \(String(describing: decision.basis)), reasons \(decision.codes)", sourceLocation: sourceLocation)
}

/// Asserts a denial that names `code` (among every failed condition).
func expectDenied(_ decision: Decision, naming code: ReasonCode? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!decision.allowed, "expected denied, got \(String(describing: decision.basis)) \(decision.codes)", sourceLocation: sourceLocation)
    #expect(decision.basis == nil, sourceLocation: sourceLocation)
    #expect(decision.requirements.isEmpty, sourceLocation: sourceLocation)
    if let code {
        #expect(decision.has(code), "expected \(code.rawValue) among \(decision.codes)", sourceLocation: sourceLocation)
    }
}
