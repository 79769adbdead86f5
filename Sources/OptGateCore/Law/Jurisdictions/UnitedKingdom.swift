/// United Kingdom: the Privacy and Electronic Communications Regulations 2003 (SI 2003/2426) as
/// amended, including by the Data (Use and Access) Act 2025 from 5 February 2026, with UK GDPR.
public final class UnitedKingdomLaw: JurisdictionLaw {
    static let pecr = day(2003, 12, 11)
    static let duaaCommencement = day(2026, 2, 5)

    // MARK: Scope
    static let outsideMarketingRule = Rule(
        "UK-ICO-SVC-1", "GB", "PECR regs 19-22 (\"unsolicited\"); DPA 2018 s.122(5)",
        "Service messages with no promotional content, and a message the person specifically asked for, are outside the direct-marketing rules.",
        from: pecr)
    static let corporateSubscriber = Rule(
        "UK-PECR-SUB-1", "GB", "PECR reg 2(1), reg 22(1)",
        "Reg 22 protects individual subscribers only; companies, LLPs, Scottish partnerships and other bodies corporate are corporate subscribers. Sole traders, other partnerships and unknown subscribers count as individuals.",
        from: pecr)

    // MARK: Reg 22: electronic mail to individual subscribers
    static let consent = Rule(
        "UK-PECR-22-CONSENT", "GB", "PECR reg 22(2)",
        "Electronic mail marketing to an individual subscriber needs their prior consent to such messages from this sender, unless a soft opt-in applies.",
        from: pecr)
    static let consentDefinition = Rule(
        "UK-ICO-CONSENT-1", "GB", "UK GDPR Art 4(11), Art 7(4), Recital 32",
        "Consent is a freely given, specific, informed and unambiguous clear affirmative act; pre-ticked boxes, inactivity, privacy-notice statements and consent bundled with a purchase are not consent.",
        from: pecr)
    static let consentSpecificity = Rule(
        "UK-ICO-CONSENT-2", "GB", "PECR reg 22(2); UK GDPR Art 4(11), Art 7",
        "Consent must be specific to the channel (email and texts separately), to the purpose, and must name the sender and any third party relying on it.",
        from: pecr)
    static let indirectConsent = Rule(
        "UK-PECR-22-CONS-DUR", "GB", "PECR reg 22(2); ICO direct marketing guidance (indirect consent)",
        "Consent collected by a third party naming the sender is relied on only for a short time (policy `uk_indirect_consent_months`, default 6).",
        from: pecr)
    static let softOptInSale = Rule(
        "UK-PECR-22-SOI-1", "GB", "PECR reg 22(3)(a)",
        "Soft opt-in: the sender obtained the details in the course of a sale or negotiations for a sale (an expressed interest in buying, such as a quote request; browsing is not enough).",
        from: pecr)
    static let softOptInSimilar = Rule(
        "UK-PECR-22-SOI-2", "GB", "PECR reg 22(3)(b)",
        "Soft opt-in: the marketing is of the sender's own similar products and services only, never a third party's.",
        from: pecr)
    static let softOptInRefusal = Rule(
        "UK-PECR-22-SOI-3", "GB", "PECR reg 22(3)(c)",
        "Soft opt-in: a simple, free means of refusing was given when the details were collected, on every collection channel, and the person did not refuse.",
        from: pecr)
    static let softOptInEveryMessage = Rule(
        "UK-PECR-22-SOI-4", "GB", "PECR reg 22(3)(c)",
        "Soft opt-in: every message offers a simple, free means of refusing further marketing.",
        from: pecr)
    static let softOptInDirect = Rule(
        "UK-PECR-22-SOI-5", "GB", "PECR reg 22(3)(a) (\"that person has obtained\")",
        "Soft opt-in: only the legal person that collected the details from the person may rely on it; bought-in, partner and group-company lists never qualify.",
        from: pecr)
    static let softOptInCommercial = Rule(
        "UK-PECR-22-SOI-7", "GB", "PECR reg 22(3); ICO Guide to PECR",
        "The commercial soft opt-in does not cover non-commercial promotion such as fundraising or political campaigning.",
        from: pecr)
    static let softOptInDuration = Rule(
        "UK-PECR-22-SOI-DUR", "GB", "PECR reg 22(3) (no statutory limit)",
        "The soft opt-in lasts a reasonable time after the latest sale or negotiation: policy `uk_soft_opt_in_months`, default 24.",
        from: pecr)

    // MARK: Reg 22(3A): charity soft opt-in
    static let charityException = Rule(
        "UK-PECR-22-3A", "GB", "PECR reg 22(3A), inserted by DUAA 2025 s.114; SI 2026/82",
        "A registered charity may send electronic mail furthering its charitable purposes to people who gave it their details while supporting it or expressing interest in its purposes, from 5 February 2026.",
        from: duaaCommencement)
    static let charityOnly = Rule(
        "UK-PECR-22-3A-1", "GB", "PECR reg 22(3A), 22(5)",
        "Only charities registered in England and Wales, Scotland or Northern Ireland; non-profits that are not charities are excluded.",
        from: duaaCommencement)
    static let charityPurpose = Rule(
        "UK-PECR-22-3A-2", "GB", "PECR reg 22(3A)",
        "The sole purpose of the message is to further the charity's charitable purposes; a message that also sells goods fails.",
        from: duaaCommencement)
    static let charityDirect = Rule(
        "UK-PECR-22-3A-3", "GB", "PECR reg 22(3A)",
        "Details obtained directly from the person while expressing interest in, or offering or providing support for, the charity's purposes; never via third parties, fundraising platforms or trading subsidiaries.",
        from: duaaCommencement)
    static let charityRefusal = Rule(
        "UK-PECR-22-3A-4", "GB", "PECR reg 22(3A)",
        "A simple, free opt-out offered when the details were collected and in every message.",
        from: duaaCommencement)
    static let charityNotRetrospective = Rule(
        "UK-PECR-22-3A-5", "GB", "PECR reg 22(3A); ICO guidance 28 Apr 2026",
        "Only details obtained on or after 5 February 2026; a supporter from before then qualifies again by giving new support after it.",
        from: duaaCommencement)
    static let charityOwnPurposes = Rule(
        "UK-PECR-22-3A-7", "GB", "PECR reg 22(3A) (\"the charity's charitable purposes\")",
        "The charity soft opt-in may not be used to promote other organisations, including other charities.",
        from: duaaCommencement)

    // MARK: Reg 23, 21, 20, 19, UK GDPR
    static let identity = Rule(
        "UK-PECR-23-ID", "GB", "PECR reg 23(a)",
        "No electronic mail marketing where the sender's identity is disguised or concealed (individual and corporate subscribers).",
        from: pecr)
    static let optOutAddress = Rule(
        "UK-PECR-23-ADDR", "GB", "PECR reg 23(b)",
        "Every electronic mail marketing message gives a valid address to which the recipient can send a request to stop.",
        from: pecr)
    static let objection = Rule(
        "UK-ICO-OBJ", "GB", "UK GDPR Art 21(2),(3); PECR reg 22",
        "An objection to direct marketing is absolute and binds at once on every channel and sender it covers; only a later, specific consent lifts it.",
        from: pecr)
    static let automatedCalls = Rule(
        "UK-PECR-19-AUTO", "GB", "PECR reg 19",
        "Automated (recorded-message) marketing calls need the subscriber's prior consent; there is no soft opt-in.",
        from: pecr)
    static let fax = Rule(
        "UK-PECR-20-FAX", "GB", "PECR reg 20",
        "Marketing faxes to individual subscribers need prior consent; corporate subscribers may be faxed unless they objected or their number is on the Fax Preference Service register.",
        from: pecr)
    static let faxRegister = Rule(
        "UK-PECR-20-FPS", "GB", "PECR reg 20(1)(c), reg 25",
        "No marketing fax to a number on the Fax Preference Service register (applied from the day of listing, the cautious reading).",
        from: pecr)
    static let liveCalls = Rule(
        "UK-PECR-21", "GB", "PECR reg 21",
        "Live marketing calls need no consent, unless the subscriber told the caller not to call or the number is on the TPS or CTPS register.",
        from: pecr)
    static let telephonePreference = Rule(
        "UK-PECR-21-TPS", "GB", "PECR reg 21(1)(b), 21(3), reg 26",
        "No live marketing call to a number listed on the TPS or CTPS; a listing binds 28 days after it is made.",
        from: pecr)
    static let telephoneOverride = Rule(
        "UK-PECR-21-OVERRIDE", "GB", "PECR reg 21(4),(5)",
        "A listed subscriber who has notified this caller that they do not object may be called, until they withdraw it.",
        from: pecr)
    static let callerIdentity = Rule(
        "UK-PECR-21-CLI", "GB", "PECR reg 21(A1), reg 24",
        "Marketing callers present their line identity and give their name and, on request, an address or freephone number.",
        from: pecr)
    static let post = Rule(
        "UK-POST", "GB", "UK GDPR Art 6(1)(f), Art 21",
        "Addressed marketing post needs no consent (legitimate interests with privacy information); an objection binds.",
        from: pecr)
    static let mailingPreference = Rule(
        "UK-MPS", "GB", "UK GDPR Art 21 (cautious reading of a Mailing Preference Service listing)",
        "A Mailing Preference Service listing is treated as an objection to addressed marketing post.",
        from: pecr)
    static let fundraisingPreference = Rule(
        "UK-PECR-22-FPS", "GB", "UK GDPR Art 21; Fundraising Regulator code",
        "A Fundraising Preference Service suppression binds a charity's fundraising on every channel (an `fps` listing is read as this too, the cautious reading).",
        from: pecr)
    static let customAudiences = Rule(
        "UK-ONLINE-AD", "GB", "UK GDPR Art 6(1)(a), Art 21(2)",
        "Matching a person's details to an advertising platform's audience is direct marketing with no soft opt-in; OptGate requires consent, the cautious answer.",
        from: pecr)
    static let globalPrivacyControl = Rule(
        "UK-GPC", "GB", "UK GDPR Art 21(5)",
        "An automated objection such as a Global Privacy Control signal is honoured for advertising audiences (its legal effect in the UK is unsettled; the cautious answer).",
        from: pecr)
    static let frequencyCap = Rule(
        "POLICY-FREQUENCY-CAP", "*", "Sender policy `max_marketing_per_30_days`",
        "The sender's own cap on marketing messages per channel in any 30 days.",
        from: Timestamp(secondsSinceEpoch: 0))
    static let frequencyPreference = Rule(
        "PREFERENCE-FREQUENCY", "*", "UK GDPR / GDPR Art 21(2)-(3); the person's `frequency_set` preference",
        "The person asked for fewer messages: an objection to direct marketing may be partial, and a sender that keeps the promise made in its preference centre sends no more than asked.",
        from: Timestamp(secondsSinceEpoch: 0))

    public let rules: [Rule]
    private let electronicMailIndividual: Regime
    private let electronicMailCorporate: Regime
    private let automatedCall: Regime
    private let liveCall: Regime
    private let faxIndividual: Regime
    private let faxCorporate: Regime
    private let postRegime: Regime
    private let onlineAd: Regime

    public init() {
        let consentTerms = ConsentTerms(
            basis: Self.consent, definition: Self.consentDefinition, specificity: Self.consentSpecificity,
            indirectConsentLapses: Self.indirectConsent)
        let softOptIn = SoftOptInTerms(
            sale: Self.softOptInSale, similarProducts: Self.softOptInSimilar, refusalAtCollection: Self.softOptInRefusal,
            refusalInEveryMessage: Self.softOptInEveryMessage, obtainedDirectly: Self.softOptInDirect,
            commercialOnly: Self.softOptInCommercial, duration: Self.softOptInDuration, window: .ukPolicyMonths,
            saleContexts: [.sale],
            negotiationContexts: [.quoteRequest, .demoRequest, .productEnquiry, .freeTrial],
            abandonedCheckoutDefault: true, channels: .electronicMail)
        let charity = CharitySoftOptInTerms(
            exception: Self.charityException, charitiesOnly: Self.charityOnly, charitablePurposeOnly: Self.charityPurpose,
            obtainedDirectly: Self.charityDirect, refusal: Self.charityRefusal, notRetrospective: Self.charityNotRetrospective,
            ownPurposesOnly: Self.charityOwnPurposes, duration: Self.softOptInDuration)
        let electronicBars: [Bar] = [
            .senderConcealed(Self.identity), .noOptOutInMessage(Self.optOutAddress), .objection(Self.objection),
            .register(RegisterBar([.fps], rule: Self.fundraisingPreference, purposes: [.fundraising])), .frequencyCap(Self.frequencyCap),
        ]
        electronicMailIndividual = Regime(
            routes: [.consent(consentTerms), .softOptIn(softOptIn), .charitySoftOptIn(charity)],
            bars: electronicBars, requirements: [.includeOptOut, .identifySender])
        electronicMailCorporate = Regime(
            routes: [.consent(consentTerms), .noConsentNeeded(Self.corporateSubscriber, .noConsentCorporateSubscriber)],
            bars: electronicBars, requirements: [.includeOptOut, .identifySender, .legitimateInterests])
        automatedCall = Regime(
            routes: [.consent(ConsentTerms(basis: Self.automatedCalls, definition: Self.consentDefinition, specificity: Self.consentSpecificity))],
            bars: [.senderConcealed(Self.callerIdentity), .noOptOutInMessage(Self.callerIdentity), .objection(Self.objection), .frequencyCap(Self.frequencyCap)],
            requirements: [.identifySender, .includeOptOut, .presentCallerID])
        liveCall = Regime(
            routes: [.consent(ConsentTerms(basis: Self.telephoneOverride, definition: Self.consentDefinition, specificity: Self.consentSpecificity)),
                     .noConsentNeeded(Self.liveCalls, .noConsentLiveCall)],
            bars: [.senderConcealed(Self.callerIdentity), .noOptOutInMessage(Self.callerIdentity), .objection(Self.objection),
                   .register(RegisterBar([.tps, .ctps], bindsAfterDays: 28, rule: Self.telephonePreference, liftedByConsent: Self.telephoneOverride)),
                   .register(RegisterBar([.fps], rule: Self.fundraisingPreference, purposes: [.fundraising])), .frequencyCap(Self.frequencyCap)],
            requirements: [.identifySender, .presentCallerID, .screenTPSWithin28Days])
        let faxConsent = ConsentTerms(basis: Self.fax, definition: Self.consentDefinition, specificity: Self.consentSpecificity)
        let faxBars: [Bar] = [
            .senderConcealed(Self.callerIdentity), .noOptOutInMessage(Self.callerIdentity), .objection(Self.objection),
            .register(RegisterBar([.fps], rule: Self.faxRegister)), .frequencyCap(Self.frequencyCap),
        ]
        faxIndividual = Regime(routes: [.consent(faxConsent)], bars: faxBars, requirements: [.identifySender, .includeOptOut])
        faxCorporate = Regime(
            routes: [.consent(faxConsent), .noConsentNeeded(Self.fax, .noConsentCorporateSubscriber)],
            bars: faxBars, requirements: [.identifySender, .includeOptOut])
        postRegime = Regime(
            routes: [.consent(ConsentTerms(basis: Self.post, definition: Self.consentDefinition, specificity: Self.consentSpecificity)),
                     .noConsentNeeded(Self.post, .noConsentPost)],
            bars: [.senderConcealed(Self.post), .noOptOutInMessage(Self.objection), .objection(Self.objection),
                   .register(RegisterBar([.mps], rule: Self.mailingPreference)),
                   .register(RegisterBar([.fps], rule: Self.fundraisingPreference, purposes: [.fundraising])), .frequencyCap(Self.frequencyCap)],
            requirements: [.identifySender, .includeOptOut, .legitimateInterests])
        onlineAd = Regime(
            routes: [.consent(ConsentTerms(basis: Self.customAudiences, definition: Self.consentDefinition, specificity: Self.consentSpecificity))],
            bars: [.objection(Self.objection), .globalPrivacyControl(Self.globalPrivacyControl)],
            requirements: [])
        rules = [
            Self.outsideMarketingRule, Self.corporateSubscriber, Self.consent, Self.consentDefinition, Self.consentSpecificity,
            Self.indirectConsent, Self.softOptInSale, Self.softOptInSimilar, Self.softOptInRefusal, Self.softOptInEveryMessage,
            Self.softOptInDirect, Self.softOptInCommercial, Self.softOptInDuration, Self.charityException, Self.charityOnly,
            Self.charityPurpose, Self.charityDirect, Self.charityRefusal, Self.charityNotRetrospective, Self.charityOwnPurposes,
            Self.identity, Self.optOutAddress, Self.objection, Self.automatedCalls, Self.fax, Self.faxRegister, Self.liveCalls,
            Self.telephonePreference, Self.telephoneOverride, Self.callerIdentity, Self.post, Self.mailingPreference,
            Self.fundraisingPreference, Self.customAudiences, Self.globalPrivacyControl, Self.frequencyCap, Self.frequencyPreference,
        ]
    }

    public func ruleSetName(at instant: Timestamp) -> String {
        instant >= Self.duaaCommencement ? "GB/PECR as amended 2026-02-05" : "GB/PECR 2003 as amended to 2026-02-04"
    }

    public var outsideMarketing: Rule { Self.outsideMarketingRule }

    public func regime(channel: Channel, purpose: Purpose, subscriber: SubscriberType, at instant: Timestamp) -> Regime {
        switch channel {
        case .email, .sms, .voicemail, .inApp, .socialDM:
            return subscriber.isCorporate ? electronicMailCorporate : electronicMailIndividual
        case .automatedCall: return automatedCall
        case .liveCall: return liveCall
        case .fax: return subscriber.isCorporate ? faxCorporate : faxIndividual
        case .post: return postRegime
        case .onlineAd: return onlineAd
        }
    }
}
