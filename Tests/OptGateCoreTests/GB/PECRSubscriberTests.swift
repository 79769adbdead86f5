import OptGateCore
import Testing

/// PECR reg 2(1), 22(1) and 23: reg 22 protects individual subscribers only; reg 23 protects all.
@Suite("GB: PECR subscriber types and reg 23")
struct PECRSubscriberTests {
    @Test(
        "PECR reg 2(1): companies and Scottish partnerships are corporate subscribers — no consent needed for email",
        arguments: [SubscriberType.corporate, .scottishPartnership])
    func corporate(subscriber: SubscriberType) {
        let decision = Fixture("GB", subscriber: subscriber).decide()
        expectAllowed(decision, .noConsentNeeded)
        #expect(decision.has(.noConsentCorporateSubscriber))
        #expect(decision.requirements.contains(.identifySender))
        #expect(decision.requirements.contains(.includeOptOut))
    }

    @Test(
        "PECR reg 2(1): sole traders, other partnerships and unknown subscribers are individuals — consent or soft opt-in needed",
        arguments: [SubscriberType.soleTrader, .partnership, .unknown, .individual])
    func individuals(subscriber: SubscriberType) {
        expectDenied(Fixture("GB", subscriber: subscriber).decide(), naming: .consentNone)
    }

    @Test("PECR reg 23(a): a disguised sender is barred, corporate subscribers included")
    func concealedSender() {
        var f = Fixture("GB", subscriber: .corporate)
        f.message.identifiesSender = false
        let decision = f.decide()
        expectDenied(decision, naming: .senderConcealed)
        #expect(decision.reason(.senderConcealed)?.rule.citation == "PECR reg 23(a)")
    }

    @Test("PECR reg 23(b): no valid opt-out address in the message is barred, corporate subscribers included")
    func noOptOutAddress() {
        var f = Fixture("GB", subscriber: .corporate)
        f.message.includesOptOut = false
        let decision = f.decide()
        expectDenied(decision, naming: .noOptOutInMessage)
        #expect(decision.reason(.noOptOutInMessage)?.rule.citation == "PECR reg 23(b)")
    }

    @Test("UK GDPR Art 21: a corporate subscriber's employee who objects is not emailed")
    func corporateObjection() {
        var f = Fixture("GB", subscriber: .corporate)
        f.optedOut("2026-01-10T08:00:00Z", via: .reply)
        expectDenied(f.decide(), naming: .optedOut)
    }

    @Test("PECR reg 2(1) 'electronic mail': SMS, voicemail, in-app and social DMs follow reg 22 like email",
          arguments: [Channel.sms, .voicemail, .inApp, .socialDM])
    func electronicMailChannels(channel: Channel) {
        var f = Fixture()
        f.message.channel = channel
        expectDenied(f.decide(), naming: .consentNone)
        f.collected("2025-11-02T12:00:00Z", channels: ChannelSet([channel]))
        expectAllowed(f.decide(), .softOptIn)
    }

    @Test("The rule set name follows the law in force at the decision time")
    func ruleSetVersion() {
        var f = Fixture()
        #expect(f.decide().rules == "GB/PECR as amended 2026-02-05")
        f.now = t("2026-02-04T23:59:59Z")
        #expect(f.decide().rules == "GB/PECR 2003 as amended to 2026-02-04")
    }
}
