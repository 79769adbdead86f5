/// The rules OptGate applies where the recipient's jurisdiction is unknown, or where a rule set has
/// no rule for a channel: consent on every channel, every objection and register listing binding at
/// once. Never wrong to follow, often more than the law asks.
public final class StrictestLaw: JurisdictionLaw {
    static let epoch = Timestamp(secondsSinceEpoch: 0)
    static let consent = Rule(
        "OPTGATE-STRICTEST-CONSENT", "*", "OptGate default where no rule set applies (strictest: consent on every channel)",
        "Without a known jurisdiction, or without a rule for the channel, a marketing message needs the person's valid, specific consent.",
        from: epoch)
    static let consentDefinition = Rule(
        "OPTGATE-STRICTEST-DEFINITION", "*", "GDPR Art 4(11), Recital 32 (as the strictest common standard)",
        "Consent is a freely given, specific, informed and unambiguous clear affirmative act.",
        from: epoch)
    static let consentSpecificity = Rule(
        "OPTGATE-STRICTEST-SPECIFIC", "*", "GDPR Art 4(11), Art 7 (as the strictest common standard)",
        "Consent names the sender and covers the channel, the purpose and the products promoted.",
        from: epoch)
    static let objection = Rule(
        "OPTGATE-OBJECTION", "*", "GDPR Art 21(2),(3) (as the strictest common standard)",
        "An opt-out binds at once on every channel and sender it covers, whatever the local law's deadline.",
        from: epoch)
    static let identity = Rule(
        "OPTGATE-IDENTITY", "*", "ePrivacy Directive Art 13(4); CAN-SPAM 15 U.S.C. 7704; CASL s.6(2) (common to all)",
        "A marketing message never disguises or conceals its sender and always offers a way to opt out.",
        from: epoch)
    static let registers = Rule(
        "OPTGATE-REGISTERS", "*", "OptGate default (strictest: every preference register binds from listing)",
        "Without a known jurisdiction, a listing on any preference register binds from the day it is made.",
        from: epoch)
    static let privacySignal = Rule(
        "OPTGATE-GPC", "*", "GDPR Art 21(5); 11 CCR 7025 (as the strictest common standard)",
        "A Global Privacy Control signal opts the person out of advertising audiences.",
        from: epoch)

    public let rules: [Rule] = [consent, consentDefinition, consentSpecificity, objection, identity, registers, privacySignal]
    public var outsideMarketing: Rule { Self.consent }

    private let unknownJurisdiction: Regime
    private let unknownJurisdictionAd: Regime
    private let channelWithoutRule: [Channel: Regime]

    public init() {
        let terms = ConsentTerms(basis: Self.consent, definition: Self.consentDefinition, specificity: Self.consentSpecificity)
        let bars: [Bar] = [
            .senderConcealed(Self.identity), .noOptOutInMessage(Self.identity), .objection(Self.objection),
            .register(RegisterBar(PreferenceRegister.allCases, rule: Self.registers)),
            .frequencyCap(UnitedKingdomLaw.frequencyCap),
        ]
        let adBars: [Bar] = [.objection(Self.objection), .globalPrivacyControl(Self.privacySignal)]
        unknownJurisdiction = Regime(
            routes: [.consent(terms)], bars: bars, requirements: [.includeOptOut, .identifySender],
            notes: [Reason(.jurisdictionUnknown, Self.consent)])
        unknownJurisdictionAd = Regime(
            routes: [.consent(terms)], bars: adBars, requirements: [], notes: [Reason(.jurisdictionUnknown, Self.consent)])
        var perChannel: [Channel: Regime] = [:]
        for channel in Channel.allCases {
            perChannel[channel] = Regime(
                routes: [.consent(terms)], bars: channel == .onlineAd ? adBars : bars,
                requirements: channel == .onlineAd ? [] : [.includeOptOut, .identifySender],
                notes: [Reason(.channelNotRegulatedHere, Self.consent, Evidence(channel: channel))])
        }
        channelWithoutRule = perChannel
    }

    public func ruleSetName(at instant: Timestamp) -> String { "strictest (jurisdiction unknown)" }

    public func regime(channel: Channel, purpose: Purpose, subscriber: SubscriberType, at instant: Timestamp) -> Regime {
        channel == .onlineAd ? unknownJurisdictionAd : unknownJurisdiction
    }

    /// The strictest regime inside a known rule set that has no rule for `channel`.
    public func regimeForUncoveredChannel(_ channel: Channel) -> Regime {
        channelWithoutRule[channel]!
    }
}
