/// The Netherlands: Telecommunicatiewet art. 11.7, which protects legal persons as well as natural persons.
extension MemberStateLaw {
    static let dutchTelecomAct = day(2009, 10, 1)
    static let dutchCallOptIn = day(2021, 7, 1)
    static let dutchCustomerCallsEnd = day(2026, 7, 1)

    static let dutchCallConsent = Rule(
        "NL-TEL", "NL", "Telecommunicatiewet art. 11.7 (as amended 2021)",
        "Telemarketing to natural persons (sole traders and partnerships included) needs consent; cold calls to legal persons by a human caller are allowed.",
        from: dutchCallOptIn)

    static let netherlands = MemberStateLaw(Terms(
        country: "NL", ruleSetName: "NL/Telecommunicatiewet 11.7 + GDPR Art 21",
        consent: Rule(
            "NL-11-7", "NL", "Telecommunicatiewet art. 11.7",
            "Unsolicited electronic communications to natural and legal persons need prior consent.",
            from: dutchTelecomAct),
        softOptIn: .directive(
            sale: Rule(
                "NL-11-7-CUSTOMER", "NL", "Telecommunicatiewet art. 11.7(3)",
                "Existing-customer exception: own similar products, an opt-out at collection and in each message.",
                from: dutchTelecomAct),
            duration: Rule(
                "NL-CUST-DUR", "NL", "Dutch Advertising Code (Email) arts 1.3a, 5; RCC Swapfiets",
                "The customer exception is not unlimited in time: policy `eu_soft_opt_in_months` (default 36) after the latest sale.",
                from: dutchTelecomAct),
            saleContexts: [.sale], window: .euPolicyMonths),
        businessSubscribers: .likeIndividuals(Rule(
            "NL-11-7-B2B", "NL", "Telecommunicatiewet art. 11.7",
            "Legal persons are protected like natural persons since 2009.",
            from: dutchTelecomAct)),
        liveCalls: [
            LiveCallEra(
                from: EuropeanUnionLaw.directive,
                individuals: .consent(EuropeanUnionLaw.otherCalls), businesses: .consent(EuropeanUnionLaw.otherCalls)),
            LiveCallEra(
                from: dutchCallOptIn,
                individuals: .consentOrCustomer(dutchCallConsent, customerException: Rule(
                    "NL-TEL-CUSTOMER", "NL", "Telecommunicatiewet art. 11.7 (customer exception for calls)",
                    "Until 30 June 2026, current and former customers (within the soft opt-in window) may be called without consent.",
                    from: dutchCallOptIn, until: dutchCustomerCallsEnd)),
                businesses: .optOut(dutchCallConsent, registers: [], registerRule: dutchCallConsent)),
            LiveCallEra(
                from: dutchCustomerCallsEnd,
                individuals: .consent(Rule(
                    "NL-TEL-2026", "NL", "Telecommunicatiewet art. 11.7 (customer exception lapsed 1 July 2026)",
                    "From 1 July 2026 telemarketing to natural persons needs consent, existing customers included.",
                    from: dutchCustomerCallsEnd)),
                businesses: .optOut(dutchCallConsent, registers: [], registerRule: dutchCallConsent)),
        ]))
}
