/// Decides whether a message may be sent, on what basis, and why.
///
/// The engine is a pure function of its inputs: no clock (the decision time is an argument), no I/O,
/// no shared mutable state. The same question always gets the same answer, which is what makes a
/// decision replayable years later.
public struct DecisionEngine: Sendable {
    public let ruleBook: RuleBook

    public init(ruleBook: RuleBook = .standard) {
        self.ruleBook = ruleBook
    }

    /// Decides a self-contained scenario.
    public func decide(_ scenario: Scenario) -> Decision {
        decide(
            scenario.message, to: scenario.contact, history: scenario.events, at: scenario.now,
            from: Organisation(entities: scenario.entities, catalogue: scenario.catalogue, policy: scenario.policy)
        )
    }

    /// Decides one message to one contact. `history` may be in any order; events after `now` are ignored.
    public func decide(
        _ message: Message, to contact: Contact, history: [Event], at now: Timestamp, from organisation: Organisation
    ) -> Decision {
        var decision = decideByIndex(message, to: contact, history: history, at: now, from: organisation)
        nameEvents(in: &decision, history)
        return decision
    }

    private func decideByIndex(
        _ message: Message, to contact: Contact, history: [Event], at now: Timestamp, from organisation: Organisation
    ) -> Decision {
        let input = DecisionInput(message: message, contact: contact, events: history, now: now, organisation: organisation)
        let law = ruleBook.law(for: contact.jurisdiction)
        let rules = law.ruleSetName(at: now)

        if !message.purpose.isDirectMarketing || message.solicited {
            let code: ReasonCode = message.solicited && message.purpose.isDirectMarketing ? .notMarketingSolicited : .notMarketingService
            return Decision(
                allowed: true, basis: .notMarketing, reasons: [Reason(code, law.outsideMarketing)],
                requirements: message.purpose.isDirectMarketing ? [.identifySender] : [.noPromotionalContent, .identifySender],
                validUntil: nil, rules: rules
            )
        }

        let regime = law.regime(channel: message.channel, purpose: message.purpose, subscriber: contact.subscriber, at: now)
        let consentTerms = regime.consentTerms
        var failures: [Reason] = []
        var notes: [Reason] = regime.notes
        var validUntil: Timestamp?
        for bar in regime.bars {
            BarCheck.evaluate(bar, input, consentTerms: consentTerms, failures: &failures, notes: &notes, validUntil: &validUntil)
        }

        var routeFailures: [Reason] = []
        // Routes are first tried without explaining failures: most sends are allowed, and the
        // reasons of routes that lose to a later one are never read.
        for route in regime.routes {
            let outcome = evaluate(route, input, explain: false)
            if outcome.holds {
                guard failures.isEmpty else {
                    return denied(regime.notes + failures, rules: rules)
                }
                var requirements = regime.requirements.union(outcome.requirements)
                if message.channel == .email { requirements.insert(.oneClickUnsubscribeHeaders) }
                return Decision(
                    allowed: true, basis: route.basis, reasons: notes.isEmpty ? outcome.reasons : notes + outcome.reasons,
                    requirements: requirements,
                    validUntil: validUntil.earliest(outcome.validUntil), rules: rules
                )
            }
        }
        // No route holds: try them again, this time saying why each fails.
        for route in regime.routes {
            let outcome = evaluate(route, input)
            // Sharing the first failed route's reasons, not copying them, spares an allocation.
            if routeFailures.isEmpty {
                routeFailures = outcome.reasons
            } else {
                routeFailures.append(contentsOf: outcome.reasons)
            }
        }
        return denied(regime.notes + failures + routeFailures, rules: rules)
    }

    private func denied(_ reasons: [Reason], rules: String) -> Decision {
        Decision(allowed: false, basis: nil, reasons: reasons, requirements: [], validUntil: nil, rules: rules)
    }

    /// Names each cited event by its own id where it has one, so a reader can find it in the ledger.
    private func nameEvents(in decision: inout Decision, _ history: [Event]) {
        for i in decision.reasons.indices {
            guard let index = decision.reasons[i].evidence.eventIndex, let id = history[index].id else { continue }
            decision.reasons[i].evidence.eventID = id
        }
    }

    private func evaluate(_ route: BasisRoute, _ input: DecisionInput, explain: Bool = true) -> RouteOutcome {
        switch route {
        case .consent(let terms): return ConsentCheck.evaluate(terms, input, explain: explain)
        case .softOptIn(let terms): return SoftOptInCheck.evaluate(terms, input, explain: explain)
        case .charitySoftOptIn(let terms): return CharitySoftOptInCheck.evaluate(terms, input)
        case .impliedConsent(let terms): return ImpliedConsentCheck.evaluate(terms, input)
        case .noConsentNeeded(let rule, let code):
            return RouteOutcome(holds: true, reasons: [Reason(code, rule, Evidence(channel: input.message.channel))], validUntil: nil)
        case .businessRelevant(let rule):
            let code: ReasonCode = input.message.relevantToRole ? .noConsentBusinessRelevant : .businessNotRelevant
            return RouteOutcome(holds: input.message.relevantToRole, reasons: [Reason(code, rule)], validUntil: nil)
        }
    }
}

extension BasisRoute {
    /// The basis a decision reports when this route holds.
    public var basis: Basis {
        switch self {
        case .consent: return .consent
        case .softOptIn: return .softOptIn
        case .charitySoftOptIn: return .charitySoftOptIn
        case .impliedConsent: return .impliedConsent
        case .noConsentNeeded, .businessRelevant: return .noConsentNeeded
        }
    }
}
