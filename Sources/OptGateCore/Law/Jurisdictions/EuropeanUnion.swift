/// European Union: the ePrivacy Directive 2002/58/EC Art 13 as each member state transposed it, with
/// GDPR Art 21's absolute right to object. Member states without a documented variant get the
/// Directive's own terms, read cautiously where it leaves the choice to them.
public enum EuropeanUnionLaw {
    static let directive = day(2003, 10, 31)
    static let gdpr = day(2018, 5, 25)

    /// The EU-27 member states (ISO 3166-1 alpha-2; Greece is GR).
    public static let memberStates: Set<String> = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
        "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ]

    // MARK: EU-level rules
    static let outsideMarketingRule = Rule(
        "EU-EPD-UNSOLICITED", "EU", "Directive 2002/58/EC Art 13 (\"unsolicited communications\"); GDPR Art 21",
        "Service messages with no promotional content, and a message the person specifically asked for, are outside the direct-marketing rules.",
        from: directive)
    static let consent = Rule(
        "EU-EPD-13-1", "EU", "Directive 2002/58/EC Art 13(1)",
        "Electronic mail, automated calls and fax for direct marketing only with the subscriber's prior consent.",
        from: directive)
    static let consentDefinition = Rule(
        "EU-GDPR-CONSENT", "EU", "GDPR Art 4(11), Art 7, Recital 32; CJEU C-673/17 Planet49",
        "Consent is a freely given, specific, informed and unambiguous clear affirmative act; pre-ticked boxes, silence and inactivity are not consent.",
        from: gdpr)
    static let consentSpecificity = Rule(
        "EU-GDPR-CONSENT-SPECIFIC", "EU", "GDPR Art 4(11), Art 7(2)",
        "Consent is specific to the channel, the purpose and the named controller.",
        from: gdpr)
    static let softOptIn = Rule(
        "EU-EPD-13-2", "EU", "Directive 2002/58/EC Art 13(2); CJEU C-654/23 Inteligo Media",
        "The same person that obtained electronic contact details from its customer in the context of a sale (a free account with a paid tier counts) may market its own similar products, with a free opt-out at collection and in every message.",
        from: directive)
    static let softOptInDuration = Rule(
        "EU-SOI-DUR", "EU", "Directive 2002/58/EC Art 13(2) (no time limit set)",
        "Where the member state sets no limit, the exception lasts policy `eu_soft_opt_in_months` (default 36) after the latest sale.",
        from: directive)
    static let identity = Rule(
        "EU-EPD-13-4", "EU", "Directive 2002/58/EC Art 13(4)",
        "No marketing email disguising or concealing the sender or without a valid address to opt out.",
        from: directive)
    static let objection = Rule(
        "EU-GDPR-21", "EU", "GDPR Art 21(2),(3)",
        "The right to object to direct marketing is absolute: on objection, the data are no longer processed for direct marketing.",
        from: gdpr)
    static let rightToObjectNotice = Rule(
        "EU-GDPR-21-4", "EU", "GDPR Art 21(4); Directive 2002/58/EC Art 13(2)",
        "The right to object is brought to the person's attention, at the latest at the first communication, and an opt-out is offered in every message.",
        from: gdpr)
    static let businessSubscribers = Rule(
        "EU-EPD-13-5", "EU", "Directive 2002/58/EC Art 13(5)",
        "Protection of legal persons is left to member states; where no variant is documented, OptGate treats business subscribers like individuals (the cautious answer).",
        from: directive)
    static let otherCalls = Rule(
        "EU-EPD-13-3", "EU", "Directive 2002/58/EC Art 13(3)",
        "For live calls each member state chooses opt-in or opt-out; where no variant is documented, OptGate requires consent (the cautious answer).",
        from: directive)
    static let post = Rule(
        "EU-GDPR-LI", "EU", "GDPR Art 6(1)(f), Recital 47, Art 21",
        "Addressed marketing post rests on legitimate interests with privacy information; an objection binds.",
        from: gdpr)
    static let customAudiences = Rule(
        "EU-ONLINE-AD", "EU", "GDPR Art 6(1)(a), Art 21(2)",
        "Matching a person's details to an advertising audience is direct marketing with no soft opt-in; OptGate requires consent, the cautious answer.",
        from: gdpr)
    static let privacySignal = Rule(
        "EU-GDPR-21-5", "EU", "GDPR Art 21(5)",
        "An objection by automated means such as a Global Privacy Control signal is honoured for advertising audiences (its effect in the EU is unsettled; the cautious answer).",
        from: gdpr)

    /// The EU-level rules every member state's regimes cite.
    static let rules: [Rule] = [
        outsideMarketingRule, consent, consentDefinition, consentSpecificity, softOptIn, softOptInDuration, identity,
        objection, rightToObjectNotice, businessSubscribers, otherCalls, post, customAudiences, privacySignal,
    ]
}
