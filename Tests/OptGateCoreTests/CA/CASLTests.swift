import OptGateCore
import Testing

/// Canada's Anti-Spam Legislation: express or implied consent, identification and unsubscribe.
@Suite("CA: CASL")
struct CASLTests {
    @Test("CASL s.10(9)(a), 10(10)(a): a purchase implies consent for two years, with no similarity test")
    func purchaseTwoYears() {
        var f = Fixture("CA")
        f.collected("2024-04-01T12:00:00Z", products: ["laptops"])
        f.message.products = ["holiday-packages"]
        let decision = f.decide()
        expectAllowed(decision, .impliedConsent)
        #expect(decision.validUntil == t("2026-04-01T12:00:00Z"))
        f.now = t("2026-04-01T12:00:00Z")
        expectDenied(f.decide(), naming: .impliedPurchaseExpired)
    }

    @Test("CASL s.10(10)(b) (WX-CA-02): an inquiry implies consent for six months — 5 months yes, 7 months no")
    func inquirySixMonths() {
        var f = Fixture("CA")
        f.collected("2025-10-01T12:00:00Z", context: .productEnquiry)
        expectAllowed(f.decide(), .impliedConsent)
        var g = Fixture("CA")
        g.collected("2025-08-01T12:00:00Z", context: .productEnquiry)
        expectDenied(g.decide(), naming: .impliedInquiryExpired)
    }

    @Test("CASL s.10(9)(b) (CRTC 2016-428 Blackstone): published addresses only for messages relevant to the role")
    func conspicuousPublication() {
        var f = Fixture("CA", subscriber: .corporate)
        f.collected("2025-01-01T12:00:00Z", from: .publicSource, context: .other)
        expectDenied(f.decide(), naming: .impliedPublicationNotRelevant)
        f.message.relevantToRole = true
        expectAllowed(f.decide(), .impliedConsent)
    }

    @Test("CASL s.10(1): express consent is a basis; a pre-checked box is not")
    func expressConsent() {
        var f = Fixture("CA")
        f.consented("2025-01-01T12:00:00Z", method: .preTickedBox)
        expectDenied(f.decide(), naming: .consentInvalidMethod)
        f.consented("2025-02-01T12:00:00Z", method: .doubleOptIn)
        expectAllowed(f.decide(), .consent)
    }

    @Test("CASL s.6(2), s.11: every message identifies the sender and carries an unsubscribe valid 60 days")
    func requirements() {
        var f = Fixture("CA")
        f.collected("2025-10-01T12:00:00Z")
        let decision = f.decide()
        for requirement in [Requirement.identifySender, .includeOptOut, .postalAddress, .senderContactDetails, .optOutWorks60Days] {
            #expect(decision.requirements.contains(requirement))
        }
        f.message.includesOptOut = false
        let denied = f.decide()
        expectDenied(denied, naming: .noOptOutInMessage)
        #expect(denied.reason(.noOptOutInMessage)?.rule.id == "CA-CASL-UNSUB")
    }

    @Test("CASL s.11(3): an unsubscribe binds (OptGate: at once)")
    func unsubscribeBinds() {
        var f = Fixture("CA")
        f.collected("2025-10-01T12:00:00Z")
        f.optedOut("2026-02-01T00:00:00Z", via: .link)
        expectDenied(f.decide(), naming: .optedOut)
    }

    @Test("CASL reaches electronic messages only: post needs no consent; voice calls fall to the strictest rules")
    func scope() {
        var f = Fixture("CA")
        f.message.channel = .post
        expectAllowed(f.decide(), .noConsentNeeded)
        f.message.channel = .liveCall
        let decision = f.decide()
        expectDenied(decision, naming: .consentNone)
        #expect(decision.has(.channelNotRegulatedHere))
    }
}
