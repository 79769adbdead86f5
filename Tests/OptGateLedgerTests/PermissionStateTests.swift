import Foundation
import Fuzzing
import OptGateCore
@testable import OptGateLedger
import PropertyBased
import Testing

/// The permission state the ledger keeps up to date as events arrive equals the state replayed
/// from the contact's whole history, whatever order and batches the events arrived in.
@Suite("Permission state: incremental equals replay")
struct PermissionStateTests {
    static let seeds = Gen.uint64(in: 0...UInt64.max)

    @Test("random streams, in random order and batches with re-sent duplicates, leave the stored state equal to a replay")
    func incrementalEqualsReplay() async throws {
        await propertyCheck(count: 60, input: Self.seeds) { seed in
            let stream = RandomEventStream(seed: seed)
            let scratch = try ScratchLedger()
            // Every other write through a freshly opened store, so that the state also survives a
            // round trip through the database.
            try stream.record { i in i % 2 == 0 ? scratch.ledger : try scratch.reopened() }
            for contactID in stream.contactIDs {
                let events = stream.events[contactID] ?? []
                let stored = try scratch.state(contactID)
                let replayed = PermissionState(replaying: events)
                if events.isEmpty {
                    #expect(stored == nil || stored == replayed, "seed \(seed), \(contactID)")
                } else {
                    #expect(stored == replayed, "seed \(seed), \(contactID): stored \(String(describing: stored)) replayed \(replayed)")
                }
                #expect((stored?.eventCount ?? 0) == events.count, "seed \(seed), \(contactID): duplicates counted once")
            }
        }
    }

    @Test("a session that touches more contacts than it keeps in memory saves their states on the way, still equal to a replay")
    func boundedSessionMemory() async throws {
        await propertyCheck(count: 20, input: Self.seeds) { seed in
            var rng = SeededGenerator(seed: seed)
            let scratch = try ScratchLedger()
            let contacts = (0..<9).map { "c-\($0)" }
            try scratch.ledger.append(Org.records() + contacts.map { .contact(ContactProfile(id: $0, jurisdiction: JurisdictionCode("GB"))) }, recordedAt: Day.recorded)
            // Some events already stored for some contacts, so that a state read back is folded on.
            var events: [String: [Event]] = [:]
            var first: [LedgerRecord] = []
            for (n, contact) in contacts.enumerated() where n % 2 == 0 {
                let event = Event(id: "pre-\(n)", at: Day.at(2025, 1, 1), RandomEventStream.kind(&rng, at: Day.at(2025, 1, 1)))
                events[contact, default: []].append(event)
                first.append(.event(contactID: contact, event, nil))
            }
            try scratch.ledger.append(first, recordedAt: Day.recorded)
            // One session, 3 contacts in memory at most, events for 9 contacts interleaved.
            try scratch.ledger.withSession(recordedAt: Day.recorded) { session in
                session.contactsInMemory = 3
                for k in 0..<60 {
                    let contact = contacts.randomElement(using: &rng)!
                    let at = RandomEventStream.instant(&rng, from: Day.at(2025, 1, 1))
                    let event = Event(id: "e-\(k)", at: at, RandomEventStream.kind(&rng, at: at))
                    events[contact, default: []].append(event)
                    _ = try session.append(.event(contactID: contact, event, nil))
                }
                // A contact the ledger does not hold is still refused once the known ones were forgotten.
                #expect(throws: LedgerError.self) {
                    try session.append(.event(contactID: "c-unknown", Event(id: "x", at: Day.at(2025, 1, 1), .gpcSignal(true)), nil))
                }
            }
            for contact in contacts {
                let list = events[contact] ?? []
                #expect(try scratch.state(contact) == (list.isEmpty ? nil : PermissionState(replaying: list)), "seed \(seed), \(contact)")
            }
        }
    }

    @Test("the state does not depend on the order events are applied in")
    func orderIndependent() async {
        await propertyCheck(count: 200, input: Self.seeds) { seed in
            let stream = RandomEventStream(seed: seed)
            var rng = SeededGenerator(seed: seed ^ 0x5EED)
            for events in stream.events.values {
                var folded = PermissionState()
                for event in events.shuffled(using: &rng) { folded.apply(event) }
                #expect(folded == PermissionState(replaying: events), "seed \(seed)")
                #expect(folded == PermissionState(replaying: events.reversed()), "seed \(seed)")
            }
        }
    }

    // MARK: Worked examples

    static let t = Day.at(2025, 6, 1)

    @Test("the latest consent per sender and channel wins, whatever the arrival order")
    func latestConsentWins() throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + [.contact(ContactProfile(id: "c-1", jurisdiction: JurisdictionCode("GB")))], recordedAt: Day.recorded)
        let later = Event(id: "later", at: Self.t.adding(days: 10), .consentGiven(ConsentGiven(to: [Org.acme], channels: [.email], method: .preTickedBox)))
        let earlier = Event(id: "earlier", at: Self.t, .consentGiven(ConsentGiven(to: [Org.acme, Org.travel], channels: [.email, .sms], method: .doubleOptIn)))
        try scratch.ledger.append([.event(contactID: "c-1", later, nil)], recordedAt: Day.recorded)
        try scratch.ledger.append([.event(contactID: "c-1", earlier, nil)], recordedAt: Day.recorded.adding(days: 1))
        let state = try #require(try scratch.state("c-1"))
        #expect(state.consents["acme/email"]?.value == "pre_ticked_box")
        #expect(state.consents["acme/email"]?.at == Self.t.adding(days: 10))
        #expect(state.consents["acme/sms"]?.value == "double_opt_in")
        #expect(state.consents["acme-travel/email"]?.value == "double_opt_in")
        #expect(state.eventCount == 2)
        #expect(state.firstEventAt == Self.t)
        #expect(state.lastEventAt == Self.t.adding(days: 10))
    }

    @Test("a register listing and removal at the same second keep the cautious reading, listed")
    func registerTie() throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + [.contact(ContactProfile(id: "c-1", jurisdiction: JurisdictionCode("GB")))], recordedAt: Day.recorded)
        try scratch.ledger.append([.event(contactID: "c-1", Event(id: "on", at: Self.t, .registerListed(.tps)), nil)], recordedAt: Day.recorded)
        try scratch.ledger.append([.event(contactID: "c-1", Event(id: "off", at: Self.t, .registerRemoved(.tps)), nil)], recordedAt: Day.recorded)
        #expect(try scratch.state("c-1")?.registers["tps"]?.value == "listed")
    }

    @Test("opt-outs are kept per scope; sales and marketing sent are tallied")
    func scopesAndTallies() throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + [.contact(ContactProfile(id: "c-1", jurisdiction: JurisdictionCode("GB")))], recordedAt: Day.recorded)
        try scratch.ledger.append([
            .event(contactID: "c-1", Event(id: "o1", at: Self.t, .optOut(OptOut(via: .oneClick))), nil),
            .event(contactID: "c-1", Event(id: "o2", at: Self.t, .optOut(OptOut(channels: [.sms, .email], products: ["laptops", "accessories"], entity: Org.acme, via: .smsStop))), nil),
            .event(contactID: "c-1", Event(id: "s1", at: Self.t, .detailsCollected(DetailsCollected(by: Org.acme, context: .sale, channels: [.email], refusalOffered: true))), nil),
            .event(contactID: "c-1", Event(id: "s2", at: Self.t.adding(days: 3), .detailsCollected(DetailsCollected(by: Org.acme, context: .sale, channels: [.email], refusalOffered: true))), nil),
            .event(contactID: "c-1", Event(id: "s3", at: Self.t.adding(days: 5), .detailsCollected(DetailsCollected(by: Org.travel, from: .groupCompany, context: .sale, channels: [.email], refusalOffered: true))), nil),
            .event(contactID: "c-1", Event(id: "m1", at: Self.t.adding(days: 4), .marketingSent(MarketingSent(by: Org.acme, channel: .email))), nil),
            .event(contactID: "c-1", Event(id: "m2", at: Self.t.adding(days: 2), .marketingSent(MarketingSent(by: Org.acme, channel: .sms))), nil),
        ], recordedAt: Day.recorded)
        let state = try #require(try scratch.state("c-1"))
        #expect(state.optOutScopes == ["*/*/*", "email,sms/accessories,laptops/acme"])
        #expect(state.optOuts["*/*/*"]?.value == "one_click")
        #expect(state.lastSale == [Org.acme: Self.t.adding(days: 3)], "a group company's copy is not a sale by it")
        #expect(state.marketingSent == 2)
        #expect(state.lastMarketingAt == Self.t.adding(days: 4))
    }
}
