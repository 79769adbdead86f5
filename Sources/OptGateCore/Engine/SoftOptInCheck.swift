/// The existing-customer exception (PECR reg 22(3); ePrivacy Art 13(2) and national laws). Every
/// limb must hold for one collection of the person's details; a denial lists every limb that fails
/// for the collection that came closest.
enum SoftOptInCheck {
    /// `explain`: whether a failure must say why (see `DecisionEngine`: routes are first tried without).
    static func evaluate(_ terms: SoftOptInTerms, _ input: DecisionInput, explain: Bool = true) -> RouteOutcome {
        let message = input.message
        // Fundraising and campaigning are outside the commercial exception altogether.
        if message.purpose != .marketing {
            return .fails([Reason(.softOptInNotCommercial, terms.commercialOnly, Evidence(purpose: message.purpose))])
        }
        var general: [Reason] = []
        if let other = message.onBehalfOf {
            general.append(Reason(.softOptInThirdPartyPromotion, terms.similarProducts, Evidence(entity: other)))
        }
        if !terms.channels.contains(message.channel) {
            general.append(Reason(.softOptInChannelNotCovered, terms.sale, Evidence(channel: message.channel)))
        }
        if message.products.isEmpty {
            general.append(Reason(.softOptInNoProducts, terms.similarProducts))
        }
        if !message.includesOptOut {
            general.append(Reason(.softOptInNoOptOutInMessage, terms.refusalInEveryMessage))
        }

        let abandonedCounts = input.organisation.policy.abandonedCheckoutIsNegotiation ?? terms.abandonedCheckoutDefault
        // Each promoted product with the products it is the same as or similar to, looked up once.
        let similar = message.onBehalfOf == nil ? message.products.map { input.organisation.catalogue.sameOrSimilar($0) } : []
        var best = BestCandidate()
        input.forEachPastDetails { index, at, details in
            var sink = explain ? FailureSink.counting : FailureSink.anyFailure
            let lapse = check(details, at: at, index: index, terms, input, abandonedCounts, similar, &sink)
            best.offer(index: index, at: at, failures: sink.count, extra: lapse)
        }

        guard let index = best.index else {
            guard explain else { return .fails([]) }
            return .fails(general + [Reason(.softOptInNoDetails, terms.sale, Evidence(entity: message.from))])
        }
        let event = input.events[index]
        guard case .detailsCollected(let details) = event.kind else { return .fails([]) }
        guard general.isEmpty && best.failures == 0 else {
            guard explain else { return .fails([]) }
            var sink = FailureSink.collecting
            _ = check(details, at: event.at, index: index, terms, input, abandonedCounts, similar, &sink)
            return .fails(general + sink.reasons!)
        }

        let end = best.extra ?? windowMonths(terms, input).map { best.at.adding(months: $0) }
        let isSale = terms.saleContexts.containsByScan(details.context)
        let matched = similar.first.flatMap { ids in details.products.first(where: ids.contains) }
        return RouteOutcome(
            holds: true,
            reasons: [Reason(isSale ? .softOptInSale : .softOptInNegotiation, terms.sale, Evidence(
                eventIndex: index, eventAt: event.at, date: end, entity: details.by,
                product: message.products.first, matchedProduct: matched, context: details.context))],
            validUntil: end,
            requirements: [.includeOptOut, .similarProductsOnly]
        )
    }

    /// Every limb that fails for one collection of details, into `failures`; returns when the
    /// exception lapses for it.
    private static func check(
        _ details: DetailsCollected, at: Timestamp, index: Int, _ terms: SoftOptInTerms, _ input: DecisionInput,
        _ abandonedCounts: Bool, _ similar: [[String]], _ failures: inout FailureSink
    ) -> Timestamp? {
        let message = input.message
        // The evidence is built only when a reason is (never while candidates are compared).
        var here: Evidence { Evidence(eventIndex: index, eventAt: at) }
        if details.by != message.from {
            failures.add(Reason(.softOptInOtherEntity, terms.obtainedDirectly, here.with { $0.entity = details.by }))
        }
        if details.from != .recipient {
            failures.add(Reason(.softOptInNotObtainedDirectly, terms.obtainedDirectly, here.with { $0.source = details.from }))
        }
        let qualifies = terms.saleContexts.containsByScan(details.context)
            || terms.negotiationContexts.containsByScan(details.context)
            || (details.context == .abandonedCheckout && abandonedCounts && !terms.negotiationContexts.isEmpty)
        if !qualifies {
            failures.add(Reason(.softOptInNoSaleOrNegotiation, terms.sale, here.with {
                $0.context = details.context
                $0.note = cautionNote(details.context)
            }))
        }
        if !details.channels.contains(message.channel) {
            failures.add(Reason(.softOptInChannelNotCollected, terms.sale, here.with { $0.channel = message.channel }))
        }
        if !details.refusalOffered {
            failures.add(Reason(.softOptInNoRefusalOffered, terms.refusalAtCollection, here))
        }
        if details.refused {
            failures.add(Reason(.softOptInRefused, terms.refusalAtCollection, here))
        }
        if failures.isSettled { return nil }
        for (k, product) in similar.indices.lazy.map({ ($0, message.products[$0]) })
        where !details.products.contains(where: { similar[k].contains($0) }) {
            failures.add(Reason(.softOptInDissimilarProduct, terms.similarProducts, here.with { $0.product = product }))
        }
        if failures.isSettled { return nil }
        return lapseDate(terms, input, saleAt: at, index: index, failures: &failures)
    }

    /// The policy's window in months, or nil for a window that is not a fixed number of months.
    private static func windowMonths(_ terms: SoftOptInTerms, _ input: DecisionInput) -> Int? {
        switch terms.window {
        case .ukPolicyMonths: return input.organisation.policy.ukSoftOptInMonths
        case .euPolicyMonths: return input.organisation.policy.euSoftOptInMonths
        case .irishTwelveMonthsKeptAliveByUse: return nil
        }
    }

    /// When the exception lapses for a sale at `saleAt` (nil: not needed to compare candidates,
    /// computed for the winner); appends the failure if it already has.
    private static func lapseDate(
        _ terms: SoftOptInTerms, _ input: DecisionInput, saleAt: Timestamp, index: Int, failures: inout FailureSink
    ) -> Timestamp? {
        var here: Evidence { Evidence(eventIndex: index, eventAt: saleAt) }
        switch terms.window {
        case .ukPolicyMonths, .euPolicyMonths:
            let months = windowMonths(terms, input)!
            // A month has 28 to 31 days: away from the boundary, the calendar need not be consulted.
            // The exact end is then computed only for the candidate that wins (see `evaluate`).
            if saleAt.adding(days: 31 * months) <= input.now {
                failures.add(Reason(.softOptInExpired, terms.duration, here.with { $0.date = saleAt.adding(months: months) }))
                return nil
            }
            if saleAt.adding(days: 28 * months) > input.now { return nil }
            let end = saleAt.adding(months: months)
            if end <= input.now {
                failures.add(Reason(.softOptInExpired, terms.duration, here.with { $0.date = end }))
            }
            return end
        case .irishTwelveMonthsKeptAliveByUse:
            // The first message must go within 12 months of the sale; each use within a 12-month
            // period keeps the details usable for the next 12 months.
            var lastUse = saleAt
            var usedAfterSale = false
            var extended = true
            while extended {
                extended = false
                let limit = lastUse.adding(months: 12)
                input.forEachPastEvent { _, event in
                    guard case .marketingSent(let sent) = event.kind, sent.by == input.message.from,
                          ChannelSet.electronicMail.contains(sent.channel),
                          event.at > lastUse, event.at <= limit
                    else { return }
                    lastUse = event.at
                    usedAfterSale = true
                    extended = true
                }
            }
            let end = lastUse.adding(months: 12)
            if end <= input.now {
                let code: ReasonCode = usedAfterSale ? .softOptInExpired : .softOptInFirstMessageTooLate
                failures.add(Reason(code, terms.duration, here.with { $0.date = end }))
            }
            return end
        }
    }

    /// Why a context that could look like a sale is not treated as one, where the law is unsettled.
    private static func cautionNote(_ context: DetailsCollected.Context) -> StaticString? {
        switch context {
        case .freeAccount:
            return "no UK or national ruling treats a free account as a sale here; the cautious answer is taken"
        case .freeTrial:
            return "no ruling treats a free trial as a sale here; the cautious answer is taken"
        case .competitionEntry:
            return "a competition to win a free product is not a sale"
        case .abandonedCheckout:
            return "an abandoned checkout is at most negotiations, which do not qualify here unless the law and the policy count them"
        default:
            return nil
        }
    }
}

extension SoftOptInTerms.Window {
    var isUK: Bool {
        if case .ukPolicyMonths = self { return true }
        return false
    }
}

extension Evidence {
    /// A copy with some fields changed.
    @inline(__always)
    func with(_ change: (inout Evidence) -> Void) -> Evidence {
        var copy = self
        change(&copy)
        return copy
    }
}
