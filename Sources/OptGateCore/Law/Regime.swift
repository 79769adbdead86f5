/// How one jurisdiction's law treats one kind of message: the alternative legal bases that can
/// ground it, the conditions that bar it whatever its basis, and what an allowed message must carry.
///
/// Regimes are immutable data built once per rule book and shared by reference; the engine
/// interprets them. A jurisdiction's file reads as a list of regimes, each naming the rules it applies.
public final class Regime: Sendable {
    /// Alternative bases, in order of preference: the first that holds is the decision's basis.
    public let routes: [BasisRoute]
    /// Conditions that deny the send whatever its basis.
    public let bars: [Bar]
    /// What an allowed message must carry or what must be done.
    public let requirements: Requirements
    /// Reasons always attached to a decision under this regime (for example "jurisdiction unknown").
    public let notes: [Reason]
    /// The consent terms of the first consent route, used to tell whether a later consent lifts an
    /// earlier opt-out or register listing.
    let consentTerms: ConsentTerms?

    public init(routes: [BasisRoute], bars: [Bar], requirements: Requirements, notes: [Reason] = []) {
        self.routes = routes
        self.bars = bars
        self.requirements = requirements
        self.notes = notes
        var terms: ConsentTerms?
        for route in routes {
            if case .consent(let consent) = route { terms = consent; break }
        }
        consentTerms = terms
    }
}

/// One way a send can be lawful.
public enum BasisRoute: Sendable {
    case consent(ConsentTerms)
    case softOptIn(SoftOptInTerms)
    case charitySoftOptIn(CharitySoftOptInTerms)
    case impliedConsent(ImpliedConsentTerms)
    /// The law needs no consent for this send; `code` says why.
    case noConsentNeeded(Rule, ReasonCode)
    /// No consent for a business address when the message relates to the recipient's role.
    case businessRelevant(Rule)
}

/// A condition that denies a send whatever its basis.
public enum Bar: Sendable {
    /// The sender's identity is disguised or concealed.
    case senderConcealed(Rule)
    /// The message has no free, simple way to opt out.
    case noOptOutInMessage(Rule)
    /// The person objected: an opt-out, a withdrawal, or a refusal when giving their details. Lifted
    /// only by a later valid consent that covers the message.
    case objection(Rule)
    /// A national preference register.
    case register(RegisterBar)
    /// A Global Privacy Control signal opts out of sale and sharing for advertising.
    case globalPrivacyControl(Rule)
    /// The sender's own frequency cap.
    case frequencyCap(Rule)
}

/// The terms below are immutable classes: routes and bars are copied on every decision, and a
/// reference copies in one retain where a struct of rules would take one per rule.

/// A preference register that bars a send once the listing binds.
public final class RegisterBar: Sendable {
    public let registers: [PreferenceRegister]
    /// Days after listing before the listing binds (PECR reg 21(3): 28 for TPS/CTPS).
    public let bindsAfterDays: Int
    public let rule: Rule
    /// When set, the person's own consent to this caller lifts the bar (PECR reg 21(4)).
    public let liftedByConsent: Rule?
    /// The purposes the register covers; nil for every purpose.
    public let purposes: Set<Purpose>?

    public init(
        _ registers: [PreferenceRegister], bindsAfterDays: Int = 0, rule: Rule, liftedByConsent: Rule? = nil,
        purposes: Set<Purpose>? = nil
    ) {
        self.registers = registers
        self.bindsAfterDays = bindsAfterDays
        self.rule = rule
        self.liftedByConsent = liftedByConsent
        self.purposes = purposes
    }
}

/// What makes a consent valid for a send, and which rules a failure cites.
public final class ConsentTerms: Sendable {
    /// The rule that makes consent a basis (e.g. PECR reg 22(2)).
    public let basis: Rule
    /// The definition a valid consent meets: a clear affirmative act (GDPR Art 4(11), Recital 32).
    public let definition: Rule
    /// Consent must be specific: to the channel, the purpose and the named sender.
    public let specificity: Rule
    /// Only a signed, written agreement counts (TCPA prior express written consent).
    public let mustBeWritten: Rule?
    /// Consent collected by a third party for the sender is relied on for this long (policy months).
    public let indirectConsentLapses: Rule?

    public init(basis: Rule, definition: Rule, specificity: Rule, mustBeWritten: Rule? = nil, indirectConsentLapses: Rule? = nil) {
        self.basis = basis
        self.definition = definition
        self.specificity = specificity
        self.mustBeWritten = mustBeWritten
        self.indirectConsentLapses = indirectConsentLapses
    }
}

/// The existing-customer exception: PECR reg 22(3) and its EU counterparts.
public final class SoftOptInTerms: Sendable {
    /// How long the exception lasts.
    public enum Window: Sendable {
        /// The policy's `uk_soft_opt_in_months` after the latest qualifying sale or negotiation.
        case ukPolicyMonths
        /// The policy's `eu_soft_opt_in_months` after the latest qualifying sale.
        case euPolicyMonths
        /// Ireland, S.I. 336/2011 reg 13(11): the first message within 12 months of the sale, kept
        /// alive by use within each following 12 months.
        case irishTwelveMonthsKeptAliveByUse
    }

    /// Obtained in the course of a sale or negotiations for a sale.
    public let sale: Rule
    /// Own similar products only.
    public let similarProducts: Rule
    /// A means of refusing offered when the details were collected.
    public let refusalAtCollection: Rule
    /// A means of refusing offered in every message.
    public let refusalInEveryMessage: Rule
    /// Obtained directly, by the sender itself.
    public let obtainedDirectly: Rule
    /// Not for non-commercial promotion (fundraising, campaigning).
    public let commercialOnly: Rule
    /// The time limit.
    public let duration: Rule
    public let window: Window
    /// Contexts that count as a sale.
    public let saleContexts: Set<DetailsCollected.Context>
    /// Contexts that count as negotiations for a sale.
    public let negotiationContexts: Set<DetailsCollected.Context>
    /// Whether an abandoned checkout counts as negotiations when the policy does not say. It can
    /// only ever count where the law accepts negotiations at all (`negotiationContexts` non-empty).
    public let abandonedCheckoutDefault: Bool
    /// Channels the exception extends to.
    public let channels: ChannelSet

    public init(
        sale: Rule, similarProducts: Rule, refusalAtCollection: Rule, refusalInEveryMessage: Rule,
        obtainedDirectly: Rule, commercialOnly: Rule, duration: Rule, window: Window,
        saleContexts: Set<DetailsCollected.Context>, negotiationContexts: Set<DetailsCollected.Context>,
        abandonedCheckoutDefault: Bool, channels: ChannelSet
    ) {
        self.sale = sale
        self.similarProducts = similarProducts
        self.refusalAtCollection = refusalAtCollection
        self.refusalInEveryMessage = refusalInEveryMessage
        self.obtainedDirectly = obtainedDirectly
        self.commercialOnly = commercialOnly
        self.duration = duration
        self.window = window
        self.saleContexts = saleContexts
        self.negotiationContexts = negotiationContexts
        self.abandonedCheckoutDefault = abandonedCheckoutDefault
        self.channels = channels
    }
}

extension SoftOptInTerms {
    /// The same terms with another sale rule and channels (the Dutch customer exception for calls).
    public func with(sale: Rule, channels: ChannelSet) -> SoftOptInTerms {
        SoftOptInTerms(
            sale: sale, similarProducts: similarProducts, refusalAtCollection: refusalAtCollection,
            refusalInEveryMessage: refusalInEveryMessage, obtainedDirectly: obtainedDirectly, commercialOnly: commercialOnly,
            duration: duration, window: window, saleContexts: saleContexts, negotiationContexts: negotiationContexts,
            abandonedCheckoutDefault: abandonedCheckoutDefault, channels: channels)
    }
}

/// The charity soft opt-in: PECR reg 22(3A), inserted by the Data (Use and Access) Act 2025 s.114.
public final class CharitySoftOptInTerms: Sendable {
    /// The exception itself, with its commencement date as `inForceFrom`.
    public let exception: Rule
    /// Registered charities only (reg 22(5)).
    public let charitiesOnly: Rule
    /// Sole purpose: furthering the charity's charitable purposes.
    public let charitablePurposeOnly: Rule
    /// Details obtained directly from the person expressing interest or offering support.
    public let obtainedDirectly: Rule
    /// Opt-out offered at collection and in every message.
    public let refusal: Rule
    /// Not retrospective: only details obtained on or after commencement.
    public let notRetrospective: Rule
    /// Not to promote other organisations.
    public let ownPurposesOnly: Rule
    /// How long it lasts (the policy's `uk_soft_opt_in_months`).
    public let duration: Rule

    public init(
        exception: Rule, charitiesOnly: Rule, charitablePurposeOnly: Rule, obtainedDirectly: Rule, refusal: Rule,
        notRetrospective: Rule, ownPurposesOnly: Rule, duration: Rule
    ) {
        self.exception = exception
        self.charitiesOnly = charitiesOnly
        self.charitablePurposeOnly = charitablePurposeOnly
        self.obtainedDirectly = obtainedDirectly
        self.refusal = refusal
        self.notRetrospective = notRetrospective
        self.ownPurposesOnly = ownPurposesOnly
        self.duration = duration
    }
}

/// CASL implied consent: an existing business relationship or conspicuous publication (s.10(9)).
public final class ImpliedConsentTerms: Sendable {
    public let purchase: Rule
    public let inquiry: Rule
    public let publication: Rule
    public let purchaseContexts: Set<DetailsCollected.Context>
    public let inquiryContexts: Set<DetailsCollected.Context>
    public let purchaseYears: Int
    public let inquiryMonths: Int

    public init(
        purchase: Rule, inquiry: Rule, publication: Rule, purchaseContexts: Set<DetailsCollected.Context>,
        inquiryContexts: Set<DetailsCollected.Context>, purchaseYears: Int, inquiryMonths: Int
    ) {
        self.purchase = purchase
        self.inquiry = inquiry
        self.publication = publication
        self.purchaseContexts = purchaseContexts
        self.inquiryContexts = inquiryContexts
        self.purchaseYears = purchaseYears
        self.inquiryMonths = inquiryMonths
    }
}
