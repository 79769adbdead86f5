import Fuzzing
import OptGateCore
import OptGateLedger

/// Random but valid event streams over `Org`'s entities and products: every event kind, every
/// enum case, optional fields present or not, and many events sharing an instant (so that ties
/// are exercised), for a few contacts, arriving in random order and batches, with re-sent
/// duplicates.
struct RandomEventStream {
    /// Each contact's events, as generated (unique).
    var events: [String: [Event]]
    /// The writes, in arrival order: each a batch of (contact, event), duplicates included.
    var batches: [[(contactID: String, event: Event)]]

    var contactIDs: [String] { events.keys.sorted() }

    init(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let contactCount = Int.random(in: 1...3, using: &rng)
        let contacts = (1...contactCount).map { "c-\($0)" }
        // A few shared instants, so that several events often happen at the same second.
        let base = Day.at(2024, 6, 1)
        let shared = (0..<4).map { _ in Self.instant(&rng, from: base) }
        var events: [String: [Event]] = [:]
        var all: [(String, Event)] = []
        for (n, contact) in contacts.enumerated() {
            var list: [Event] = []
            for k in 0..<Int.random(in: 0...30, using: &rng) {
                let at = Int.random(in: 0..<3, using: &rng) == 0 ? shared.randomElement(using: &rng)! : Self.instant(&rng, from: base)
                let id: String? = Int.random(in: 0..<6, using: &rng) == 0 ? nil : "e-\(n)-\(k)"
                let event = Event(id: id, at: at, Self.kind(&rng, at: at))
                list.append(event)
                all.append((contact, event))
            }
            events[contact] = list
        }
        all.shuffle(using: &rng)
        // Cut into 1 to 5 batches; later batches re-send some earlier events (with ids) as duplicates.
        let cuts = Int.random(in: 0...min(4, all.count), using: &rng)
        var boundaries = (0..<cuts).map { _ in Int.random(in: 0...all.count, using: &rng) }.sorted()
        boundaries = [0] + boundaries + [all.count]
        var batches: [[(contactID: String, event: Event)]] = []
        var sent: [(String, Event)] = []
        for i in 0..<(boundaries.count - 1) {
            var batch = all[boundaries[i]..<boundaries[i + 1]].map { (contactID: $0.0, event: $0.1) }
            for old in sent where old.1.id != nil && Int.random(in: 0..<4, using: &rng) == 0 {
                batch.insert((contactID: old.0, event: old.1), at: Int.random(in: 0...batch.count, using: &rng))
            }
            sent += batch.map { ($0.contactID, $0.event) }
            batches.append(batch)
        }
        self.events = events
        self.batches = batches
    }

    /// An instant within about three years after `base`.
    static func instant(_ rng: inout SeededGenerator, from base: Timestamp) -> Timestamp {
        base.adding(seconds: Int64.random(in: 0...(3 * 365 * 86_400), using: &rng))
    }

    static func someProducts(_ rng: inout SeededGenerator) -> [String] {
        Org.products.filter { _ in Bool.random(using: &rng) }
    }

    static func someChannels(_ rng: inout SeededGenerator) -> ChannelSet {
        var set = ChannelSet(Channel.allCases.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 })
        if set.isEmpty { set = [Channel.allCases.randomElement(using: &rng)!] }
        return set
    }

    static func entity(_ rng: inout SeededGenerator) -> String { Org.entities.randomElement(using: &rng)! }

    static func kind(_ rng: inout SeededGenerator, at: Timestamp) -> Event.Kind {
        switch Int.random(in: 0..<9, using: &rng) {
        case 0:
            return .detailsCollected(DetailsCollected(
                by: entity(&rng), from: DetailsCollected.Source.allCases.randomElement(using: &rng)!,
                context: DetailsCollected.Context.allCases.randomElement(using: &rng)!,
                products: someProducts(&rng), channels: someChannels(&rng),
                refusalOffered: Bool.random(using: &rng), refused: Int.random(in: 0..<5, using: &rng) == 0))
        case 1, 2:
            var to = Org.entities.filter { _ in Bool.random(using: &rng) }
            if to.isEmpty { to = [entity(&rng)] }
            return .consentGiven(ConsentGiven(
                to: to, channels: someChannels(&rng),
                purposes: Set(Purpose.allCases.filter { _ in Bool.random(using: &rng) }),
                products: Bool.random(using: &rng) ? nil : someProducts(&rng),
                method: ConsentGiven.Method.allCases.randomElement(using: &rng)!,
                noticeVersion: Bool.random(using: &rng) ? "v1" : nil,
                source: Bool.random(using: &rng) ? "web form \(Int.random(in: 1...3, using: &rng))" : nil,
                collectedBy: Int.random(in: 0..<4, using: &rng) == 0 ? entity(&rng) : nil,
                expiresAt: Int.random(in: 0..<4, using: &rng) == 0 ? at.adding(days: Int.random(in: 1...900, using: &rng)) : nil))
        case 3, 4:
            return .optOut(OptOut(
                channels: Bool.random(using: &rng) ? nil : someChannels(&rng),
                products: Int.random(in: 0..<3, using: &rng) == 0 ? someProducts(&rng) : nil,
                entity: Bool.random(using: &rng) ? nil : entity(&rng),
                via: OptOut.Route.allCases.randomElement(using: &rng)!,
                until: Int.random(in: 0..<4, using: &rng) == 0 ? at.adding(days: Int.random(in: 1...90, using: &rng)) : nil))
        case 5:
            let register = PreferenceRegister.allCases.randomElement(using: &rng)!
            return Bool.random(using: &rng) ? .registerListed(register) : .registerRemoved(register)
        case 6:
            return .marketingSent(MarketingSent(
                by: entity(&rng), channel: Channel.allCases.randomElement(using: &rng)!, products: someProducts(&rng)))
        case 7:
            return .frequencySet(FrequencyPreference(
                entity: Bool.random(using: &rng) ? nil : entity(&rng), channels: Bool.random(using: &rng) ? nil : someChannels(&rng),
                maxPer30Days: Int.random(in: 0..<4, using: &rng) == 0 ? nil : Int.random(in: 1...8, using: &rng)))
        default:
            return .gpcSignal(Bool.random(using: &rng))
        }
    }

    /// Appends the stream's contacts, then its batches, each write at a later ledger time.
    /// `ledgerFor(i)` picks the ledger instance to write batch `i` with (a reopened one exercises
    /// the stored state).
    func record(into ledgerFor: (Int) throws -> Ledger) throws {
        let start = Day.at(2026, 1, 1)
        try ledgerFor(0).append(Org.records() + contactIDs.map { .contact(ContactProfile(id: $0, jurisdiction: JurisdictionCode("GB"))) }, recordedAt: start)
        for (i, batch) in batches.enumerated() {
            try ledgerFor(i).append(batch.map { .event(contactID: $0.contactID, $0.event, nil) }, recordedAt: start.adding(seconds: Int64(i + 1)))
        }
    }
}
