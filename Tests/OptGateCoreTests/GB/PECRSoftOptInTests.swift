import OptGateCore
import Testing

/// PECR reg 22(3): the soft opt-in. Every limb must hold; a denial lists each one that fails.
@Suite("GB: PECR reg 22(3) soft opt-in")
struct PECRSoftOptInTests {
    @Test("PECR reg 22(3)(a),(b),(c): a customer's details, own similar product, refusal offered → soft opt-in")
    func allLimbsHold() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z")
        let decision = f.decide()
        expectAllowed(decision, .softOptIn)
        let reason = try! #require(decision.reason(.softOptInSale))
        #expect(reason.rule.citation == "PECR reg 22(3)(a)")
        #expect(reason.detail.contains("2025-11-02"))
        #expect(reason.detail.contains("laptops"))
        #expect(decision.validUntil == t("2027-11-02T12:00:00Z"))
        #expect(decision.requirements.contains(.similarProductsOnly))
    }

    @Test(
        "PECR reg 22(3)(a): negotiations for a sale (quote, demo, product enquiry, free trial) ground a soft opt-in",
        arguments: [DetailsCollected.Context.quoteRequest, .demoRequest, .productEnquiry, .freeTrial])
    func negotiations(context: DetailsCollected.Context) {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z", context: context)
        let decision = f.decide()
        expectAllowed(decision, .softOptIn)
        #expect(decision.has(.softOptInNegotiation))
    }

    @Test(
        "PECR reg 22(3)(a): contexts with no sale and no expressed interest in buying do not qualify",
        arguments: [DetailsCollected.Context.generalEnquiry, .competitionEntry, .reservation, .newsletterSignup,
                    .accountRegistration, .eventRegistration, .freeAccount, .other])
    func nonQualifyingContexts(context: DetailsCollected.Context) {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z", context: context)
        expectDenied(f.decide(), naming: .softOptInNoSaleOrNegotiation)
    }

    @Test("PECR reg 22(3)(a): an abandoned checkout counts as negotiations in GB by default; policy can turn it off")
    func abandonedCheckoutPolicy() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z", context: .abandonedCheckout)
        expectAllowed(f.decide(), .softOptIn)
        f.policy.abandonedCheckoutIsNegotiation = false
        expectDenied(f.decide(), naming: .softOptInNoSaleOrNegotiation)
    }

    @Test(
        "PECR reg 22(3)(a) (\"that person has obtained\"): details from third parties, group companies, brokers or public sources never qualify",
        arguments: [DetailsCollected.Source.thirdParty, .groupCompany, .dataBroker, .publicSource])
    func notObtainedDirectly(source: DetailsCollected.Source) {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z", from: source)
        let decision = f.decide()
        expectDenied(decision, naming: .softOptInNotObtainedDirectly)
        #expect(decision.reason(.softOptInNotObtainedDirectly)?.rule.id == "UK-PECR-22-SOI-5")
    }

    @Test("PECR reg 22(3)(a): a group company's customer is not the sender's (different legal person)")
    func groupCompanyCustomer() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z", by: "acme-travel")
        let decision = f.decide()
        expectDenied(decision, naming: .softOptInOtherEntity)
        #expect(decision.reason(.softOptInOtherEntity)?.evidence.entity == "acme-travel")
    }

    @Test("PECR reg 22(3)(b): a dissimilar product is not covered; similarity is symmetric, not transitive")
    func similarity() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z", products: ["laptop-accessories"])
        f.message.products = ["laptops"]                       // symmetric: declared on the other product
        expectAllowed(f.decide(), .softOptIn)
        f.message.products = ["warranties"]                    // accessories~laptops~warranties is not accessories~warranties
        expectDenied(f.decide(), naming: .softOptInDissimilarProduct)
        f.message.products = ["holiday-packages"]
        expectDenied(f.decide(), naming: .softOptInDissimilarProduct)
    }

    @Test("PECR reg 22(3)(b): every product in the message must be similar")
    func everyProductMustBeSimilar() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z")
        f.message.products = ["laptop-accessories", "holiday-packages"]
        let decision = f.decide()
        expectDenied(decision, naming: .softOptInDissimilarProduct)
        #expect(decision.reason(.softOptInDissimilarProduct)?.evidence.product == "holiday-packages")
    }

    @Test("PECR reg 22(3)(b): a message naming no product cannot show similarity")
    func noProducts() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z")
        f.message.products = []
        expectDenied(f.decide(), naming: .softOptInNoProducts)
    }

    @Test("PECR reg 22(3)(b): own products only — a third party's promotion never rides on the soft opt-in")
    func thirdPartyPromotion() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z")
        f.message.onBehalfOf = "partner-insure"
        expectDenied(f.decide(), naming: .softOptInThirdPartyPromotion)
    }

    @Test("PECR reg 22(3)(c): no refusal offered at collection (ICO v Papa John's 2021)")
    func noRefusalOffered() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z", refusalOffered: false)
        let decision = f.decide()
        expectDenied(decision, naming: .softOptInNoRefusalOffered)
        #expect(decision.reason(.softOptInNoRefusalOffered)?.rule.citation == "PECR reg 22(3)(c)")
    }

    @Test("PECR reg 22(3)(c): a person who refused at collection is not marketed, and the refusal binds as an objection")
    func refusedAtCollection() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z", refused: true)
        let decision = f.decide()
        expectDenied(decision, naming: .softOptInRefused)
        #expect(decision.has(.refusedAtCollection))
    }

    @Test("PECR reg 22(3)(c): every message must offer a free, simple refusal")
    func everyMessageOffersRefusal() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z")
        f.message.includesOptOut = false
        let decision = f.decide()
        expectDenied(decision, naming: .softOptInNoOptOutInMessage)
        #expect(decision.has(.noOptOutInMessage))   // reg 23(b) as well
    }

    @Test("PECR reg 22(3): the details must reach the channel used")
    func channelCollected() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z", channels: [.email])
        f.message.channel = .sms
        let decision = f.decide()
        expectDenied(decision, naming: .softOptInChannelNotCollected)
        #expect(decision.reason(.softOptInChannelNotCollected)?.detail.hasSuffix("do not include an address or number to reach the person by text message") == true)
    }

    @Test("PECR reg 22(3) (reasonable time): the soft opt-in lapses uk_soft_opt_in_months after the latest sale")
    func duration() {
        var f = Fixture()
        f.collected("2024-01-15T12:00:00Z")
        f.now = t("2026-01-15T12:00:00Z")                     // exactly 24 months later: lapsed
        let decision = f.decide()
        expectDenied(decision, naming: .softOptInExpired)
        #expect(decision.reason(.softOptInExpired)?.evidence.date == t("2026-01-15T12:00:00Z"))
        let detail = decision.reason(.softOptInExpired)?.detail ?? ""
        #expect(detail.hasPrefix("the soft opt-in from the details collected on 2024-01-15") && detail.hasSuffix("lapsed on 2026-01-15"), "\(detail)")
        f.policy.ukSoftOptInMonths = 36
        expectAllowed(f.decide(), .softOptIn)
        f.policy.ukSoftOptInMonths = 24
        f.collected("2025-12-01T12:00:00Z")                   // a newer sale renews it
        let renewed = f.decide()
        expectAllowed(renewed, .softOptIn)
        #expect(renewed.validUntil == t("2027-12-01T12:00:00Z"))
    }

    @Test("ICO Guide to PECR: the commercial soft opt-in does not cover fundraising or political campaigning")
    func notForNonCommercial() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z")
        f.message.purpose = .campaigning
        f.message.products = []
        expectDenied(f.decide(), naming: .softOptInNotCommercial)
    }

    @Test("A denial lists every failed limb of the closest collection, not just the first")
    func everyFailureListed() {
        var f = Fixture()
        f.collected("2023-01-01T12:00:00Z", from: .thirdParty, context: .competitionEntry, refusalOffered: false)
        f.message.products = ["holiday-packages"]
        let codes = Set(f.decide().codes)
        for code in [ReasonCode.softOptInNotObtainedDirectly, .softOptInNoSaleOrNegotiation, .softOptInNoRefusalOffered,
                     .softOptInDissimilarProduct, .softOptInExpired, .consentNone] {
            #expect(codes.contains(code.rawValue), "missing \(code.rawValue) in \(codes)")
        }
    }
}
