/// Conditions that deny a send whatever its basis: the person's objections, binding register
/// listings, privacy signals, and messages that hide the sender or offer no way out.
enum BarCheck {
    /// Appends failures (which deny) and notes (which explain) for one bar; narrows `validUntil` to
    /// the moment a pending listing starts to bind.
    static func evaluate(
        _ bar: Bar, _ input: DecisionInput, consentTerms: ConsentTerms?,
        failures: inout [Reason], notes: inout [Reason], validUntil: inout Timestamp?
    ) {
        let message = input.message
        switch bar {
        case .senderConcealed(let rule):
            if !message.identifiesSender { failures.append(Reason(.senderConcealed, rule)) }

        case .noOptOutInMessage(let rule):
            if !message.includesOptOut { failures.append(Reason(.noOptOutInMessage, rule)) }

        case .objection(let rule):
            objections(rule, input, consentTerms: consentTerms, failures: &failures)

        case .register(let register):
            registerListing(register, input, consentTerms: consentTerms, failures: &failures, notes: &notes, validUntil: &validUntil)

        case .globalPrivacyControl(let rule):
            var latest: (index: Int, at: Timestamp, value: Bool)?
            input.forEachPastEvent { index, event in
                guard case .gpcSignal(let value) = event.kind else { return }
                if latest == nil || event.at >= latest!.at { latest = (index, event.at, value) }
            }
            if let signal = latest, signal.value {
                failures.append(Reason(.gpcOptOut, rule, Evidence(eventIndex: signal.index, eventAt: signal.at)))
            }

        case .frequencyCap(let rule):
            frequency(rule, input, failures: &failures)
        }
    }

    /// The sender's policy cap and the person's own limit (the latest `frequency_set` covering this
    /// sender and channel), each against the marketing messages sent in the last 30 days.
    private static func frequency(_ rule: Rule, _ input: DecisionInput, failures: inout [Reason]) {
        let message = input.message
        var preference: (index: Int, at: Timestamp, max: Int?)?
        input.forEachPastEvent { index, event in
            guard case .frequencySet(let set) = event.kind, set.covers(entity: message.from, channel: message.channel) else { return }
            if preference == nil || event.at >= preference!.at { preference = (index, event.at, set.maxPer30Days) }
        }
        let cap = input.organisation.policy.maxMarketingPer30Days
        // The latest preference wins; one without a limit lifts the earlier ones.
        let personal = preference.flatMap { p in p.max.map { (index: p.index, at: p.at, max: $0) } }
        guard cap != nil || personal != nil else { return }
        let windowStart = input.now.adding(days: -30)
        var count = 0
        input.forEachPastEvent { _, event in
            guard case .marketingSent(let sent) = event.kind, sent.by == message.from,
                  sent.channel == message.channel, event.at > windowStart
            else { return }
            count += 1
        }
        if let cap, count >= cap {
            failures.append(Reason(.frequencyCapReached, rule, Evidence(entity: message.from, channel: message.channel, count: count)))
        }
        if let preference = personal, count >= preference.max {
            failures.append(Reason(.frequencyPreferenceReached, UnitedKingdomLaw.frequencyPreference, Evidence(
                eventIndex: preference.index, eventAt: preference.at, entity: message.from, channel: message.channel, count: count)))
        }
    }

    /// Opt-outs, withdrawals and refusals at collection that cover this message and that no later
    /// valid consent lifted.
    private static func objections(_ rule: Rule, _ input: DecisionInput, consentTerms: ConsentTerms?, failures: inout [Reason]) {
        let message = input.message
        var consentAt: Timestamp?
        var consentComputed = false
        func lifted(_ at: Timestamp) -> Bool {
            guard let terms = consentTerms else { return false }
            if !consentComputed {
                consentAt = ConsentCheck.latestValidConsent(terms, input)
                consentComputed = true
            }
            return consentAt.map { $0 > at } ?? false
        }
        input.forEachPastEvent { index, event in
            switch event.kind {
            case .optOut(let optOut):
                if let channels = optOut.channels, !channels.contains(message.channel) { return }
                if let entity = optOut.entity, !input.concernsMessageEntity(entity) { return }
                if let products = optOut.products {
                    // A product-scoped opt-out covers messages promoting any of those products.
                    guard message.products.contains(where: { products.contains($0) }) else { return }
                }
                // A pause lapses at its end; it binds until then.
                guard optOut.binds(at: input.now), !lifted(event.at) else { return }
                failures.append(Reason(.optedOut, rule, Evidence(
                    eventIndex: index, eventAt: event.at, date: optOut.until, entity: optOut.entity,
                    product: optOut.products?.first, channel: message.channel, route: optOut.via)))
            case .detailsCollected(let details):
                guard details.refused, details.channels.contains(message.channel),
                      input.concernsMessageEntity(details.by), !lifted(event.at)
                else { return }
                failures.append(Reason(.refusedAtCollection, rule, Evidence(eventIndex: index, eventAt: event.at, entity: details.by)))
            default:
                return
            }
        }
    }

    private static func registerListing(
        _ bar: RegisterBar, _ input: DecisionInput, consentTerms: ConsentTerms?,
        failures: inout [Reason], notes: inout [Reason], validUntil: inout Timestamp?
    ) {
        if let purposes = bar.purposes, !purposes.containsByScan(input.message.purpose) { return }
        for register in bar.registers {
            // The register's state at `now`: the latest listing or removal wins.
            var state: (index: Int, at: Timestamp, listed: Bool)?
            input.forEachPastEvent { index, event in
                switch event.kind {
                case .registerListed(let r) where r == register:
                    if state == nil || event.at >= state!.at { state = (index, event.at, true) }
                case .registerRemoved(let r) where r == register:
                    if state == nil || event.at >= state!.at { state = (index, event.at, false) }
                default:
                    return
                }
            }
            guard let listing = state, listing.listed else { continue }
            let binds = listing.at.adding(days: bar.bindsAfterDays)
            let evidence = Evidence(eventIndex: listing.index, eventAt: listing.at, date: binds, register: register)
            if binds > input.now {
                notes.append(Reason(.registerPending, bar.rule, evidence))
                validUntil = validUntil.earliest(binds)
                continue
            }
            if let lift = bar.liftedByConsent, let terms = consentTerms,
               ConsentCheck.latestValidConsent(terms, input) != nil
            {
                notes.append(Reason(.registerOverriddenByConsent, lift, evidence.with { $0.entity = input.message.from }))
                continue
            }
            failures.append(Reason(.registerListed, bar.rule, evidence))
        }
    }
}
