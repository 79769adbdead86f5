/// CASL implied consent (s.10(9), 10(10)): an existing business relationship from a purchase or
/// contract in the last two years or an inquiry in the last six months, or an address conspicuously
/// published where the message relates to the person's role. CASL has no similarity test.
enum ImpliedConsentCheck {
    static func evaluate(_ terms: ImpliedConsentTerms, _ input: DecisionInput) -> RouteOutcome {
        let message = input.message
        var holding: (index: Int, at: Timestamp, code: ReasonCode, rule: Rule, until: Timestamp?, context: DetailsCollected.Context)?
        var failures: [Reason] = []
        input.forEachPastEvent { index, event in
            guard case .detailsCollected(let details) = event.kind, details.channels.contains(message.channel) else { return }
            let here = Evidence(eventIndex: index, eventAt: event.at, entity: details.by, context: details.context)
            if details.from == .publicSource {
                if message.relevantToRole {
                    if holding == nil {
                        holding = (index, event.at, .impliedPublication, terms.publication, nil, details.context)
                    }
                } else {
                    failures.append(Reason(.impliedPublicationNotRelevant, terms.publication, here))
                }
                return
            }
            guard details.by == message.from, details.from == .recipient else { return }
            let window: (code: ReasonCode, expired: ReasonCode, rule: Rule, end: Timestamp)
            if terms.purchaseContexts.containsByScan(details.context) {
                window = (.impliedPurchase, .impliedPurchaseExpired, terms.purchase, event.at.adding(years: terms.purchaseYears))
            } else if terms.inquiryContexts.containsByScan(details.context) {
                window = (.impliedInquiry, .impliedInquiryExpired, terms.inquiry, event.at.adding(months: terms.inquiryMonths))
            } else {
                return
            }
            if window.end <= input.now {
                failures.append(Reason(window.expired, window.rule, here.with { $0.date = window.end }))
            } else if holding == nil || holding!.until.map({ window.end > $0 }) == true {
                holding = (index, event.at, window.code, window.rule, window.end, details.context)
            }
        }
        guard let grant = holding else {
            if failures.isEmpty {
                failures.append(Reason(.impliedNone, terms.purchase, Evidence(entity: message.from)))
            }
            return .fails(failures)
        }
        return RouteOutcome(
            holds: true,
            reasons: [Reason(grant.code, grant.rule, Evidence(
                eventIndex: grant.index, eventAt: grant.at, date: grant.until, entity: message.from, context: grant.context))],
            validUntil: grant.until
        )
    }
}
