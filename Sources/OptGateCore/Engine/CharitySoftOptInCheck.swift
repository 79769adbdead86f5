/// The charity soft opt-in (PECR reg 22(3A)): a registered charity may send messages furthering its
/// charitable purposes to people who gave it their details, directly, while supporting it or
/// expressing interest in its purposes, on or after 5 February 2026, with a refusal offered.
enum CharitySoftOptInCheck {
    static func evaluate(_ terms: CharitySoftOptInTerms, _ input: DecisionInput) -> RouteOutcome {
        let message = input.message
        let commencement = terms.exception.inForceFrom
        if !terms.exception.isInForce(at: input.now) {
            return .fails([Reason(.charityNotInForce, terms.exception, Evidence(date: commencement))])
        }
        // For a sender that is not a charity, that one fact is the whole answer.
        if input.organisation.entities[message.from]?.kind != .charity {
            return .fails([Reason(.charityNotACharity, terms.charitiesOnly, Evidence(entity: message.from))])
        }
        var general: [Reason] = []
        if message.purpose != .fundraising {
            general.append(Reason(.charityNotFundraising, terms.charitablePurposeOnly, Evidence(purpose: message.purpose)))
        } else if let product = message.products.first {
            general.append(Reason(.charityMixedPurpose, terms.charitablePurposeOnly, Evidence(product: product)))
        }
        if let other = message.onBehalfOf {
            general.append(Reason(.charityOtherOrganisation, terms.ownPurposesOnly, Evidence(entity: other)))
        }

        var best = BestCandidate()
        var bestFailures: [Reason] = []
        input.forEachPastEvent { index, event in
            guard case .detailsCollected(let details) = event.kind, details.by == message.from,
                  details.context.isCharitySupport
            else { return }
            var failures: [Reason] = []
            let here = Evidence(eventIndex: index, eventAt: event.at)
            if event.at < commencement {
                failures.append(Reason(.charityBeforeCommencement, terms.notRetrospective, here.with { $0.date = commencement }))
            }
            if details.from != .recipient {
                failures.append(Reason(.charityNotObtainedDirectly, terms.obtainedDirectly, here.with { $0.source = details.from }))
            }
            if !details.channels.contains(message.channel) {
                failures.append(Reason(.charityChannelNotCollected, terms.obtainedDirectly, here.with { $0.channel = message.channel }))
            }
            if !details.refusalOffered {
                failures.append(Reason(.charityNoRefusalOffered, terms.refusal, here))
            }
            if details.refused {
                failures.append(Reason(.charityRefused, terms.refusal, here))
            }
            let end = event.at.adding(months: input.organisation.policy.ukSoftOptInMonths)
            if end <= input.now {
                failures.append(Reason(.charityExpired, terms.duration, here.with { $0.date = end }))
            }
            best.offer(index: index, at: event.at, failures: failures.count, extra: end)
            if best.index == index { bestFailures = failures }
        }

        guard let index = best.index else {
            return .fails(general + [Reason(.charityNoSupport, terms.obtainedDirectly, Evidence(entity: message.from))])
        }
        guard general.isEmpty && best.failures == 0 else { return .fails(general + bestFailures) }
        let event = input.events[index]
        guard case .detailsCollected(let details) = event.kind else { return .fails([]) }
        return RouteOutcome(
            holds: true,
            reasons: [Reason(.charitySupport, terms.exception, Evidence(
                eventIndex: index, eventAt: event.at, date: best.extra, entity: message.from, context: details.context))],
            validUntil: best.extra,
            requirements: [.includeOptOut, .charitablePurposesOnly]
        )
    }
}
