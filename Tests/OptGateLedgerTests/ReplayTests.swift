import Foundation
import OptGateCore
import OptGateLedger
import Testing

/// A decision replayed at a past moment uses the organisation (similarity assessments, policy,
/// catalogue) and the contact's profile as they stood at that moment, and only the events until then.
@Suite("Point-in-time replay")
struct ReplayTests {
    static let sale = Day.at(2025, 1, 10)
    /// The day `bags` is assessed similar to `laptops`.
    static let similarFrom = Day.at(2025, 4, 1)

    /// acme sold Ann (GB, individual) a laptop on `sale`, offering a refusal; `bags` is in the
    /// catalogue from the start, but only assessed similar to laptops from `similarFrom`.
    static func ledger(_ more: [LedgerRecord] = []) throws -> ScratchLedger {
        let scratch = try ScratchLedger()
        try scratch.ledger.append([
            .entity(Entity(id: Org.acme, kind: .company), validFrom: Day.origin),
            .product(Product(id: "laptops"), validFrom: Day.origin, retired: false),
            .product(Product(id: "bags"), validFrom: Day.origin, retired: false),
            .policy(Policy(), validFrom: Day.origin),
            .contact(ContactProfile(id: "c-1", jurisdiction: JurisdictionCode("GB"), subscriber: .individual)),
            .event(contactID: "c-1", Event(id: "ord-1", at: sale, .detailsCollected(DetailsCollected(
                by: Org.acme, context: .sale, products: ["laptops"], channels: [.email], refusalOffered: true))), nil),
        ], recordedAt: Day.at(2025, 1, 10, 12))
        // Assessed later: recorded after the sale, in effect from `similarFrom`.
        try scratch.ledger.append(
            [.product(Product(id: "bags", similarTo: ["laptops"], reasoning: "carried with laptops"), validFrom: similarFrom, retired: false)] + more,
            recordedAt: Day.at(2025, 3, 20))
        return scratch
    }

    /// c-1's history, read from a ledger that is removed afterwards (the history is all in memory).
    static func history(_ more: [LedgerRecord] = []) throws -> ContactHistory {
        let scratch = try ledger(more)
        return try withExtendedLifetime(scratch) { try scratch.ledger.history(contactID: "c-1") }
    }

    static func organisation() throws -> OrganisationHistory {
        let scratch = try ledger()
        return try withExtendedLifetime(scratch) { try scratch.ledger.organisationHistory() }
    }

    static let bagsByEmail = Message(from: Org.acme, channel: .email, products: ["bags"])

    @Test("a similarity assessed after the sale counts only from the date it takes effect")
    func similarityVersioned() throws {
        let history = try Self.history()
        let before = history.decide(Self.bagsByEmail, at: Self.similarFrom.adding(seconds: -1))
        #expect(!before.allowed)
        #expect(before.reasonCodes.contains(.softOptInDissimilarProduct), "\(before.reasonCodes)")
        let after = history.decide(Self.bagsByEmail, at: Self.similarFrom)
        #expect(after.allowed, "\(after.reasonCodes)")
        #expect(after.basis == .softOptIn)
        #expect(after.reasons.first { $0.code == .softOptInSale }?.evidence.matchedProduct == "laptops")
        // The laptops themselves were always the same product.
        #expect(history.decide(.acmeLaptopsByEmail, at: Self.similarFrom.adding(days: -30)).allowed)
    }

    @Test("the organisation of a moment holds each record's version in effect then")
    func organisationAtMoments() throws {
        let organisation = try Self.organisation()
        #expect(organisation.organisation(at: Self.similarFrom.adding(seconds: -1)).catalogue.isSameOrSimilar("bags", "laptops") == false)
        #expect(organisation.organisation(at: Self.similarFrom).catalogue.isSameOrSimilar("bags", "laptops"))
        #expect(organisation.organisation(at: Day.origin.adding(seconds: -1)).catalogue.contains("laptops") == false, "nothing before it took effect")
        #expect(organisation.productIDs == ["laptops", "bags"])
    }

    @Test("a product retired from a date is out of the catalogue from then on")
    func retiredProduct() throws {
        let retired = Day.at(2025, 9, 1)
        let history = try Self.history([.product(Product(id: "bags", similarTo: ["laptops"]), validFrom: retired, retired: true)])
        #expect(history.decide(Self.bagsByEmail, at: retired.adding(days: -1)).allowed)
        let after = history.decide(Self.bagsByEmail, at: retired)
        #expect(!after.allowed)
        #expect(after.reasonCodes.contains(.softOptInDissimilarProduct), "\(after.reasonCodes)")
    }

    @Test("a policy change is honoured at each moment: the soft opt-in's length follows the policy of the day")
    func policyVersioned() throws {
        var short = Policy()
        short.ukSoftOptInMonths = 6
        let changed = Day.at(2025, 6, 1)
        let history = try Self.history([.policy(short, validFrom: changed)])

        let underOld = history.decide(.acmeLaptopsByEmail, at: Day.at(2025, 5, 1))
        #expect(underOld.allowed)
        #expect(underOld.validUntil == Self.sale.adding(months: 24))

        let underNew = history.decide(.acmeLaptopsByEmail, at: Day.at(2025, 6, 15))
        #expect(underNew.allowed)
        #expect(underNew.validUntil == Self.sale.adding(months: 6))

        let lapsed = history.decide(.acmeLaptopsByEmail, at: Day.at(2025, 8, 1))
        #expect(!lapsed.allowed)
        #expect(lapsed.reasonCodes.contains(.softOptInExpired), "\(lapsed.reasonCodes)")

        // The same moment under the old policy would still have allowed it.
        let unchanged = try Self.history()
        #expect(unchanged.decide(.acmeLaptopsByEmail, at: Day.at(2025, 8, 1)).allowed)
    }

    @Test("a frequency cap set from a date applies from that date")
    func frequencyCapVersioned() throws {
        var capped = Policy()
        capped.maxMarketingPer30Days = 1
        let from = Day.at(2025, 7, 1)
        let history = try Self.history([
            .policy(capped, validFrom: from),
            .event(contactID: "c-1", Event(id: "m-1", at: Day.at(2025, 6, 25), .marketingSent(MarketingSent(by: Org.acme, channel: .email, products: ["laptops"]))), nil),
        ])
        #expect(history.decide(.acmeLaptopsByEmail, at: Day.at(2025, 6, 30)).allowed)
        let capReached = history.decide(.acmeLaptopsByEmail, at: from.adding(days: 1))
        #expect(!capReached.allowed)
        #expect(capReached.reasonCodes.contains(.frequencyCapReached))
    }

    @Test("events after the moment change nothing; from their time on they count")
    func laterEvents() throws {
        let optOut = Day.at(2025, 5, 5, 10)
        let history = try Self.history([
            .event(contactID: "c-1", Event(id: "unsub", at: optOut, .optOut(OptOut(channels: [.email], via: .oneClick))), nil),
        ])
        #expect(history.decide(.acmeLaptopsByEmail, at: optOut.adding(seconds: -1)).allowed)
        let after = history.decide(.acmeLaptopsByEmail, at: optOut)
        #expect(!after.allowed)
        #expect(after.reasonCodes.contains(.optedOut))
    }

    // MARK: The contact's profile over time

    /// c-1 recorded as a GB individual on 10 January, then recorded as a corporate subscriber on 1 May.
    static func profileChangeHistory() throws -> ContactHistory {
        let scratch = try ledger()
        return try withExtendedLifetime(scratch) {
            try scratch.ledger.append(
                [.contact(ContactProfile(id: "c-1", jurisdiction: JurisdictionCode("GB"), subscriber: .corporate))],
                recordedAt: Day.at(2025, 5, 1))
            return try scratch.ledger.history(contactID: "c-1")
        }
    }

    @Test("profile(at:) is the profile recorded at or before the moment (the first before any)")
    func profileAtMoments() throws {
        let history = try Self.profileChangeHistory()
        #expect(history.profile(at: Day.at(2025, 1, 1))?.subscriber == .individual, "before any: the first")
        #expect(history.profile(at: Day.at(2025, 1, 10, 12))?.subscriber == .individual, "recorded at that very second")
        #expect(history.profile(at: Day.at(2025, 4, 30))?.subscriber == .individual)
        #expect(history.profile(at: Day.at(2025, 5, 1).adding(seconds: -1))?.subscriber == .individual)
        #expect(history.profile(at: Day.at(2025, 5, 1))?.subscriber == .corporate)
        #expect(history.profile(at: Day.at(2030, 1, 1))?.subscriber == .corporate)
        #expect(history.profile(at: Day.at(2030, 1, 1))?.id == "c-1")
    }

    @Test("a decision replayed at a moment uses the profile of that moment")
    func decisionUsesProfileOfTheMoment() throws {
        let history = try Self.profileChangeHistory()
        // No sale with the travel company: only a corporate subscriber may be emailed without consent.
        let message = Message(from: Org.acme, channel: .email, products: ["holidays"])
        let asIndividual = history.decide(message, at: Day.at(2025, 4, 30))
        #expect(!asIndividual.allowed)
        let asCorporate = history.decide(message, at: Day.at(2025, 5, 2))
        #expect(asCorporate.allowed, "\(asCorporate.reasonCodes)")
        #expect(asCorporate.basis == .noConsentNeeded)
    }

    @Test("a replay reads the same from a reopened ledger")
    func durable() throws {
        let scratch = try Self.ledger()
        let moments = [Self.similarFrom.adding(days: -1), Self.similarFrom, Day.at(2027, 2, 1)]
        let first = try scratch.ledger.history(contactID: "c-1")
        let second = try scratch.reopened().history(contactID: "c-1")
        for moment in moments {
            #expect(first.decide(Self.bagsByEmail, at: moment) == second.decide(Self.bagsByEmail, at: moment))
        }
    }
}
