import OptGateCore
import Testing

/// National transpositions documented in the research table: IE, DE, FR, NL, IT.
@Suite("EU member-state variants")
struct MemberStateVariantTests {
    // MARK: Ireland, S.I. 336/2011 reg 13

    @Test("S.I. 336/2011 reg 13(11) (WX-IE-02): the first message must go within 12 months of the sale")
    func irelandTwelveMonths() {
        var f = Fixture("IE")
        f.collected("2025-05-01T12:00:00Z")
        let decision = f.decide()
        expectAllowed(decision, .softOptIn)
        #expect(decision.validUntil == t("2026-05-01T12:00:00Z"))
        f.now = t("2026-06-01T10:00:00Z")
        expectDenied(f.decide(), naming: .softOptInFirstMessageTooLate)
    }

    @Test("S.I. 336/2011 reg 13(11)(d): regular use keeps the details usable, 12 months at a time")
    func irelandKeptAliveByUse() {
        var f = Fixture("IE")
        f.collected("2024-06-01T12:00:00Z")
        f.sent("2025-03-01T12:00:00Z")
        f.sent("2026-01-15T12:00:00Z")
        f.now = t("2026-06-01T10:00:00Z")
        let decision = f.decide()
        expectAllowed(decision, .softOptIn)
        #expect(decision.validUntil == t("2027-01-15T12:00:00Z"))
        f.now = t("2027-02-01T10:00:00Z")
        expectDenied(f.decide(), naming: .softOptInExpired)
    }

    @Test("S.I. 336/2011 reg 13(11) (WX-IE-01): no soft opt-in without a completed sale, abandoned checkout included")
    func irelandNeedsSale() {
        var f = Fixture("IE")
        f.collected("2026-01-01T12:00:00Z", context: .abandonedCheckout)
        expectDenied(f.decide(), naming: .softOptInNoSaleOrNegotiation)
        f.policy.abandonedCheckoutIsNegotiation = true          // even a policy cannot make it a sale in IE
        expectDenied(f.decide(), naming: .softOptInNoSaleOrNegotiation)
    }

    @Test("S.I. 336/2011 reg 13: business email relevant to the recipient's role needs no consent")
    func irelandBusiness() {
        var f = Fixture("IE", subscriber: .corporate)
        expectDenied(f.decide(), naming: .businessNotRelevant)
        f.message.relevantToRole = true
        expectAllowed(f.decide(), .noConsentNeeded)
    }

    @Test("S.I. 336/2011 reg 13: an NDD listing bars marketing calls")
    func irelandNDD() {
        var f = Fixture("IE")
        f.message.channel = .liveCall
        f.consented("2025-12-01T00:00:00Z", channels: [.liveCall])
        expectAllowed(f.decide(), .consent)
        f.listed("2026-02-01T00:00:00Z", .ndd)
        expectDenied(f.decide(), naming: .registerListed)
    }

    // MARK: Germany, UWG §7

    @Test("UWG §7(3): only an actual sale grounds the soft opt-in; an enquiry does not")
    func germanyActualSale() {
        var f = Fixture("DE")
        f.collected("2025-11-02T12:00:00Z", context: .productEnquiry)
        expectDenied(f.decide(), naming: .softOptInNoSaleOrNegotiation)
        f.collected("2025-12-02T12:00:00Z", context: .sale)
        expectAllowed(f.decide(), .softOptIn)
    }

    @Test("UWG §7(2) Nr. 2: business email needs consent too, and the soft opt-in applies to businesses")
    func germanyBusiness() {
        var f = Fixture("DE", subscriber: .corporate)
        let decision = f.decide()
        expectDenied(decision, naming: .consentNone)
        #expect(decision.reason(.consentNone)?.rule.id == "DE-UWG-7-2-2")
        f.collected("2025-12-02T12:00:00Z")
        expectAllowed(f.decide(), .softOptIn)
    }

    @Test("UWG §7(2) Nr. 1, §7a: phone advertising to consumers needs documented consent")
    func germanyCalls() {
        var f = Fixture("DE")
        f.message.channel = .liveCall
        expectDenied(f.decide(), naming: .consentNone)
        f.consented("2025-12-01T00:00:00Z", channels: [.liveCall])
        let decision = f.decide()
        expectAllowed(decision, .consent)
        #expect(decision.requirements.contains(.keepConsentRecord))
    }

    // MARK: France, CPCE L34-5 and the 2025 telephone law

    @Test("CPCE L34-5 (CNIL 2005): professionals may be emailed without consent about their profession")
    func franceBusiness() {
        var f = Fixture("FR", subscriber: .corporate)
        f.message.relevantToRole = true
        expectAllowed(f.decide(), .noConsentNeeded)
        f.message.relevantToRole = false
        expectDenied(f.decide(), naming: .businessNotRelevant)
    }

    @Test("Loi 2025-594 art. 13: consumer canvassing calls need consent from 2026-08-11; before, Bloctel applied")
    func franceCallsChangeOnDate() {
        var f = Fixture("FR")
        f.message.channel = .liveCall
        f.now = t("2026-08-10T10:00:00Z")
        expectAllowed(f.decide(), .noConsentNeeded)
        f.listed("2026-01-01T00:00:00Z", .bloctel)
        expectDenied(f.decide(), naming: .registerListed)
        f.events.removeAll()
        f.now = t("2026-08-11T10:00:00Z")
        let after = f.decide()
        expectDenied(after, naming: .consentNone)
        #expect(after.reason(.consentNone)?.rule.id == "FR-TEL-2026")
    }

    // MARK: Netherlands, Telecommunicatiewet 11.7

    @Test("Tw 11.7; RCC Swapfiets (WX-NL-01): the customer exception is not unlimited — 4 years on is too late")
    func netherlandsDuration() {
        var f = Fixture("NL")
        f.collected("2022-01-10T12:00:00Z")
        expectDenied(f.decide(), naming: .softOptInExpired)
    }

    @Test("Tw 11.7: legal persons are protected like natural persons for email")
    func netherlandsBusinessEmail() {
        expectDenied(Fixture("NL", subscriber: .corporate).decide(), naming: .consentNone)
    }

    @Test("Tw 11.7: customers could be called without consent until 2026-07-01; from then consent is needed")
    func netherlandsCustomerCalls() {
        var f = Fixture("NL")
        f.message.channel = .liveCall
        f.collected("2025-06-01T12:00:00Z", channels: [.liveCall])
        f.now = t("2026-06-30T10:00:00Z")
        expectAllowed(f.decide(), .softOptIn)
        f.now = t("2026-07-01T10:00:00Z")
        expectDenied(f.decide(), naming: .consentNone)
        var business = Fixture("NL", subscriber: .corporate)
        business.message.channel = .liveCall
        expectAllowed(business.decide(), .noConsentNeeded)
    }

    // MARK: Italy, D.Lgs 196/2003 art. 130

    @Test("D.Lgs 196/2003 art. 130(4): soft spam covers email only, not SMS")
    func italyEmailOnly() {
        var f = Fixture("IT")
        f.collected("2025-11-02T12:00:00Z")
        expectAllowed(f.decide(), .softOptIn)
        f.message.channel = .sms
        expectDenied(f.decide(), naming: .softOptInChannelNotCovered)
    }
}
