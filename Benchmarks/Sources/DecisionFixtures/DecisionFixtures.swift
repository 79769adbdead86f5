import OptGateCore

/// Inputs for the decision benchmarks, built once, outside any measured loop.
///
/// The sender is `acme-retail`, one company of a group, with a catalogue of 20 products that carry
/// similarity assessments. Histories are a realistic mix: sales and enquiries by the sender, details
/// from a group company, consents of several methods (none of them valid for the benchmarked email),
/// marketing sent, a TPS listing and an opt-out for another channel (SMS). The GB email decision
/// therefore walks every bar, fails the consent route on its best candidate and holds on the soft
/// opt-in: the common path for an existing customer.
public enum DecisionFixtures {
    public static let now = timestamp("2026-03-01T10:00:00Z")
    public static let sender = "acme-retail"

    public static let organisation: Organisation = {
        let entities = [
            Entity(id: "acme-retail", kind: .company, group: "acme-group"),
            Entity(id: "acme-travel", kind: .company, group: "acme-group"),
            Entity(id: "acme-insurance", kind: .company, group: "acme-group"),
            Entity(id: "partner-bank", kind: .company),
            Entity(id: "acme-foundation", kind: .charity),
        ]
        // 20 products; similarity is declared on one side, the catalogue makes it symmetric.
        let products = [
            Product(id: "laptops"),
            Product(id: "laptop-accessories", similarTo: ["laptops"], reasoning: "sold alongside laptops"),
            Product(id: "laptop-warranties", similarTo: ["laptops"], reasoning: "cover for the laptops we sell"),
            Product(id: "desktops", similarTo: ["laptops"], reasoning: "the same buying decision"),
            Product(id: "monitors", similarTo: ["desktops", "laptop-accessories"], reasoning: "peripherals"),
            Product(id: "keyboards", similarTo: ["laptop-accessories", "monitors"], reasoning: "peripherals"),
            Product(id: "mice", similarTo: ["laptop-accessories", "keyboards"], reasoning: "peripherals"),
            Product(id: "printers", similarTo: ["desktops"], reasoning: "home office"),
            Product(id: "printer-ink", similarTo: ["printers"], reasoning: "consumables for printers we sell"),
            Product(id: "phones"),
            Product(id: "phone-cases", similarTo: ["phones"], reasoning: "sold alongside phones"),
            Product(id: "phone-insurance", similarTo: ["phones"], reasoning: "cover for the phones we sell"),
            Product(id: "tablets", similarTo: ["phones", "laptops"], reasoning: "personal computing"),
            Product(id: "smartwatches", similarTo: ["phones"], reasoning: "phone companions"),
            Product(id: "headphones", similarTo: ["phones", "tablets"], reasoning: "audio for devices we sell"),
            Product(id: "tv", similarTo: []),
            Product(id: "soundbars", similarTo: ["tv"], reasoning: "home cinema"),
            Product(id: "streaming-sticks", similarTo: ["tv"], reasoning: "home cinema"),
            Product(id: "holiday-packages"),
            Product(id: "travel-insurance", similarTo: ["holiday-packages"], reasoning: "sold with holidays"),
        ]
        return Organisation(entities: entities, catalogue: Catalogue(products))
    }()

    /// The benchmarked message: GB-style email marketing of a product similar to one bought.
    public static let emailMessage = Message(from: sender, channel: .email, purpose: .marketing, products: ["laptop-accessories"])

    public static let gbContact = Contact(id: "c-gb", jurisdiction: JurisdictionCode("GB")!, subscriber: .individual)
    public static let usCAContact = Contact(id: "c-us-ca", jurisdiction: JurisdictionCode("US-CA")!, subscriber: .individual)
    public static let unknownContact = Contact(id: "c-unknown", jurisdiction: nil, subscriber: .unknown)

    /// The ten kinds of event a history cycles through, the first being the qualifying sale.
    private static func template(_ k: Int, at: Timestamp) -> Event {
        switch k % 10 {
        case 0:
            return Event(at: at, .detailsCollected(DetailsCollected(
                by: sender, context: .sale, products: ["laptops"], channels: [.email, .sms], refusalOffered: true)))
        case 1:
            return Event(at: at, .consentGiven(ConsentGiven(to: [sender], channels: [.email], method: .preTickedBox)))
        case 2:
            return Event(at: at, .marketingSent(MarketingSent(by: sender, channel: .email, products: ["laptops"])))
        case 3:
            return Event(at: at, .detailsCollected(DetailsCollected(
                by: sender, context: .productEnquiry, products: ["phones"], channels: [.email], refusalOffered: true)))
        case 4:
            return Event(at: at, .consentGiven(ConsentGiven(to: [sender], channels: [.sms], method: .doubleOptIn)))
        case 5:
            return Event(at: at, .registerListed(.tps))
        case 6:
            return Event(at: at, .optOut(OptOut(channels: [.sms], via: .smsStop)))
        case 7:
            return Event(at: at, .consentGiven(ConsentGiven(
                to: ["acme-travel"], channels: [.email], method: .uncheckedBox, noticeVersion: "2025-06")))
        case 8:
            return Event(at: at, .detailsCollected(DetailsCollected(
                by: "acme-travel", context: .sale, products: ["holiday-packages"], channels: [.email], refusalOffered: true)))
        default:
            return Event(at: at, .marketingSent(MarketingSent(by: sender, channel: .email, products: ["laptop-accessories"])))
        }
    }

    /// A history of `count` events, newest first, one every nine days before `now`; the sale is the
    /// newest event, so every history qualifies for the soft opt-in in GB.
    public static func history(_ count: Int) -> [Event] {
        (0..<count).map { i in template(i, at: now.adding(days: -9 * (i + 1))) }
    }

    /// A GB email that fails on every ground the history gives: concealed sender, no opt-out, an
    /// email opt-out, a refusal at collection, consents that fail several ways, details from third
    /// parties and in non-sale contexts, and products not similar to anything bought.
    public static let denialMessage = Message(
        from: sender, channel: .email, purpose: .marketing, products: ["tv", "soundbars", "streaming-sticks"],
        includesOptOut: false, identifiesSender: false)

    public static let denialHistory: [Event] = [
        Event(at: timestamp("2024-01-10T09:00:00Z"), .detailsCollected(DetailsCollected(
            by: "partner-bank", from: .dataBroker, context: .competitionEntry, products: ["laptops"], channels: [.sms],
            refusalOffered: false, refused: true))),
        Event(at: timestamp("2025-05-02T12:00:00Z"), .detailsCollected(DetailsCollected(
            by: sender, from: .recipient, context: .freeAccount, products: ["phones"], channels: [.email],
            refusalOffered: true, refused: true))),
        Event(at: timestamp("2025-06-01T12:00:00Z"), .consentGiven(ConsentGiven(
            to: ["acme-travel"], channels: [.sms], purposes: [.fundraising], products: ["holiday-packages"],
            method: .bundledWithTerms, collectedBy: "partner-bank", expiresAt: timestamp("2025-12-01T00:00:00Z")))),
        Event(at: timestamp("2025-07-01T12:00:00Z"), .consentGiven(ConsentGiven(
            to: [sender], channels: [.email], products: ["laptops"], method: .privacyNoticeStatement))),
        Event(at: timestamp("2025-09-15T08:00:00Z"), .optOut(OptOut(channels: [.email], via: .oneClick))),
        Event(at: timestamp("2025-10-01T08:00:00Z"), .optOut(OptOut(entity: sender, via: .complaint))),
        Event(at: timestamp("2025-11-01T08:00:00Z"), .registerListed(.tps)),
        Event(at: timestamp("2025-12-01T08:00:00Z"), .marketingSent(MarketingSent(by: sender, channel: .email))),
    ]

    static func timestamp(_ text: String) -> Timestamp {
        do { return try Timestamp(rfc3339: text) } catch { fatalError("bad fixture timestamp \(text)") }
    }
}

/// One benchmarked decision: its inputs and the answer it must give (checked before measuring).
public struct DecisionCase: Sendable {
    public let name: String
    public let message: Message
    public let contact: Contact
    public let history: [Event]
    public let expectAllowed: Bool

    public static let all: [DecisionCase] = [
        DecisionCase(name: "GB email, 1 event", message: DecisionFixtures.emailMessage,
                     contact: DecisionFixtures.gbContact, history: DecisionFixtures.history(1), expectAllowed: true),
        DecisionCase(name: "GB email, 10 events", message: DecisionFixtures.emailMessage,
                     contact: DecisionFixtures.gbContact, history: DecisionFixtures.history(10), expectAllowed: true),
        DecisionCase(name: "GB email, 50 events", message: DecisionFixtures.emailMessage,
                     contact: DecisionFixtures.gbContact, history: DecisionFixtures.history(50), expectAllowed: true),
        DecisionCase(name: "US-CA email, 10 events", message: DecisionFixtures.emailMessage,
                     contact: DecisionFixtures.usCAContact, history: DecisionFixtures.history(10), expectAllowed: true),
        DecisionCase(name: "unknown jurisdiction email, 10 events", message: DecisionFixtures.emailMessage,
                     contact: DecisionFixtures.unknownContact, history: DecisionFixtures.history(10), expectAllowed: false),
        DecisionCase(name: "GB email denial, many reasons", message: DecisionFixtures.denialMessage,
                     contact: DecisionFixtures.gbContact, history: DecisionFixtures.denialHistory, expectAllowed: false),
    ]

    public static func named(_ name: String) -> DecisionCase {
        guard let found = all.first(where: { $0.name == name }) else { fatalError("no case \(name)") }
        return found
    }

    @inline(__always)
    public func decide(_ engine: DecisionEngine) -> Decision {
        engine.decide(message, to: contact, history: history, at: DecisionFixtures.now, from: DecisionFixtures.organisation)
    }

    /// Stops the run if the decision is not the one the case is meant to measure.
    public func check(_ engine: DecisionEngine) -> Decision {
        let decision = decide(engine)
        precondition(decision.allowed == expectAllowed,
                     "\(name): expected allowed=\(expectAllowed), got \(decision.allowed) \(decision.reasons.map(\.code.rawValue))")
        return decision
    }
}
