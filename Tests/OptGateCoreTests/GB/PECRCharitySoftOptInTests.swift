import OptGateCore
import Testing

/// PECR reg 22(3A), inserted by the Data (Use and Access) Act 2025 s.114, in force 5 February 2026.
@Suite("GB: PECR reg 22(3A) charity soft opt-in")
struct PECRCharitySoftOptInTests {
    func charityFixture() -> Fixture {
        var f = Fixture()
        f.now = t("2026-04-15T10:00:00Z")
        f.message = Message(from: "helping-hands", channel: .email, purpose: .fundraising, products: [])
        return f
    }

    @Test(
        "PECR reg 22(3A): a donor, member, volunteer or interested person's details collected directly after 2026-02-05",
        arguments: [DetailsCollected.Context.charityDonation, .charityMembership, .charityVolunteering, .charityInterest])
    func supportContexts(context: DetailsCollected.Context) {
        var f = charityFixture()
        f.collected("2026-03-01T10:00:00Z", by: "helping-hands", context: context, products: [])
        let decision = f.decide()
        expectAllowed(decision, .charitySoftOptIn)
        #expect(decision.reason(.charitySupport)?.rule.id == "UK-PECR-22-3A")
        #expect(decision.requirements.contains(.charitablePurposesOnly))
        #expect(decision.validUntil == t("2028-03-01T10:00:00Z"))
    }

    @Test("PECR reg 22(3A), ICO 16 Oct 2025: not retrospective — details collected before 2026-02-05 do not qualify")
    func notRetrospective() {
        var f = charityFixture()
        f.collected("2026-02-04T23:00:00Z", by: "helping-hands", context: .charityDonation, products: [])
        let decision = f.decide()
        expectDenied(decision, naming: .charityBeforeCommencement)
        #expect(decision.reason(.charityBeforeCommencement)?.evidence.date == t("2026-02-05T00:00:00Z"))
    }

    @Test("ICO guidance (Withers 13 May 2026): a pre-2026 donor who gives again after 2026-02-05 qualifies")
    func returningDonor() {
        var f = charityFixture()
        f.collected("2025-06-01T10:00:00Z", by: "helping-hands", context: .charityDonation, products: [])
        f.collected("2026-03-10T10:00:00Z", by: "helping-hands", context: .charityDonation, products: [])
        expectAllowed(f.decide(), .charitySoftOptIn)
    }

    @Test("SI 2026/82: before commencement the exception does not exist at all")
    func notInForceBeforeCommencement() {
        var f = charityFixture()
        f.collected("2025-06-01T10:00:00Z", by: "helping-hands", context: .charityDonation, products: [])
        f.now = t("2026-02-01T10:00:00Z")
        expectDenied(f.decide(), naming: .charityNotInForce)
    }

    @Test("PECR reg 22(3A), 22(5): a non-profit that is not a registered charity cannot use it")
    func onlyCharities() {
        var f = charityFixture()
        f.message.from = "good-causes-ltd"
        f.collected("2026-03-01T10:00:00Z", by: "good-causes-ltd", context: .charityDonation, products: [])
        expectDenied(f.decide(), naming: .charityNotACharity)
    }

    @Test("PECR reg 22(3A): the sole purpose must be the charity's charitable purposes (no shop goods, no other purpose)")
    func solePurpose() {
        var f = charityFixture()
        f.collected("2026-03-01T10:00:00Z", by: "helping-hands", context: .charityDonation, products: [])
        f.message.products = ["shop-books"]
        expectDenied(f.decide(), naming: .charityMixedPurpose)
        f.message.products = []
        f.message.purpose = .campaigning
        expectDenied(f.decide(), naming: .charityNotFundraising)
    }

    @Test("PECR reg 22(3A) (WX-UK-11): details via a fundraising platform are not obtained directly")
    func thirdPartyPlatform() {
        var f = charityFixture()
        f.collected("2026-03-01T10:00:00Z", by: "helping-hands", from: .thirdParty, context: .charityDonation, products: [])
        expectDenied(f.decide(), naming: .charityNotObtainedDirectly)
    }

    @Test("PECR reg 22(3A): a trading subsidiary's customers are not the charity's supporters")
    func otherEntityCollected() {
        var f = charityFixture()
        f.collected("2026-03-01T10:00:00Z", by: "acme-retail", context: .charityDonation, products: [])
        expectDenied(f.decide(), naming: .charityNoSupport)
    }

    @Test("PECR reg 22(3A): a refusal must be offered at collection, and a refusal binds")
    func refusal() {
        var f = charityFixture()
        f.collected("2026-03-01T10:00:00Z", by: "helping-hands", context: .charityDonation, products: [], refusalOffered: false)
        expectDenied(f.decide(), naming: .charityNoRefusalOffered)
        var g = charityFixture()
        g.collected("2026-03-01T10:00:00Z", by: "helping-hands", context: .charityDonation, products: [], refused: true)
        expectDenied(g.decide(), naming: .charityRefused)
    }

    @Test("PECR reg 22(3A) (ThomasMoreAI note, cautious): not to promote another organisation")
    func otherOrganisation() {
        var f = charityFixture()
        f.collected("2026-03-01T10:00:00Z", by: "helping-hands", context: .charityDonation, products: [])
        f.message.onBehalfOf = "good-causes-ltd"
        expectDenied(f.decide(), naming: .charityOtherOrganisation)
    }

    @Test("Fundraising Preference Service: an FPS listing bars a charity's fundraising but not its commercial marketing")
    func fundraisingPreferenceService() {
        var f = charityFixture()
        f.collected("2026-03-01T10:00:00Z", by: "helping-hands", context: .charityDonation, products: [])
        f.listed("2026-03-20T10:00:00Z", .fps)
        expectDenied(f.decide(), naming: .registerListed)
        var g = Fixture()
        g.collected("2025-11-02T12:00:00Z")
        g.listed("2026-01-01T10:00:00Z", .fps)
        expectAllowed(g.decide(), .softOptIn)
    }
}
