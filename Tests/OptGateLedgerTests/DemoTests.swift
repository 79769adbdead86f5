import Foundation
import OptGateCore
import OptGateLedger
import Testing

/// The demo generator: deterministic by seed, realistic in its mix, every record accepted by the
/// ledger, and decisions over it that exercise every basis and the common refusals.
@Suite("demo")
struct DemoTests {
    static let now = DemoContacts.defaultNow
    static let recordedAt = Timestamp(year: 2026, month: 12, day: 1, hour: 9)!

    /// The organisation's history as the ledger would hold it.
    static func organisationHistory(_ organisation: DemoOrganisation) -> OrganisationHistory {
        var history = OrganisationHistory()
        for (seq, record) in organisation.records.enumerated() { history.add(record, seq: Int64(seq + 1)) }
        return history
    }

    @Test("the same seed generates the same records; another seed different ones")
    func determinism() {
        let a = DemoContacts(count: 300, seed: 42)
        let b = DemoContacts(count: 300, seed: 42)
        let c = DemoContacts(count: 300, seed: 43)
        var differing = 0
        for i in 0..<300 {
            let records = a.contact(i).records
            #expect(records == b.contact(i).records, "contact \(i)")
            #expect(records.map { RecordCodec.encode($0) } == b.contact(i).records.map { RecordCodec.encode($0) })
            if records != c.contact(i).records { differing += 1 }
        }
        #expect(differing > 250, "seed 43 differs from seed 42 in only \(differing) of 300 contacts")
        #expect(a.organisation.records == DemoOrganisation(now: Self.now).records)
    }

    @Test("a contact is the same whether generated alone or among others, and out of order")
    func independence() {
        let many = DemoContacts(count: 1_000, seed: 5)
        let few = DemoContacts(count: 10, seed: 5)
        for i in [9, 0, 3] { #expect(many.contact(i).records == few.contact(i).records) }
    }

    @Test("every jurisdiction, subscriber type, event type and opt-out route appears; GB is about 40 %")
    func mix() {
        let contacts = DemoContacts(count: 2_000, seed: 1)
        var jurisdictions: [String: Int] = [:]
        var subscribers: Set<SubscriberType> = []
        var types: Set<String> = []
        var routes: Set<OptOut.Route> = []
        var methods: Set<ConsentGiven.Method> = []
        var registers: Set<PreferenceRegister> = []
        var pauses = 0, erased = 0, phones = 0
        for i in 0..<contacts.count {
            let contact = contacts.contact(i)
            jurisdictions[contact.profile.jurisdiction!.description, default: 0] += 1
            subscribers.insert(contact.profile.subscriber)
            if contact.erased { erased += 1 }
            if contact.profile.identifiers.contains(where: { $0.kind == .phone }) { phones += 1 }
            for (event, _) in contact.events {
                types.insert(event.typeName)
                switch event.kind {
                case .optOut(let o):
                    routes.insert(o.via)
                    if o.until != nil { pauses += 1 }
                case .consentGiven(let c): methods.insert(c.method)
                case .registerListed(let r): registers.insert(r)
                default: break
                }
            }
        }
        #expect(Set(jurisdictions.keys) == ["GB", "IE", "DE", "US", "US-CA", "CA"])
        #expect((700...900).contains(jurisdictions["GB"]!), "GB: \(jurisdictions["GB"]!) of 2000")
        #expect(subscribers == [.individual, .soleTrader, .corporate])
        #expect(types == ["details_collected", "consent_given", "opt_out", "register_listed", "register_removed", "marketing_sent",
                          "gpc_signal", "frequency_set"])
        #expect(routes.isSuperset(of: [.oneClick, .smsStop, .preferenceCentre, .link, .phone, .complaint, .consentWithdrawn]))
        #expect(methods.isSuperset(of: [.uncheckedBox, .doubleOptIn, .preTickedBox, .verbalRecorded, .signedForm, .replyKeyword,
                                        .settingsToggle, .bundledWithTerms]))
        #expect(registers.isSuperset(of: [.tps, .ctps, .usDNC, .ndd]))
        #expect(pauses > 10)
        #expect((3...25).contains(erased), "erased: \(erased)")
        #expect((1_000...1_400).contains(phones), "phones: \(phones)")
    }

    @Test("events are in time order, in the two years before now, with unique stable ids")
    func timeOrder() {
        let contacts = DemoContacts(count: 1_000, seed: 9)
        let earliest = Self.now.adding(days: -730)
        var ids: Set<String> = []
        var total = 0
        for i in 0..<contacts.count {
            let contact = contacts.contact(i)
            #expect(contact.profile.id == "d-" + String(repeating: "0", count: 7 - String(i).count) + String(i))
            let times = contact.events.map(\.event.at)
            #expect(times == times.sorted(), "contact \(contact.profile.id)")
            #expect(times.allSatisfy { $0 >= earliest && $0 < Self.now }, "contact \(contact.profile.id)")
            #expect(!contact.events.isEmpty, "contact \(contact.profile.id) has no events")
            for (n, (event, _)) in contact.events.enumerated() {
                #expect(event.id == contact.profile.id + "-" + (n < 9 ? "0" : "") + String(n + 1))
                ids.insert(event.id!)
                total += 1
            }
        }
        #expect(ids.count == total)
    }

    @Test("identifiers: reserved .test email domain, E.164 mobiles of the contact's country, none shared")
    func identifiers() throws {
        let contacts = DemoContacts(count: 30_000, seed: 3)
        var seen: Set<Identifier> = []
        let prefixes = ["GB": "+447", "IE": "+3538", "DE": "+4915", "US": "+1", "CA": "+1"]
        for i in 0..<contacts.count {
            let profile = contacts.profile(i)
            for identifier in profile.identifiers {
                #expect(seen.insert(identifier).inserted, "\(identifier) is shared")
                switch identifier.kind {
                case .email: #expect(identifier.value.hasSuffix("example.test") && identifier.value.contains(String(i) + "@"))
                case .phone:
                    let country = profile.jurisdiction!.country
                    #expect(identifier.value.hasPrefix(prefixes[country]!), "\(identifier.value) for \(country)")
                    #expect(try Identifier.phone(identifier.value) == identifier)
                    if country == "US" || country == "CA" {
                        // NXX: 2-9 first, never an N11 service code.
                        let exchange = Array(identifier.value.dropFirst(5).prefix(3))
                        #expect(exchange[0] >= "2" && !(exchange[1] == "1" && exchange[2] == "1"), "\(identifier.value)")
                    }
                }
            }
        }
    }

    @Test("every generated record passes the ledger's checks (references, round trip), and the chain verifies")
    func ledgerAcceptsEverything() throws {
        let scratch = try ScratchLedger()
        let contacts = DemoContacts(count: 400, seed: 11)
        try scratch.ledger.append(contacts.organisation.records, recordedAt: Self.recordedAt)
        for i in 0..<contacts.count {
            let outcomes = try scratch.ledger.append(contacts.contact(i).records, recordedAt: Self.recordedAt)
            #expect(outcomes.allSatisfy { if case .appended = $0 { true } else { false } }, "contact \(i)")
        }
        #expect(try scratch.contactCount == 400)
        #expect(try scratch.ledger.verify().isValid)
    }

    @Test("writeDemo writes the organisation, the contacts in batches and the erasures; the same seed writes the same bodies")
    func writeDemo() throws {
        let contacts = DemoContacts(count: 250, seed: 21)
        let first = try ScratchLedger()
        let summary = try first.ledger.writeDemo(contacts, batchSize: 100, recordedAt: Self.recordedAt)
        let erasedIDs = (0..<250).map { contacts.contact($0) }.filter(\.erased).map(\.profile.id)
        #expect(summary.contacts == 250)
        #expect(summary.erased == erasedIDs.count)
        #expect(summary.organisationRecords == contacts.organisation.records.count)
        #expect(try first.entryCount == summary.entries)
        #expect(summary.entries == Int64(summary.organisationRecords + summary.contacts + summary.events + summary.erased))
        #expect(try first.ledger.verify().isValid)
        for id in erasedIDs { #expect(try first.ledger.history(contactID: id).erased) }

        // Salts of personal data are random by design, so hashes differ; every chained body is the same.
        let second = try ScratchLedger()
        _ = try second.ledger.writeDemo(contacts, batchSize: 100, recordedAt: Self.recordedAt)
        let a = try first.allEntries().map { [$0.entry.kind.rawValue, $0.entry.body, $0.entry.entryID ?? "", $0.entry.occurredAt?.rfc3339 ?? ""] }
        let b = try second.allEntries().map { [$0.entry.kind.rawValue, $0.entry.body, $0.entry.entryID ?? "", $0.entry.occurredAt?.rfc3339 ?? ""] }
        #expect(a == b)
        #expect(try first.allEntries().map(\.personal?.body) == second.allEntries().map(\.personal?.body))

        #expect(throws: DemoLedgerNotEmpty.self) { try first.ledger.writeDemo(contacts, recordedAt: Self.recordedAt) }
    }

    @Test("decisions over the demo contacts ground sends on every basis and refuse them for the common reasons")
    func decisionsCoverage() throws {
        let contacts = DemoContacts(count: 1_500, seed: 1)
        let history = Self.organisationHistory(contacts.organisation)
        let engine = DecisionEngine()
        var bases: [Basis: Int] = [:]
        var codes: [ReasonCode: Int] = [:]
        var allowed = 0, refused = 0
        for i in 0..<contacts.count {
            let contact = contacts.contact(i)
            let timeline = ContactTimeline(
                contactID: contact.profile.id, profiles: [(Self.recordedAt, contact.profile)], events: contact.events.map(\.event))
            func products(_ entity: String, _ fallback: String) -> [String] {
                let latest = timeline.latestProducts(by: entity, at: Self.now)
                return latest.isEmpty ? [fallback] : latest
            }
            let messages = [
                Message(from: DemoOrganisation.retailer, channel: .email, products: products(DemoOrganisation.retailer, "laptops")),
                Message(from: DemoOrganisation.retailer, channel: .sms, products: products(DemoOrganisation.retailer, "phones")),
                Message(from: DemoOrganisation.retailer, channel: .liveCall, products: ["kitchen-appliances"]),
                Message(from: DemoOrganisation.retailer, channel: .onlineAd, products: ["laptops"]),
                Message(from: DemoOrganisation.travel, channel: .email, products: products(DemoOrganisation.travel, "city-breaks")),
                Message(from: DemoOrganisation.partner, channel: .email, products: ["home-insurance"]),
                Message(from: DemoOrganisation.charity, channel: .email, purpose: .fundraising),
            ]
            for decision in timeline.decide(messages, at: Self.now, organisation: history, engine: engine) {
                if decision.allowed { allowed += 1 } else { refused += 1 }
                if let basis = decision.basis { bases[basis, default: 0] += 1 }
                for reason in decision.reasons { codes[reason.code, default: 0] += 1 }
            }
        }
        let expectedBases: Set<Basis> = [.consent, .softOptIn, .charitySoftOptIn, .impliedConsent, .noConsentNeeded]
        #expect(Set(bases.keys).isSuperset(of: expectedBases), "bases: \(bases)")
        let expectedCodes: [ReasonCode] = [
            .consentValid, .softOptInSale, .softOptInNegotiation, .charitySupport, .impliedPurchase, .noConsentCorporateSubscriber,
            .noConsentOptOutModel, .noConsentLiveCall,
            .optedOut, .refusedAtCollection, .registerListed, .gpcOptOut, .consentInvalidMethod, .consentNone,
            .consentNotWritten, .consentExpired, .consentIndirectLapsed, .softOptInNoRefusalOffered, .softOptInNotObtainedDirectly,
            .softOptInOtherEntity, .frequencyCapReached, .frequencyPreferenceReached,
        ]
        let missing = expectedCodes.filter { codes[$0] == nil }
        #expect(missing.isEmpty, "reason codes never given: \(missing.map(\.rawValue))")
        // Neither everything allowed nor everything refused.
        let share = Double(allowed) / Double(allowed + refused)
        #expect(share > 0.15 && share < 0.7, "allowed: \(allowed), refused: \(refused)")
    }

    @Test("the audience: a header, every contact once in a shuffled order, and the unknown share of rows naming no contact")
    func audience() throws {
        let contacts = DemoContacts(count: 1_000, seed: 4)
        let audience = DemoAudience(contacts: contacts, key: .email, unknownShare: 0.05)
        let rows = Array(audience)
        #expect(audience.header == "email")
        #expect(audience.unknownCount == 53)  // 1000 × 0.05 / 0.95, rounded
        #expect(rows.count == 1_053)
        #expect(Set(rows.map(\.value)).count == rows.count)
        let known = rows.compactMap(\.contactIndex)
        #expect(Set(known) == Set(0..<1_000))
        for row in rows.prefix(200) {
            if let index = row.contactIndex {
                #expect(contacts.profile(index).identifiers.contains(try Identifier.email(row.value)))
            } else {
                #expect(row.value.hasPrefix("nobody") && row.value.hasSuffix("@example.test"))
            }
        }
        #expect(known != known.sorted(), "not shuffled")
        // The unknown rows are spread through the file, not bunched at its end.
        let firstUnknown = try #require(rows.firstIndex { $0.contactIndex == nil })
        #expect(firstUnknown < 300)
        #expect(Array(DemoAudience(contacts: contacts, key: .email, unknownShare: 0.05)) == rows)
        #expect(Array(DemoAudience(contacts: DemoContacts(count: 1_000, seed: 5), key: .email, unknownShare: 0.05)) != rows)

        let phones = DemoAudience(contacts: contacts, key: .phone, unknownShare: 0.2)
        let phoneRows = Array(phones)
        let withPhone = (0..<1_000).filter { contacts.profile($0).identifiers.count > 1 }
        #expect(Set(phoneRows.compactMap(\.contactIndex)) == Set(withPhone))
        #expect(phones.unknownCount == Int((Double(withPhone.count) * 0.25).rounded()))
        for row in phoneRows { #expect(try Identifier.phone(row.value).value == row.value) }
        let allPhones = Set((0..<1_000).flatMap { contacts.profile($0).identifiers.filter { $0.kind == .phone }.map(\.value) })
        #expect(phoneRows.filter { $0.contactIndex == nil }.allSatisfy { !allPhones.contains($0.value) })

        let ids = Array(DemoAudience(contacts: contacts, key: .contact, unknownShare: 0))
        #expect(ids.count == 1_000 && ids.allSatisfy { $0.value == contacts.id($0.contactIndex!) })
    }

    @Test("the permutation is a bijection for every size")
    func permutation() {
        for size in [0, 1, 2, 3, 7, 64, 65, 1_000, 4_097] {
            let audience = DemoAudience(contacts: DemoContacts(count: size, seed: 8), key: .contact, unknownShare: 0)
            #expect(Set(audience.compactMap(\.contactIndex)) == Set(0..<size), "size \(size)")
        }
    }
}
