/// Canada: Canada's Anti-Spam Legislation (S.C. 2010, c. 23) for commercial electronic messages:
/// express or implied consent, identification and an unsubscribe mechanism in every message.
public final class CanadaLaw: JurisdictionLaw {
    static let casl = day(2014, 7, 1)

    static let outsideMarketingRule = Rule(
        "CA-CASL-EXEMPT", "CA", "CASL s.6(6)",
        "Requested quotes, transaction confirmations, warranty, safety and account information need no consent.",
        from: casl)
    static let consent = Rule(
        "CA-CASL-6", "CA", "CASL s.6(1)",
        "No commercial electronic message without the recipient's express or implied consent.",
        from: casl)
    static let express = Rule(
        "CA-CASL-EXPRESS", "CA", "CASL s.10(1); CRTC 2012-548",
        "Express consent is opt-in, for stated purposes, naming the requester; pre-checked boxes and consent bundled with terms are not acceptable.",
        from: casl)
    static let purchase = Rule(
        "CA-CASL-EBR-2Y", "CA", "CASL s.10(9)(a), 10(10)(a)",
        "Implied consent from a purchase or contract with the sender, for two years after it.",
        from: casl)
    static let inquiry = Rule(
        "CA-CASL-EBR-6M", "CA", "CASL s.10(9)(a), 10(10)(b)",
        "Implied consent from an inquiry or application about the sender's products, for six months after it.",
        from: casl)
    static let publication = Rule(
        "CA-CASL-PUB", "CA", "CASL s.10(9)(b)",
        "Implied consent from a conspicuously published address, only when the message relates to the person's business role (CRTC 2016-428, Blackstone).",
        from: casl)
    static let identification = Rule(
        "CA-CASL-ID", "CA", "CASL s.6(2)(a),(b); CRTC Reg s.2",
        "Every message identifies the sender and gives a mailing address and a phone number, email or web address valid for 60 days.",
        from: casl)
    static let unsubscribe = Rule(
        "CA-CASL-UNSUB", "CA", "CASL s.6(2)(c), 11",
        "Every message carries a free unsubscribe mechanism valid for 60 days; an unsubscribe takes effect within 10 business days (OptGate: at once).",
        from: casl)
    static let post = Rule(
        "CA-POST", "CA", "CASL s.1(1) (electronic messages only)",
        "CASL does not reach addressed post; OptGate honours the person's opt-out.",
        from: casl)

    public let rules: [Rule] = [outsideMarketingRule, consent, express, purchase, inquiry, publication, identification, unsubscribe, post]
    public var outsideMarketing: Rule { Self.outsideMarketingRule }

    private let electronic: Regime
    private let postRegime: Regime
    private let strictest = StrictestLaw()

    public init() {
        let routes: [BasisRoute] = [
            .consent(ConsentTerms(basis: Self.express, definition: Self.express, specificity: Self.consent)),
            .impliedConsent(ImpliedConsentTerms(
                purchase: Self.purchase, inquiry: Self.inquiry, publication: Self.publication,
                purchaseContexts: [.sale],
                inquiryContexts: [.productEnquiry, .quoteRequest, .demoRequest, .freeTrial],
                purchaseYears: 2, inquiryMonths: 6)),
        ]
        let bars: [Bar] = [
            .senderConcealed(Self.identification), .noOptOutInMessage(Self.unsubscribe), .objection(Self.unsubscribe),
            .frequencyCap(UnitedKingdomLaw.frequencyCap),
        ]
        let requirements: Requirements = [.includeOptOut, .identifySender, .postalAddress, .senderContactDetails, .optOutWorks60Days]
        electronic = Regime(routes: routes, bars: bars, requirements: requirements)
        postRegime = Regime(
            routes: [.noConsentNeeded(Self.post, .noConsentPost)],
            bars: [.senderConcealed(StrictestLaw.identity), .objection(StrictestLaw.objection), .frequencyCap(UnitedKingdomLaw.frequencyCap)],
            requirements: [.identifySender])
    }

    public func ruleSetName(at instant: Timestamp) -> String { "CA/CASL" }

    public func regime(channel: Channel, purpose: Purpose, subscriber: SubscriberType, at instant: Timestamp) -> Regime {
        switch channel {
        case .email, .sms, .inApp, .socialDM: return electronic
        case .post: return postRegime
        case .voicemail, .liveCall, .automatedCall, .fax, .onlineAd: return strictest.regimeForUncoveredChannel(channel)
        }
    }
}
