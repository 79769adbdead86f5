/// United States: CAN-SPAM for email (an opt-out model), the TCPA for texts and calls (prior express
/// written consent for automated marketing), and California's opt-out of sale and sharing, which a
/// Global Privacy Control signal exercises.
public final class UnitedStatesLaw: JurisdictionLaw {
    static let canSpam = day(2004, 1, 1)
    static let tcpa = day(1991, 12, 20)
    static let ccpaRegs = day(2023, 3, 29)

    static let outsideMarketingRule = Rule(
        "US-CS-TRX", "US", "15 U.S.C. 7702(17); 16 CFR 316.3",
        "Transactional or relationship messages are not commercial email; a message whose subject or opening promotes is commercial.",
        from: canSpam)
    static let emailOptOutModel = Rule(
        "US-CS-MODEL", "US", "15 U.S.C. 7701-7713 (CAN-SPAM)",
        "Commercial email needs no prior consent; it must carry an opt-out, the sender's identity and postal address, and honour opt-outs.",
        from: canSpam)
    static let emailAffirmativeConsent = Rule(
        "US-CS-CONSENT", "US", "15 U.S.C. 7702(1), 7704(a)(5)(A)(i)",
        "Affirmative consent to commercial email from this sender.",
        from: canSpam)
    static let consentDefinition = Rule(
        "US-CONSENT-DEFINITION", "US", "15 U.S.C. 7702(1); 47 CFR 64.1200(f)(9)",
        "Consent is an affirmative act; a pre-checked box, terms of purchase or silence are not.",
        from: tcpa)
    static let consentSpecificity = Rule(
        "US-CONSENT-SPECIFIC", "US", "47 CFR 64.1200(f)(9)",
        "Consent authorises this seller to send this kind of message on this channel.",
        from: tcpa)
    static let headers = Rule(
        "US-CS-HDR", "US", "15 U.S.C. 7704(a)(1),(2)",
        "No false or misleading header information or deceptive subject lines; the sender is identified.",
        from: canSpam)
    static let emailOptOutMechanism = Rule(
        "US-CS-OPTOUT-30", "US", "15 U.S.C. 7704(a)(3)",
        "Every commercial email carries a clear opt-out that works for at least 30 days after sending.",
        from: canSpam)
    static let emailOptOutBinds = Rule(
        "US-CS-OPTOUT-10BD", "US", "15 U.S.C. 7704(a)(4)",
        "No commercial email more than ten business days after an opt-out; OptGate stops at once.",
        from: canSpam)
    static let writtenConsent = Rule(
        "US-TCPA-PEWC", "US", "47 U.S.C. 227(b); 47 CFR 64.1200(a)(2),(a)(3),(f)(9)",
        "Marketing texts and automated or prerecorded calls need prior express written consent: a signed (E-SIGN) agreement naming the seller and the number.",
        from: tcpa)
    static let revocation = Rule(
        "US-TCPA-REV-ANY", "US", "47 CFR 64.1200(a)(10)",
        "Consent may be revoked by any reasonable means (STOP, QUIT, END, CANCEL, UNSUBSCRIBE...); honoured within 10 business days from 2025-04-11; OptGate stops at once.",
        from: tcpa)
    static let doNotCall = Rule(
        "US-TCPA-DNC", "US", "47 CFR 64.1200(c),(d)",
        "No telephone solicitation to a number on the National Do Not Call Registry without the person's signed written permission; honour company-specific do-not-call requests; calls between 8 a.m. and 9 p.m. local time.",
        from: tcpa)
    static let liveCalls = Rule(
        "US-TCPA-LIVE", "US", "47 CFR 64.1200(c),(d)",
        "A live (human, not autodialled) telephone solicitation needs no consent unless the number is on the National Do Not Call Registry or the person asked this seller not to call.",
        from: tcpa)
    static let post = Rule(
        "US-POST", "US", "no federal consent rule for addressed mail",
        "Marketing by post needs no consent; OptGate honours the person's opt-out.",
        from: canSpam)
    static let saleOrSharing = Rule(
        "US-CA-OPTOUT", "US", "Cal. Civ. Code 1798.120, 1798.135",
        "Matching a person's details to an advertising audience is sale or sharing: allowed until the person opts out.",
        from: ccpaRegs)
    static let privacySignal = Rule(
        "US-CA-OOPS", "US", "11 CCR 7025(b),(c)",
        "An opt-out preference signal (Sec-GPC: 1) is a valid opt-out of sale and sharing for the browser and the known consumer (binding in California; honoured across the US, the cautious answer).",
        from: ccpaRegs)

    public let rules: [Rule] = [
        outsideMarketingRule, emailOptOutModel, emailAffirmativeConsent, consentDefinition, consentSpecificity, headers,
        emailOptOutMechanism, emailOptOutBinds, writtenConsent, revocation, doNotCall, liveCalls, post, saleOrSharing,
        privacySignal,
    ]
    public var outsideMarketing: Rule { Self.outsideMarketingRule }

    private let email: Regime
    private let automated: Regime
    private let liveCall: Regime
    private let postRegime: Regime
    private let onlineAd: Regime
    private let strictest = StrictestLaw()

    public init() {
        let cap = Bar.frequencyCap(UnitedKingdomLaw.frequencyCap)
        email = Regime(
            routes: [.consent(ConsentTerms(basis: Self.emailAffirmativeConsent, definition: Self.consentDefinition, specificity: Self.consentSpecificity)),
                     .noConsentNeeded(Self.emailOptOutModel, .noConsentOptOutModel)],
            bars: [.senderConcealed(Self.headers), .noOptOutInMessage(Self.emailOptOutMechanism), .objection(Self.emailOptOutBinds), cap],
            requirements: [.includeOptOut, .identifySender, .postalAddress, .identifyAsAdvertisement, .optOutWorks30Days])
        let written = ConsentTerms(basis: Self.writtenConsent, definition: Self.consentDefinition, specificity: Self.consentSpecificity, mustBeWritten: Self.writtenConsent)
        let dnc = Bar.register(RegisterBar([.usDNC], rule: Self.doNotCall, liftedByConsent: Self.doNotCall))
        automated = Regime(
            routes: [.consent(written)],
            bars: [.senderConcealed(Self.writtenConsent), .noOptOutInMessage(Self.revocation), .objection(Self.revocation), dnc, cap],
            requirements: [.identifySender, .includeOptOut, .callingHours])
        liveCall = Regime(
            routes: [.consent(written), .noConsentNeeded(Self.liveCalls, .noConsentLiveCall)],
            bars: [.senderConcealed(Self.doNotCall), .objection(Self.doNotCall), dnc, cap],
            requirements: [.identifySender, .callingHours, .screenDoNotCallRegister])
        postRegime = Regime(
            routes: [.noConsentNeeded(Self.post, .noConsentPost)],
            bars: [.senderConcealed(StrictestLaw.identity), .objection(StrictestLaw.objection), cap], requirements: [.identifySender])
        onlineAd = Regime(
            routes: [.noConsentNeeded(Self.saleOrSharing, .noConsentOptOutModel)],
            bars: [.objection(Self.saleOrSharing), .globalPrivacyControl(Self.privacySignal)], requirements: [])
    }

    public func ruleSetName(at instant: Timestamp) -> String { "US/CAN-SPAM, TCPA, CCPA" }

    public func regime(channel: Channel, purpose: Purpose, subscriber: SubscriberType, at instant: Timestamp) -> Regime {
        switch channel {
        case .email: return email
        case .sms, .automatedCall, .voicemail: return automated
        case .liveCall: return liveCall
        case .post: return postRegime
        case .onlineAd: return onlineAd
        case .inApp, .socialDM, .fax: return strictest.regimeForUncoveredChannel(channel)
        }
    }
}
