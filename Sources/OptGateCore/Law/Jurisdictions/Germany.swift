/// Germany: the Act against Unfair Competition (UWG) §7, which covers businesses as well as consumers.
extension MemberStateLaw {
    static let uwg2004 = day(2004, 7, 8)
    static let uwg7a = day(2021, 10, 1)

    static let germanConsent = Rule(
        "DE-UWG-7-2-2", "DE", "UWG §7(2) Nr. 2 (Nr. 3 before 2022-05-28)",
        "Advertising by electronic mail, fax or automated calling machine without prior express consent is an unreasonable nuisance, to consumers and businesses alike.",
        from: uwg2004)

    static let germany = MemberStateLaw(Terms(
        country: "DE", ruleSetName: "DE/UWG §7 + GDPR Art 21",
        consent: germanConsent,
        softOptIn: .directive(
            sale: Rule(
                "DE-UWG-7-3", "DE", "UWG §7(3)",
                "Soft opt-in only after an actual sale of goods or services (negotiations are not enough), for own similar goods, with no objection and a clear notice at collection and at every use; it applies to businesses too.",
                from: uwg2004),
            duration: EuropeanUnionLaw.softOptInDuration,
            saleContexts: [.sale], window: .euPolicyMonths),
        businessSubscribers: .likeIndividuals(Rule(
            "DE-UWG-B2B", "DE", "UWG §7(2) Nr. 2, §7(3)",
            "No business exception: email to businesses needs consent or the soft opt-in.",
            from: uwg2004)),
        liveCalls: [LiveCallEra(
            from: uwg2004,
            individuals: .consent(Rule(
                "DE-UWG-7-2-1", "DE", "UWG §7(2) Nr. 1; UWG §7a",
                "Phone advertising to a consumer needs prior express consent, documented and kept five years (§7a, from 2021-10-01).",
                from: uwg2004)),
            businesses: .consent(Rule(
                "DE-UWG-7-2-1-B2B", "DE", "UWG §7(2) Nr. 1",
                "Phone advertising to other market participants needs at least presumed consent; OptGate cannot verify a presumption, so it requires recorded consent (the cautious answer).",
                from: uwg2004)))],
        extraRequirements: [.keepConsentRecord],
        otherRules: [
            Rule(
                "DE-UWG-7A", "DE", "UWG §7a",
                "Consumer phone-marketing consent is documented when given and kept for five years from grant and from each use.",
                from: uwg7a),
        ]))
}
