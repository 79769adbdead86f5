import Fuzzing
import OptGateCore

/// Random but plausible scenarios over the fixture's organisation: any jurisdiction, channel,
/// subscriber and purpose, and up to 14 events of every kind, some after `now`.
enum RandomScenario {
    static let jurisdictions: [String?] = ["GB", "GB", "GB", "IE", "DE", "FR", "NL", "IT", "ES", "US", "US-CA", "CA", nil, "AU"]
    static let senders = ["acme-retail", "acme-travel", "helping-hands"]
    static let products = ["laptops", "laptop-accessories", "warranties", "holiday-packages", "shop-books"]

    static func make(seed: UInt64) -> Fixture {
        var rng = SeededGenerator(seed: seed)
        var f = Fixture(jurisdictions.randomElement(using: &rng)!, subscriber: SubscriberType.allCases.randomElement(using: &rng)!)
        let sender = senders.randomElement(using: &rng)!
        let purposes: [Purpose] = [.marketing, .marketing, .marketing, .fundraising, .campaigning, .service]
        f.message = Message(
            from: sender,
            channel: Channel.allCases.randomElement(using: &rng)!,
            purpose: purposes.randomElement(using: &rng)!,
            products: randomProducts(&rng),
            onBehalfOf: Int.random(in: 0..<10, using: &rng) == 0 ? "partner-insure" : nil,
            includesOptOut: Int.random(in: 0..<10, using: &rng) != 0,
            identifiesSender: Int.random(in: 0..<20, using: &rng) != 0,
            solicited: Int.random(in: 0..<20, using: &rng) == 0,
            relevantToRole: Bool.random(using: &rng))
        if Bool.random(using: &rng) { f.policy.maxMarketingPer30Days = Int.random(in: 1...4, using: &rng) }
        for _ in 0..<Int.random(in: 0...14, using: &rng) {
            f.events.append(randomEvent(&rng, now: f.now, sender: sender))
        }
        return f
    }

    static func randomProducts(_ rng: inout SeededGenerator) -> [String] {
        var chosen: [String] = []
        for product in products where Int.random(in: 0..<3, using: &rng) == 0 { chosen.append(product) }
        return chosen
    }

    static func randomChannels(_ rng: inout SeededGenerator) -> ChannelSet {
        ChannelSet(Channel.allCases.filter { _ in Bool.random(using: &rng) })
    }

    /// An instant between four years before `now` and 30 days after it.
    static func randomInstant(_ rng: inout SeededGenerator, now: Timestamp) -> Timestamp {
        now.adding(seconds: Int64.random(in: -4 * 365 * 86_400...30 * 86_400, using: &rng))
    }

    static func randomEvent(_ rng: inout SeededGenerator, now: Timestamp, sender: String) -> Event {
        let at = randomInstant(&rng, now: now)
        let entity = Bool.random(using: &rng) ? sender : senders.randomElement(using: &rng)!
        switch Int.random(in: 0..<7, using: &rng) {
        case 0, 1:
            return Event(at: at, .detailsCollected(DetailsCollected(
                by: entity, from: DetailsCollected.Source.allCases.randomElement(using: &rng)!,
                context: DetailsCollected.Context.allCases.randomElement(using: &rng)!,
                products: randomProducts(&rng), channels: randomChannels(&rng),
                refusalOffered: Int.random(in: 0..<5, using: &rng) != 0, refused: Int.random(in: 0..<8, using: &rng) == 0)))
        case 2:
            return Event(at: at, .consentGiven(ConsentGiven(
                to: Bool.random(using: &rng) ? [entity] : [entity, "partner-insure"], channels: randomChannels(&rng),
                purposes: Set(Purpose.allCases.filter { _ in Bool.random(using: &rng) }),
                products: Bool.random(using: &rng) ? nil : randomProducts(&rng),
                method: ConsentGiven.Method.allCases.randomElement(using: &rng)!,
                collectedBy: Int.random(in: 0..<5, using: &rng) == 0 ? "partner-insure" : nil,
                expiresAt: Int.random(in: 0..<5, using: &rng) == 0 ? randomInstant(&rng, now: now) : nil)))
        case 3:
            return Event(at: at, .optOut(OptOut(
                channels: Bool.random(using: &rng) ? nil : randomChannels(&rng),
                products: Int.random(in: 0..<4, using: &rng) == 0 ? randomProducts(&rng) : nil,
                entity: Bool.random(using: &rng) ? nil : entity,
                via: OptOut.Route.allCases.randomElement(using: &rng)!)))
        case 4:
            let register = PreferenceRegister.allCases.randomElement(using: &rng)!
            return Event(at: at, Int.random(in: 0..<4, using: &rng) == 0 ? .registerRemoved(register) : .registerListed(register))
        case 5:
            return Event(at: at, .marketingSent(MarketingSent(
                by: entity, channel: Channel.allCases.randomElement(using: &rng)!, products: randomProducts(&rng))))
        default:
            return Event(at: at, .gpcSignal(Bool.random(using: &rng)))
        }
    }
}
