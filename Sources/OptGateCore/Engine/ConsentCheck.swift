/// Is there a valid consent for this message? Valid means: a clear affirmative act, specific to the
/// channel and purpose, naming the sender (and any third party promoted), covering the products,
/// unexpired, and in writing where the law wants writing.
enum ConsentCheck {
    /// `explain`: whether a failure must say why (see `DecisionEngine`: routes are first tried without).
    static func evaluate(_ terms: ConsentTerms, _ input: DecisionInput, explain: Bool = true) -> RouteOutcome {
        var best = BestCandidate()
        input.forEachPastConsent { index, at, consent in
            var lapse: Timestamp?
            var sink = explain ? FailureSink.counting : FailureSink.anyFailure
            check(consent, at: at, index: index, terms, input, lapse: &lapse, &sink)
            best.offer(index: index, at: at, failures: sink.count, extra: lapse)
        }
        let message = input.message
        guard let index = best.index else {
            guard explain else { return .fails([]) }
            return .fails([Reason(.consentNone, terms.basis, Evidence(entity: message.from, channel: message.channel, purpose: message.purpose))])
        }
        let event = input.events[index]
        guard case .consentGiven(let consent) = event.kind else { return .fails([]) }
        guard best.failures == 0 else {
            guard explain else { return .fails([]) }
            var lapse: Timestamp?
            var sink = FailureSink.collecting
            check(consent, at: event.at, index: index, terms, input, lapse: &lapse, &sink)
            return .fails(sink.reasons!)
        }
        let until = best.extra
        return RouteOutcome(
            holds: true,
            reasons: [Reason(.consentValid, terms.basis, Evidence(
                eventIndex: index, eventAt: event.at, date: until, entity: message.from,
                channel: message.channel, method: consent.method))],
            validUntil: until,
            requirements: [.keepConsentRecord]
        )
    }

    /// The latest instant at which a fully valid consent covering the message was given, if any.
    static func latestValidConsent(_ terms: ConsentTerms, _ input: DecisionInput) -> Timestamp? {
        var latest: Timestamp?
        input.forEachPastConsent { index, at, consent in
            var lapse: Timestamp?
            var sink = FailureSink.anyFailure
            check(consent, at: at, index: index, terms, input, lapse: &lapse, &sink)
            if sink.count == 0 {
                latest = Swift.max(latest ?? at, at)
            }
        }
        return latest
    }

    /// Every way this consent falls short for this message, into `failures`. `lapse` receives when
    /// it stops being relied on (expiry or the indirect-consent limit).
    private static func check(
        _ consent: ConsentGiven, at: Timestamp, index: Int, _ terms: ConsentTerms, _ input: DecisionInput,
        lapse: inout Timestamp?, _ failures: inout FailureSink
    ) {
        let message = input.message
        func evidence(_ e: Evidence = Evidence()) -> Evidence {
            var e = e
            e.eventIndex = index
            e.eventAt = at
            return e
        }
        if !consent.method.isAffirmative {
            failures.add(Reason(.consentInvalidMethod, terms.definition, evidence(Evidence(method: consent.method))))
        } else if let written = terms.mustBeWritten, !consent.method.isWritten {
            failures.add(Reason(.consentNotWritten, written, evidence(Evidence(method: consent.method))))
        }
        if !consent.channels.contains(message.channel) {
            failures.add(Reason(.consentChannelNotCovered, terms.specificity, evidence(Evidence(channel: message.channel))))
        }
        if !consent.purposes.containsByScan(message.purpose) {
            failures.add(Reason(.consentPurposeNotCovered, terms.specificity, evidence(Evidence(purpose: message.purpose))))
        }
        if !consent.to.contains(message.from) {
            failures.add(Reason(.consentSenderNotNamed, terms.specificity, evidence(Evidence(entity: message.from))))
        }
        if let other = message.onBehalfOf, !consent.to.contains(other) {
            failures.add(Reason(.consentThirdPartyNotNamed, terms.specificity, evidence(Evidence(entity: other))))
        }
        if failures.isSettled { return }
        if let covered = consent.products {
            if message.products.isEmpty {
                failures.add(Reason(.consentProductNotCovered, terms.specificity, evidence(Evidence(product: "(no product named)"))))
            }
            for product in message.products where !covered.contains(product) {
                failures.add(Reason(.consentProductNotCovered, terms.specificity, evidence(Evidence(product: product))))
            }
        }
        if let expiry = consent.expiresAt {
            if expiry <= input.now {
                failures.add(Reason(.consentExpired, terms.basis, evidence(Evidence(date: expiry))))
            }
            lapse = expiry
        }
        if let indirect = terms.indirectConsentLapses, let collector = consent.collectedBy, collector != message.from {
            let end = at.adding(months: input.organisation.policy.ukIndirectConsentMonths)
            if end <= input.now {
                failures.add(Reason(.consentIndirectLapsed, indirect, evidence(Evidence(date: end, entity: collector))))
            }
            lapse = lapse.earliest(end)
        }
    }
}
