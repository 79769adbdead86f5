import OptGateCore
import Testing

/// Directive 2002/58/EC Art 13 and GDPR Art 21, in member states without a documented variant.
@Suite("EU: ePrivacy Art 13 and GDPR Art 21")
struct EPrivacyDirectiveTests {
    @Test("Directive 2002/58/EC Art 13(2): a customer's details, own similar products → soft opt-in (36 months by default)")
    func softOptIn() {
        var f = Fixture("ES")
        f.collected("2025-11-02T12:00:00Z")
        let decision = f.decide()
        expectAllowed(decision, .softOptIn)
        #expect(decision.reason(.softOptInSale)?.rule.id == "EU-EPD-13-2")
        #expect(decision.validUntil == t("2028-11-02T12:00:00Z"))
        #expect(decision.rules == "ES/ePrivacy Art 13 + GDPR Art 21")
    }

    @Test("CJEU C-654/23 Inteligo Media: a free account with a paid tier is 'the context of a sale'")
    func inteligoFreeAccount() {
        var f = Fixture("RO")
        f.collected("2025-11-02T12:00:00Z", context: .freeAccount, products: ["laptops"])
        expectAllowed(f.decide(), .softOptIn)
    }

    @Test("Directive 2002/58/EC Art 13(2): negotiations without a sale do not qualify in the EU")
    func noNegotiations() {
        var f = Fixture("ES")
        f.collected("2025-11-02T12:00:00Z", context: .quoteRequest)
        expectDenied(f.decide(), naming: .softOptInNoSaleOrNegotiation)
    }

    @Test("Directive 2002/58/EC Art 13(5): business subscribers are treated like individuals where no variant is documented")
    func businessLikeIndividuals() {
        expectDenied(Fixture("ES", subscriber: .corporate).decide(), naming: .consentNone)
    }

    @Test("Directive 2002/58/EC Art 13(1): automated calls and fax need consent")
    func automatedAndFax() {
        for channel in [Channel.automatedCall, .fax] {
            var f = Fixture("BE")
            f.message.channel = channel
            f.collected("2025-11-02T12:00:00Z", channels: [channel])
            expectDenied(f.decide(), naming: .consentNone)
        }
    }

    @Test("Directive 2002/58/EC Art 13(3) (cautious): live calls need consent where no national variant is documented")
    func liveCallsCautious() {
        var f = Fixture("AT")
        f.message.channel = .liveCall
        expectDenied(f.decide(), naming: .consentNone)
    }

    @Test("GDPR Art 21(2),(3): an objection binds absolutely, on post too")
    func objection() {
        var f = Fixture("ES")
        f.message.channel = .post
        expectAllowed(f.decide(), .noConsentNeeded)
        f.optedOut("2026-01-10T08:00:00Z", via: .complaint)
        let decision = f.decide()
        expectDenied(decision, naming: .optedOut)
        #expect(decision.reason(.optedOut)?.rule.citation == "GDPR Art 21(2),(3)")
    }

    @Test("GDPR Art 4(11), Recital 32; CJEU Planet49: a pre-ticked box is not consent")
    func planet49() {
        var f = Fixture("DE")
        f.consented("2025-06-01T09:00:00Z", method: .preTickedBox)
        expectDenied(f.decide(), naming: .consentInvalidMethod)
    }
}
