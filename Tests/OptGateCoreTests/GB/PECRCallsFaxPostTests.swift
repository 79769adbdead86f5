import OptGateCore
import Testing

/// PECR regs 19 (automated calls), 20 (fax), 21 (live calls, TPS/CTPS), UK GDPR for post and
/// advertising audiences.
@Suite("GB: calls, fax, post and online audiences")
struct PECRCallsFaxPostTests {
    @Test("PECR reg 19: automated marketing calls need consent; a soft opt-in is not enough")
    func automatedCalls() {
        var f = Fixture()
        f.message.channel = .automatedCall
        f.collected("2025-11-02T12:00:00Z", channels: [.liveCall, .automatedCall])
        let decision = f.decide()
        expectDenied(decision, naming: .consentNone)
        #expect(decision.reason(.consentNone)?.rule.citation == "PECR reg 19")
        f.consented("2025-12-01T12:00:00Z", channels: [.automatedCall])
        expectAllowed(f.decide(), .consent)
    }

    @Test("PECR reg 21: a live call to an unlisted number needs no consent; screening and CLI are required")
    func liveCallNoConsent() {
        var f = Fixture()
        f.message.channel = .liveCall
        let decision = f.decide()
        expectAllowed(decision, .noConsentNeeded)
        #expect(decision.requirements.contains(.screenTPSWithin28Days))
        #expect(decision.requirements.contains(.presentCallerID))
    }

    @Test("PECR reg 21(1)(b), 21(3): a TPS listing binds 28 days after it is made")
    func tpsTwentyEightDays() {
        var f = Fixture()
        f.message.channel = .liveCall
        f.listed("2026-02-10T00:00:00Z", .tps)
        let pending = f.decide()                               // 19 days later
        expectAllowed(pending, .noConsentNeeded)
        #expect(pending.has(.registerPending))
        #expect(pending.validUntil == t("2026-03-10T00:00:00Z"))
        f.now = t("2026-03-10T00:00:00Z")
        let binding = f.decide()
        expectDenied(binding, naming: .registerListed)
        #expect(binding.reason(.registerListed)?.rule.citation == "PECR reg 21(1)(b), 21(3), reg 26")
        #expect(binding.reason(.registerListed)?.detail.hasPrefix("the number has been on the TPS since 2026-02-10, binding from 2026-03-10") == true)
    }

    @Test("PECR reg 21: CTPS listings bind like TPS; a removal lifts the listing")
    func ctpsAndRemoval() {
        var f = Fixture("GB", subscriber: .corporate)
        f.message.channel = .liveCall
        f.listed("2025-10-01T00:00:00Z", .ctps)
        expectDenied(f.decide(), naming: .registerListed)
        f.delisted("2026-01-01T00:00:00Z", .ctps)
        expectAllowed(f.decide(), .noConsentNeeded)
    }

    @Test("PECR reg 21(4): a listed subscriber who told this caller they do not object may be called")
    func tpsOverride() {
        var f = Fixture()
        f.message.channel = .liveCall
        f.listed("2025-10-01T00:00:00Z", .tps)
        f.consented("2025-12-01T00:00:00Z", channels: [.liveCall])
        let decision = f.decide()
        expectAllowed(decision, .consent)
        #expect(decision.has(.registerOverriddenByConsent))
    }

    @Test("PECR reg 21(1)(a): a person who told the caller not to call is not called")
    func toldNotToCall() {
        var f = Fixture()
        f.message.channel = .liveCall
        f.optedOut("2026-01-10T08:00:00Z", channels: [.liveCall], entity: "acme-retail", via: .phone)
        expectDenied(f.decide(), naming: .optedOut)
    }

    @Test("PECR reg 20: faxes to individuals need consent; corporate subscribers unless listed on the FPS")
    func fax() {
        var individual = Fixture()
        individual.message.channel = .fax
        expectDenied(individual.decide(), naming: .consentNone)
        var corporate = Fixture("GB", subscriber: .corporate)
        corporate.message.channel = .fax
        expectAllowed(corporate.decide(), .noConsentNeeded)
        corporate.listed("2026-02-01T00:00:00Z", .fps)
        expectDenied(corporate.decide(), naming: .registerListed)
    }

    @Test("UK GDPR Art 6(1)(f), 21: addressed post needs no consent, but an objection binds")
    func post() {
        var f = Fixture()
        f.message.channel = .post
        let decision = f.decide()
        expectAllowed(decision, .noConsentNeeded)
        #expect(decision.requirements.contains(.legitimateInterests))
        f.optedOut("2026-01-10T08:00:00Z", channels: [.post], via: .preferenceCentre)
        expectDenied(f.decide(), naming: .optedOut)
    }

    @Test("UK GDPR Art 21 (cautious): a Mailing Preference Service listing is read as an objection to post")
    func mailingPreferenceService() {
        var f = Fixture()
        f.message.channel = .post
        f.listed("2026-02-01T00:00:00Z", .mps)
        expectDenied(f.decide(), naming: .registerListed)
    }

    @Test("UK GDPR Art 6(1)(a): advertising audiences need consent — no soft opt-in — and a GPC signal objects")
    func onlineAudiences() {
        var f = Fixture()
        f.message.channel = .onlineAd
        f.collected("2025-11-02T12:00:00Z", channels: [.email, .onlineAd])
        expectDenied(f.decide(), naming: .consentNone)
        f.consented("2025-12-01T00:00:00Z", channels: [.onlineAd])
        expectAllowed(f.decide(), .consent)
        f.gpc("2026-01-05T00:00:00Z")
        expectDenied(f.decide(), naming: .gpcOptOut)
    }
}
