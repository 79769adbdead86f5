import OptGateCore
import OptGateLedger
import Testing

/// The preference centre's view and the events a choice records (issue: opt-out loop). What the
/// page shows as "on" is what the engine would allow; only changes are recorded; every change is
/// the person's own act (`via: preference_centre`, consent by `settings_toggle`).
@Suite("Preference centre")
struct PreferenceCentreTests {
    let now = try! Timestamp(rfc3339: "2026-12-01T10:00:00Z")

    var organisation: OrganisationHistory {
        var history = OrganisationHistory()
        let from = Timestamp(secondsSinceEpoch: 0)
        history.add(.entity(Entity(id: "acme", kind: .company, name: "Acme Outdoor"), validFrom: from), seq: 1)
        history.add(.product(Product(id: "boots", name: "Boots", category: "Footwear"), validFrom: from, retired: false), seq: 2)
        history.add(.product(Product(id: "socks", similarTo: ["boots"], category: "Footwear"), validFrom: from, retired: false), seq: 3)
        history.add(.product(Product(id: "tents", name: "Tents"), validFrom: from, retired: false), seq: 4)
        return history
    }

    func timeline(_ events: [Event]) throws -> ContactTimeline {
        let profile = ContactProfile(id: "c-1", jurisdiction: JurisdictionCode("GB"), subscriber: .individual,
                                     identifiers: [try Identifier.email("ann@example.com"), try Identifier.phone("+447700900123")])
        return ContactTimeline(contactID: "c-1", profiles: [(Timestamp(secondsSinceEpoch: 0), profile)], events: events)
    }

    var sale: Event {
        Event(at: now.adding(days: -30), .detailsCollected(DetailsCollected(
            by: "acme", from: .recipient, context: .sale, products: ["boots"], channels: [.email, .sms], refusalOffered: true)))
    }

    let token = LinkToken(contactID: "c-1", entity: "acme", channel: .email, issuedDay: 20_000)

    func centre(_ events: [Event]) throws -> PreferenceCentre {
        PreferenceCentre(timeline: try timeline(events), organisation: organisation, token: token, at: now, engine: DecisionEngine())
    }

    @Test("PECR reg 22(3): a customer's soft opt-in shows email and texts on; categories group products")
    func view() throws {
        let c = try centre([sale])
        #expect(c.entity.displayName == "Acme Outdoor")
        #expect(c.channels == [.init(channel: .email, subscribed: true), .init(channel: .sms, subscribed: true)])
        #expect(c.categories.map(\.key) == ["Footwear", "tents"])
        #expect(c.categories.map(\.label) == ["Footwear", "Tents"])
        #expect(c.categories[0].productIDs == ["boots", "socks"])
        #expect(c.categories.allSatisfy { $0.subscribed })
        #expect(c.pausedUntil == nil && c.maxPer30Days == nil && !c.optedOutOfEverything)
    }

    @Test("Without any basis the channels show off: the page never claims a permission the law withholds")
    func noBasis() throws {
        let c = try centre([])
        #expect(c.channels.allSatisfy { !$0.subscribed })
    }

    @Test("Submitting unchanged choices records nothing")
    func unchanged() throws {
        let c = try centre([sale])
        let same = PreferenceSubmission(channels: [.email, .sms], categories: ["Footwear", "tents"])
        #expect(same.events(from: c, at: now).isEmpty)
    }

    @Test("Art 21: opting down records one scoped opt-out per change, and the engine then denies exactly that")
    func optDown() throws {
        let c = try centre([sale])
        let choice = PreferenceSubmission(channels: [.email], categories: ["tents"], maxPer30Days: 1)
        let events = choice.events(from: c, at: now)
        #expect(events.count == 3)
        guard case .optOut(let texts) = events[0].kind, case .optOut(let footwear) = events[1].kind,
              case .frequencySet(let limit) = events[2].kind
        else { Issue.record("unexpected events \(events)"); return }
        #expect(texts == OptOut(channels: [.sms], entity: "acme", via: .preferenceCentre))
        #expect(footwear == OptOut(products: ["boots", "socks"], entity: "acme", via: .preferenceCentre))
        #expect(limit == FrequencyPreference(entity: "acme", maxPer30Days: 1))
        let after = try timeline([sale] + events)
        let decide = { (channel: Channel, products: [String]) in
            after.decide([Message(from: "acme", channel: channel, products: products)], at: self.now.adding(seconds: 1),
                         organisation: self.organisation, engine: DecisionEngine())[0]
        }
        #expect(!decide(.sms, ["boots"]).allowed)
        #expect(!decide(.email, ["socks"]).allowed)
        #expect(decide(.email, ["boots"]).reasons.contains { $0.code == .optedOut })
        let before = try timeline([sale]).decide(
            [Message(from: "acme", channel: .email, products: ["boots"])], at: now, organisation: organisation, engine: DecisionEngine())
        #expect(before[0].allowed)
        let view = PreferenceCentre(timeline: after, organisation: organisation, token: token, at: now.adding(seconds: 1), engine: DecisionEngine())
        #expect(view.channels.map(\.subscribed) == [true, false])
        #expect(view.categories.map(\.subscribed) == [false, true])
        #expect(view.maxPer30Days == 1)
    }

    @Test("A pause shows its end and the choices it suspends, and lapses by itself")
    func pause() throws {
        let c = try centre([sale])
        let events = PreferenceSubmission(channels: [.email, .sms], categories: ["Footwear", "tents"], pauseDays: 30).events(from: c, at: now)
        #expect(events.count == 1)
        let after = try timeline([sale] + events)
        let view = PreferenceCentre(timeline: after, organisation: organisation, token: token, at: now.adding(days: 1), engine: DecisionEngine())
        #expect(view.pausedUntil == now.adding(days: 30))
        #expect(view.channels.allSatisfy { $0.subscribed })
        let message = [Message(from: "acme", channel: .email, products: ["boots"])]
        #expect(!after.decide(message, at: now.adding(days: 29), organisation: organisation, engine: DecisionEngine())[0].allowed)
        #expect(after.decide(message, at: now.adding(days: 31), organisation: organisation, engine: DecisionEngine())[0].allowed)
    }

    @Test("Unsubscribe from everything: one opt-out with no scope; turning a channel back on is a fresh consent that lifts it for that channel")
    func everythingThenBack() throws {
        let c = try centre([sale])
        let out = PreferenceSubmission(channels: [], categories: [], everything: true).events(from: c, at: now)
        #expect(out.count == 1)
        guard case .optOut(let all) = out[0].kind else { Issue.record("not an opt-out"); return }
        #expect(all == OptOut(via: .preferenceCentre))
        let later = now.adding(days: 2)
        let view = PreferenceCentre(timeline: try timeline([sale] + out), organisation: organisation, token: token, at: later, engine: DecisionEngine())
        #expect(view.optedOutOfEverything)
        #expect(view.channels.allSatisfy { !$0.subscribed })
        let back = PreferenceSubmission(channels: [.email], categories: ["Footwear", "tents"]).events(from: view, at: later)
        guard case .consentGiven(let consent) = back.first?.kind else { Issue.record("no consent: \(back)"); return }
        #expect(consent.method == .settingsToggle && consent.channels == [.email] && consent.to == ["acme"])
        let after = try timeline([sale] + out + back)
        let decisions = after.decide(
            [Message(from: "acme", channel: .email), Message(from: "acme", channel: .sms)], at: later.adding(seconds: 1),
            organisation: organisation, engine: DecisionEngine())
        #expect(decisions[0].allowed)
        #expect(!decisions[1].allowed)
    }
}
