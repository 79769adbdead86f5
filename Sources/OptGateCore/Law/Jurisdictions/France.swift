/// France: Code des postes et des communications électroniques art. L34-5 for electronic prospecting,
/// and, from 11 August 2026, prior consent for telephone canvassing of consumers.
extension MemberStateLaw {
    static let lcen = day(2004, 6, 22)
    static let frenchCallConsent = day(2026, 8, 11)

    static let france = MemberStateLaw(Terms(
        country: "FR", ruleSetName: "FR/CPCE L34-5 + GDPR Art 21",
        consent: Rule(
            "FR-L34-5-B2C", "FR", "CPCE art. L34-5",
            "Electronic prospecting of consumers needs prior free, specific and informed consent.",
            from: lcen),
        softOptIn: .directive(
            sale: Rule(
                "FR-L34-5-CUSTOMER", "FR", "CPCE art. L34-5",
                "Exception for an existing customer of the same entity, for analogous products or services, with an easy, free opt-out at collection and in each message.",
                from: lcen),
            duration: EuropeanUnionLaw.softOptInDuration,
            saleContexts: [.sale], window: .euPolicyMonths),
        businessSubscribers: .optOutIfRelevantToRole(Rule(
            "FR-L34-5-B2B", "FR", "CPCE art. L34-5; CNIL deliberation of 17 Feb 2005",
            "Professionals may be prospected at their professional address without consent if informed at collection, able to object freely, and the message relates to their profession.",
            from: lcen)),
        liveCalls: [
            LiveCallEra(
                from: lcen,
                individuals: .optOut(
                    Rule("FR-TEL-BLOCTEL", "FR", "Code de la consommation art. L223-1 (Bloctel)",
                         "Until 10 August 2026, consumers may be called unless listed on Bloctel.",
                         from: lcen, until: frenchCallConsent),
                    registers: [.bloctel],
                    registerRule: Rule("FR-BLOCTEL", "FR", "Code de la consommation art. L223-1",
                                       "No canvassing call to a consumer listed on Bloctel.", from: lcen, until: frenchCallConsent)),
                businesses: .optOut(
                    Rule("FR-TEL-B2B", "FR", "Code de la consommation (consumer rules only)",
                         "Telephone canvassing of professionals needs no consent.", from: lcen),
                    registers: [], registerRule: Rule("FR-BLOCTEL", "FR", "Code de la consommation art. L223-1",
                                                      "No canvassing call to a consumer listed on Bloctel.", from: lcen, until: frenchCallConsent))),
            LiveCallEra(
                from: frenchCallConsent,
                individuals: .consent(Rule(
                    "FR-TEL-2026", "FR", "Loi n° 2025-594 du 30 juin 2025, art. 13",
                    "From 11 August 2026, telephone canvassing of consumers needs prior free, specific, informed, unambiguous and revocable consent; Bloctel ends.",
                    from: frenchCallConsent)),
                businesses: .optOut(
                    Rule("FR-TEL-B2B", "FR", "Code de la consommation (consumer rules only)",
                         "Telephone canvassing of professionals needs no consent.", from: lcen),
                    registers: [], registerRule: Rule("FR-BLOCTEL", "FR", "Code de la consommation art. L223-1",
                                                      "No canvassing call to a consumer listed on Bloctel.", from: lcen, until: frenchCallConsent))),
        ]))
}
