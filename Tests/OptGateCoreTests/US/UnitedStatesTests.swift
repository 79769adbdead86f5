import OptGateCore
import Testing

/// CAN-SPAM (email), TCPA (texts and calls), California's opt-out of sale and sharing.
@Suite("US: CAN-SPAM, TCPA, CCPA")
struct UnitedStatesTests {
    @Test("15 U.S.C. 7701-7713: commercial email needs no consent but must carry opt-out, identity and postal address")
    func canSpamOptOutModel() {
        let decision = Fixture("US").decide()
        expectAllowed(decision, .noConsentNeeded)
        for requirement in [Requirement.includeOptOut, .identifySender, .postalAddress, .identifyAsAdvertisement, .optOutWorks30Days, .oneClickUnsubscribeHeaders] {
            #expect(decision.requirements.contains(requirement), "missing \(requirement)")
        }
    }

    @Test("15 U.S.C. 7704(a)(3): a commercial email without an opt-out is barred")
    func canSpamNeedsOptOut() {
        var f = Fixture("US")
        f.message.includesOptOut = false
        let decision = f.decide()
        expectDenied(decision, naming: .noOptOutInMessage)
        #expect(decision.reason(.noOptOutInMessage)?.rule.citation == "15 U.S.C. 7704(a)(3)")
    }

    @Test("15 U.S.C. 7704(a)(1): misleading sender identity is barred")
    func canSpamHeaders() {
        var f = Fixture("US")
        f.message.identifiesSender = false
        expectDenied(f.decide(), naming: .senderConcealed)
    }

    @Test("15 U.S.C. 7704(a)(4): an opt-out binds (OptGate: at once, not after 10 business days)")
    func canSpamOptOutBinds() {
        var f = Fixture("US")
        f.optedOut("2026-02-28T23:00:00Z", channels: [.email], via: .link)
        expectDenied(f.decide(), naming: .optedOut)
    }

    @Test("47 CFR 64.1200(a)(2),(f)(9): marketing texts need prior express written consent")
    func tcpaWrittenConsent() {
        var f = Fixture("US")
        f.message.channel = .sms
        f.collected("2025-11-02T12:00:00Z")                   // a purchase is not consent under the TCPA
        expectDenied(f.decide(), naming: .consentNone)
        f.consented("2025-12-01T00:00:00Z", channels: [.sms], method: .verbalRecorded)
        expectDenied(f.decide(), naming: .consentNotWritten)
        f.consented("2025-12-02T00:00:00Z", channels: [.sms], method: .signedForm)
        expectAllowed(f.decide(), .consent)
    }

    @Test("47 CFR 64.1200(a)(10) (WX-US-02): STOP revokes consent to texts")
    func tcpaStop() {
        var f = Fixture("US")
        f.message.channel = .sms
        f.consented("2025-12-02T00:00:00Z", channels: [.sms], method: .signedForm)
        f.optedOut("2026-02-01T00:00:00Z", channels: [.sms], via: .smsStop)
        let decision = f.decide()
        expectDenied(decision, naming: .optedOut)
        #expect(decision.reason(.optedOut)?.rule.id == "US-TCPA-REV-ANY")
    }

    @Test("47 CFR 64.1200(c): a National DNC listing bars a live solicitation unless the person gave written permission")
    func doNotCall() {
        var f = Fixture("US")
        f.message.channel = .liveCall
        expectAllowed(f.decide(), .noConsentNeeded)
        f.listed("2025-06-01T00:00:00Z", .usDNC)
        expectDenied(f.decide(), naming: .registerListed)
        f.consented("2025-12-02T00:00:00Z", channels: [.liveCall], method: .signedForm)
        expectAllowed(f.decide(), .consent)
    }

    @Test("11 CCR 7025 (WX-US-04): a GPC signal opts a Californian out of advertising audiences")
    func globalPrivacyControl() {
        var f = Fixture("US-CA")
        f.message.channel = .onlineAd
        expectAllowed(f.decide(), .noConsentNeeded)
        f.gpc("2026-01-01T00:00:00Z")
        let decision = f.decide()
        expectDenied(decision, naming: .gpcOptOut)
        #expect(decision.reason(.gpcOptOut)?.rule.citation == "11 CCR 7025(b),(c)")
        f.gpc("2026-02-01T00:00:00Z", false)                  // the latest signal wins
        expectAllowed(f.decide(), .noConsentNeeded)
    }

    @Test("GPC spec: a GPC signal is not an email unsubscribe")
    func gpcIsNotUnsubscribe() {
        var f = Fixture("US-CA")
        f.gpc("2026-01-01T00:00:00Z")
        expectAllowed(f.decide(), .noConsentNeeded)
    }
}
