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

/// A preference register that bars a send once the listing binds.
public struct RegisterBar: Sendable {
    public var registers: [PreferenceRegister]
    /// Days after listing before the listing binds (PECR reg 21(3): 28 for TPS/CTPS).
    public var bindsAfterDays: Int
    public var rule: Rule
    /// When set, the person's own consent to this caller lifts the bar (PECR reg 21(4)).
    public var liftedByConsent: Rule?
    /// The purposes the register covers; nil for every purpose.
    public var purposes: Set<Purpose>?

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
public struct ConsentTerms: Sendable {
    /// The rule that makes consent a basis (e.g. PECR reg 22(2)).
    public var basis: Rule
    /// The definition a valid consent meets: a clear affirmative act (GDPR Art 4(11), Recital 32).
    public var definition: Rule
    /// Consent must be specific: to the channel, the purpose and the named sender.
    public var specificity: Rule
    /// Only a signed, written agreement counts (TCPA prior express written consent).
    public var mustBeWritten: Rule?
    /// Consent collected by a third party for the sender is relied on for this long (policy months).
    public var indirectConsentLapses: Rule?

    public init(basis: Rule, definition: Rule, specificity: Rule, mustBeWritten: Rule? = nil, indirectConsentLapses: Rule? = nil) {
        self.basis = basis
        self.definition = definition
        self.specificity = specificity
        self.mustBeWritten = mustBeWritten
        self.indirectConsentLapses = indirectConsentLapses
    }
}

/// The existing-customer exception: PECR reg 22(3) and its EU counterparts.
public struct SoftOptInTerms: Sendable {
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
    public var sale: Rule
    /// Own similar products only.
    public var similarProducts: Rule
    /// A means of refusing offered when the details were collected.
    public var refusalAtCollection: Rule
    /// A means of refusing offered in every message.
    public var refusalInEveryMessage: Rule
    /// Obtained directly, by the sender itself.
    public var obtainedDirectly: Rule
    /// Not for non-commercial promotion (fundraising, campaigning).
    public var commercialOnly: Rule
    /// The time limit.
    public var duration: Rule
    public var window: Window
    /// Contexts that count as a sale.
    public var saleContexts: Set<DetailsCollected.Context>
    /// Contexts that count as negotiations for a sale.
    public var negotiationContexts: Set<DetailsCollected.Context>
    /// Whether an abandoned checkout counts as negotiations when the policy does not say. It can
    /// only ever count where the law accepts negotiations at all (`negotiationContexts` non-empty).
    public var abandonedCheckoutDefault: Bool
    /// Channels the exception extends to.
    public var channels: ChannelSet

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

/// The charity soft opt-in: PECR reg 22(3A), inserted by the Data (Use and Access) Act 2025 s.114.
public struct CharitySoftOptInTerms: Sendable {
    /// The exception itself, with its commencement date as `inForceFrom`.
    public var exception: Rule
    /// Registered charities only (reg 22(5)).
    public var charitiesOnly: Rule
    /// Sole purpose: furthering the charity's charitable purposes.
    public var charitablePurposeOnly: Rule
    /// Details obtained directly from the person expressing interest or offering support.
    public var obtainedDirectly: Rule
    /// Opt-out offered at collection and in every message.
    public var refusal: Rule
    /// Not retrospective: only details obtained on or after commencement.
    public var notRetrospective: Rule
    /// Not to promote other organisations.
    public var ownPurposesOnly: Rule
    /// How long it lasts (the policy's `uk_soft_opt_in_months`).
    public var duration: Rule

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
public struct ImpliedConsentTerms: Sendable {
    public var purchase: Rule
    public var inquiry: Rule
    public var publication: Rule
    public var purchaseContexts: Set<DetailsCollected.Context>
    public var inquiryContexts: Set<DetailsCollected.Context>
    public var purchaseYears: Int
    public var inquiryMonths: Int

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
