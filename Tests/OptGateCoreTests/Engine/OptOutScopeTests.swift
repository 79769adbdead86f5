import OptGateCore
import Testing

/// UK GDPR / GDPR Art 21: an objection covers exactly what it names — channels, products,
/// entity — and everything it leaves out.
@Suite("Opt-out scope")
struct OptOutScopeTests {
    func customer() -> Fixture {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z")
        return f
    }

    @Test("An opt-out without channels covers every channel")
    func allChannels() {
        var f = customer()
        f.optedOut("2026-01-10T08:00:00Z")
        for channel in [Channel.email, .sms] {
            f.message.channel = channel
            expectDenied(f.decide(), naming: .optedOut)
        }
    }

    @Test("An opt-out of texts leaves email alone")
    func oneChannel() {
        var f = customer()
        f.optedOut("2026-01-10T08:00:00Z", channels: [.sms], via: .smsStop)
        expectAllowed(f.decide(), .softOptIn)
        f.message.channel = .sms
        expectDenied(f.decide(), naming: .optedOut)
    }

    @Test("A product-scoped opt-out covers messages promoting those products only")
    func products() {
        var f = customer()
        f.optedOut("2026-01-10T08:00:00Z", products: ["laptop-accessories"], via: .preferenceCentre)
        expectDenied(f.decide(), naming: .optedOut)
        f.message.products = ["warranties"]
        expectAllowed(f.decide(), .softOptIn)
    }

    @Test("An entity-scoped opt-out covers that sender, and messages promoting it")
    func entity() {
        var f = customer()
        f.optedOut("2026-01-10T08:00:00Z", entity: "acme-travel")
        expectAllowed(f.decide(), .softOptIn)
        f.optedOut("2026-01-11T08:00:00Z", entity: "acme-retail")
        expectDenied(f.decide(), naming: .optedOut)
    }

    @Test("UK GDPR Art 7(3), 21: only a later, valid consent covering the message lifts an opt-out; a new sale does not")
    func liftedOnlyByLaterConsent() {
        var f = customer()
        f.optedOut("2026-01-10T08:00:00Z")
        f.collected("2026-02-01T12:00:00Z")                   // a new purchase after the opt-out
        expectDenied(f.decide(), naming: .optedOut)
        f.consented("2025-12-01T00:00:00Z")                   // consent before the opt-out: withdrawn by it
        expectDenied(f.decide(), naming: .optedOut)
        f.consented("2026-02-15T00:00:00Z", method: .preTickedBox)  // invalid consent lifts nothing
        expectDenied(f.decide(), naming: .optedOut)
        f.consented("2026-02-20T00:00:00Z", channels: [.sms])  // consent for another channel lifts nothing here
        expectDenied(f.decide(), naming: .optedOut)
        f.consented("2026-02-25T00:00:00Z")                   // fresh, valid, covering consent
        expectAllowed(f.decide(), .consent)
    }

    @Test("ICO: a service message is not marketing, so an opt-out does not stop it")
    func serviceAfterOptOut() {
        var f = customer()
        f.optedOut("2026-01-10T08:00:00Z")
        f.message.purpose = .service
        f.message.products = []
        let decision = f.decide()
        expectAllowed(decision, .notMarketing)
        #expect(decision.requirements.contains(.noPromotionalContent))
    }

    @Test("PECR 'unsolicited' (ICO draft code, WX-UK-08): the quote the person asked for is solicited")
    func solicited() {
        var f = Fixture()
        f.message.solicited = true
        let decision = f.decide()
        expectAllowed(decision, .notMarketing)
        #expect(decision.has(.notMarketingSolicited))
    }
}
