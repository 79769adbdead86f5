/// Ireland: S.I. 336/2011 (the ePrivacy Regulations), reg 13, as the Data Protection Commission reads it.
extension MemberStateLaw {
    static let irishRegulations = day(2011, 7, 1)
    static let irishCalls = Rule(
        "IE-CALLS", "IE", "S.I. 336/2011 reg 13",
        "Marketing calls to mobile numbers need prior consent; landlines not on the NDD opt-out register may be called. OptGate cannot tell a mobile from a landline, so it requires consent (the cautious answer).",
        from: irishRegulations)

    static let ireland = MemberStateLaw(Terms(
        country: "IE", ruleSetName: "IE/S.I. 336/2011 reg 13 + GDPR Art 21",
        consent: Rule(
            "IE-13-1", "IE", "S.I. 336/2011 reg 13(1)",
            "Electronic direct marketing to natural persons needs their affirmative, opt-in consent.",
            from: irishRegulations),
        softOptIn: .directive(
            sale: Rule(
                "IE-13-11-SOI", "IE", "S.I. 336/2011 reg 13(11)",
                "Existing customers only: details obtained from the customer in the context of a completed sale (an abandoned checkout or a competition is not a sale), own similar products, an opt-out at collection and in every message.",
                from: irishRegulations),
            duration: Rule(
                "IE-13-11-12M", "IE", "S.I. 336/2011 reg 13(11)(d)",
                "The first marketing message must be sent within 12 months of the sale; each use within 12 months keeps the details usable for the next 12.",
                from: irishRegulations),
            saleContexts: [.sale], window: .irishTwelveMonthsKeptAliveByUse),
        businessSubscribers: .optOutIfRelevantToRole(Rule(
            "IE-B2B", "IE", "S.I. 336/2011 reg 13",
            "Email to an address used mainly for the recipient's commercial or official activity, about that activity only, is not marketing to a natural person.",
            from: irishRegulations)),
        liveCalls: [LiveCallEra(
            from: irishRegulations,
            individuals: .consent(irishCalls),
            businesses: .consent(irishCalls))],
        callRegisters: [.ndd],
        callRegisterRule: Rule(
            "IE-NDD", "IE", "S.I. 336/2011 reg 13",
            "No marketing call to a number on the National Directory Database opt-out register.",
            from: irishRegulations)))
}
