import OptGateCore
import Testing

/// PECR reg 22(2) with UK GDPR Art 4(11): consent to electronic mail marketing must be a clear
/// affirmative act, specific to the channel, naming the sender.
@Suite("GB: PECR reg 22(2) consent")
struct PECRElectronicMailConsentTests {
    @Test("PECR reg 22(2): an unticked box ticked by the person is consent for that channel")
    func uncheckedBoxIsConsent() {
        var f = Fixture()
        f.consented("2025-06-01T09:00:00Z")
        let decision = f.decide()
        expectAllowed(decision, .consent)
        #expect(decision.reasons.first?.rule.citation == "PECR reg 22(2)")
        #expect(decision.requirements.contains(.includeOptOut))
        #expect(decision.requirements.contains(.identifySender))
        #expect(decision.requirements.contains(.keepConsentRecord))
        #expect(decision.validUntil == nil)
    }

    @Test(
        "UK GDPR Art 4(11), Recital 32, Art 7(4): methods that are not a clear affirmative act are not consent",
        arguments: [ConsentGiven.Method.preTickedBox, .bundledWithTerms, .privacyNoticeStatement, .inactivity])
    func invalidMethods(method: ConsentGiven.Method) {
        var f = Fixture()
        f.consented("2025-06-01T09:00:00Z", method: method)
        let decision = f.decide()
        expectDenied(decision, naming: .consentInvalidMethod)
        #expect(decision.reason(.consentInvalidMethod)?.rule.id == "UK-ICO-CONSENT-1")
        #expect(decision.reason(.consentInvalidMethod)?.detail.contains(method.rawValue) == true)
    }

    @Test("ICO: consent to email does not cover texts (channel-specific consent)")
    func channelSpecific() {
        var f = Fixture()
        f.consented("2025-06-01T09:00:00Z", channels: [.email])
        f.message.channel = .sms
        expectDenied(f.decide(), naming: .consentChannelNotCovered)
    }

    @Test("UK GDPR Art 4(11): consent that names other organisations is not consent for this sender")
    func senderMustBeNamed() {
        var f = Fixture()
        f.consented("2025-06-01T09:00:00Z", to: ["acme-travel"])
        let decision = f.decide()
        expectDenied(decision, naming: .consentSenderNotNamed)
        #expect(decision.reason(.consentSenderNotNamed)?.evidence.entity == "acme-retail")
    }

    @Test("PECR reg 22(2): a third-party promotion needs consent naming the third party too")
    func thirdPartyPromotionNeedsNamedConsent() {
        var f = Fixture()
        f.consented("2025-06-01T09:00:00Z")
        f.message.onBehalfOf = "partner-insure"
        expectDenied(f.decide(), naming: .consentThirdPartyNotNamed)

        f.consented("2025-07-01T09:00:00Z", to: ["acme-retail", "partner-insure"])
        expectAllowed(f.decide(), .consent)
    }

    @Test("UK GDPR Art 4(11): consent limited to some products does not cover others")
    func productScopedConsent() {
        var f = Fixture()
        f.consented("2025-06-01T09:00:00Z", products: ["laptops"])
        f.message.products = ["holiday-packages"]
        expectDenied(f.decide(), naming: .consentProductNotCovered)
        f.message.products = ["laptops"]
        expectAllowed(f.decide(), .consent)
    }

    @Test("PECR reg 22(2): consent to marketing does not cover fundraising or campaigning")
    func purposeSpecific() {
        var f = Fixture()
        f.message.from = "helping-hands"
        f.message.purpose = .fundraising
        f.message.products = []
        f.consented("2025-06-01T09:00:00Z", to: ["helping-hands"], purposes: [.marketing])
        expectDenied(f.decide(), naming: .consentPurposeNotCovered)
    }

    @Test("PECR reg 22(2) (\"for the time being\"): consent past its expiry date is not consent; valid_until reports it")
    func expiry() {
        var f = Fixture()
        f.consented("2025-06-01T09:00:00Z", expiresAt: "2026-06-01T00:00:00Z")
        let allowed = f.decide()
        expectAllowed(allowed, .consent)
        #expect(allowed.validUntil == t("2026-06-01T00:00:00Z"))
        f.now = t("2026-06-01T00:00:00Z")
        expectDenied(f.decide(), naming: .consentExpired)
    }

    @Test("ICO guidance on indirect consent: consent collected by a third party lapses after policy months (default 6)")
    func indirectConsentLapses() {
        var f = Fixture()
        f.consented("2025-12-01T09:00:00Z", to: ["acme-retail"], collectedBy: "partner-insure")
        let decision = f.decide()
        expectAllowed(decision, .consent)
        #expect(decision.validUntil == t("2026-06-01T09:00:00Z"))
        f.now = t("2026-06-02T00:00:00Z")
        expectDenied(f.decide(), naming: .consentIndirectLapsed)
        f.policy.ukIndirectConsentMonths = 12
        expectAllowed(f.decide(), .consent)
    }

    @Test("A denial without any consent names the sender, channel and purpose")
    func noConsentAtAll() {
        let decision = Fixture().decide()
        expectDenied(decision, naming: .consentNone)
        #expect(decision.reason(.consentNone)?.detail == "no consent to email marketing from acme-retail is recorded")
    }
}
