/// Italy: Codice privacy (D.Lgs 196/2003) art. 130, whose "soft spam" exception covers email only.
extension MemberStateLaw {
    static let codicePrivacy = day(2004, 1, 1)

    static let italy = MemberStateLaw(Terms(
        country: "IT", ruleSetName: "IT/D.Lgs 196/2003 art. 130 + GDPR Art 21",
        consent: Rule(
            "IT-130", "IT", "D.Lgs 196/2003 art. 130(1),(2)",
            "Marketing by email, SMS, fax or automated call needs prior consent.",
            from: codicePrivacy),
        softOptIn: .directive(
            sale: Rule(
                "IT-130-4", "IT", "D.Lgs 196/2003 art. 130(4)",
                "Soft spam: an email address supplied in the context of a sale may be used for the seller's own similar products, with an opt-out at collection and in each message; not for SMS.",
                from: codicePrivacy),
            duration: EuropeanUnionLaw.softOptInDuration,
            saleContexts: [.sale], window: .euPolicyMonths, channels: [.email]),
        businessSubscribers: .likeIndividuals(EuropeanUnionLaw.businessSubscribers),
        liveCalls: [LiveCallEra(
            from: codicePrivacy,
            individuals: .consent(EuropeanUnionLaw.otherCalls), businesses: .consent(EuropeanUnionLaw.otherCalls))]))
}
