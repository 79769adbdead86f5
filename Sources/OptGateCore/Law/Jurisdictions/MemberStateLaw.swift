/// The law of one EU member state: the ePrivacy Directive as that state transposed it.
///
/// A member state is described by `MemberStateLaw.Terms`, plain data naming its rules; the regimes
/// are assembled from it once. Each documented variant lives in its own file (`Ireland.swift`, ...).
public final class MemberStateLaw: JurisdictionLaw {
    /// How the state treats electronic mail to business (legal-person) subscribers.
    public enum BusinessSubscribers: Sendable {
        /// Like individuals: consent or the soft opt-in.
        case likeIndividuals(Rule)
        /// No consent where the message relates to the recipient's role or profession (opt-out model).
        case optOutIfRelevantToRole(Rule)
    }

    /// The rule for live marketing calls from a date on.
    public struct LiveCallEra: Sendable {
        public enum Law: Sendable {
            /// Prior consent needed.
            case consent(Rule)
            /// No consent; listings on these registers bar the call.
            case optOut(Rule, registers: [PreferenceRegister], registerRule: Rule)
            /// Consent, or a customer relationship within the soft opt-in window (Dutch customer exception).
            case consentOrCustomer(Rule, customerException: Rule)
        }

        public var from: Timestamp
        public var individuals: Law
        public var businesses: Law

        public init(from: Timestamp, individuals: Law, businesses: Law) {
            self.from = from
            self.individuals = individuals
            self.businesses = businesses
        }
    }

    /// What a member state file fills in.
    public struct Terms: Sendable {
        public var country: String
        public var ruleSetName: String
        /// The national opt-in rule for electronic mail, automated calls and fax.
        public var consent: Rule
        /// The national existing-customer exception.
        public var softOptIn: SoftOptInTerms
        public var businessSubscribers: BusinessSubscribers
        /// In date order; the first era should start at or before the Directive.
        public var liveCalls: [LiveCallEra]
        /// Registers that bar live calls in every era (e.g. Ireland's NDD).
        public var callRegisters: [PreferenceRegister]
        public var callRegisterRule: Rule?
        /// Requirements added to every allowed marketing message.
        public var extraRequirements: Requirements
        /// National rules beyond those named above, for the catalogue.
        public var otherRules: [Rule]

        public init(
            country: String, ruleSetName: String, consent: Rule, softOptIn: SoftOptInTerms,
            businessSubscribers: BusinessSubscribers, liveCalls: [LiveCallEra], callRegisters: [PreferenceRegister] = [],
            callRegisterRule: Rule? = nil, extraRequirements: Requirements = [], otherRules: [Rule] = []
        ) {
            self.country = country
            self.ruleSetName = ruleSetName
            self.consent = consent
            self.softOptIn = softOptIn
            self.businessSubscribers = businessSubscribers
            self.liveCalls = liveCalls
            self.callRegisters = callRegisters
            self.callRegisterRule = callRegisterRule
            self.extraRequirements = extraRequirements
            self.otherRules = otherRules
        }
    }

    public let terms: Terms
    public let rules: [Rule]
    private let electronicIndividual: Regime
    private let electronicBusiness: Regime
    private let consentOnly: Regime
    private let liveCallEras: [(from: Timestamp, individuals: Regime, businesses: Regime)]
    private let postRegime: Regime
    private let onlineAd: Regime

    public init(_ terms: Terms) {
        typealias EU = EuropeanUnionLaw
        self.terms = terms
        let consentTerms = ConsentTerms(basis: terms.consent, definition: EU.consentDefinition, specificity: EU.consentSpecificity)
        let cap = Bar.frequencyCap(UnitedKingdomLaw.frequencyCap)
        let electronicBars: [Bar] = [
            .senderConcealed(EU.identity), .noOptOutInMessage(EU.rightToObjectNotice), .objection(EU.objection), cap,
        ]
        let requirements = Requirements([.includeOptOut, .identifySender]).union(terms.extraRequirements)
        electronicIndividual = Regime(
            routes: [.consent(consentTerms), .softOptIn(terms.softOptIn)], bars: electronicBars, requirements: requirements)
        switch terms.businessSubscribers {
        case .likeIndividuals:
            electronicBusiness = electronicIndividual
        case .optOutIfRelevantToRole(let rule):
            electronicBusiness = Regime(
                routes: [.consent(consentTerms), .softOptIn(terms.softOptIn), .businessRelevant(rule)],
                bars: electronicBars, requirements: requirements.union([.legitimateInterests]))
        }
        consentOnly = Regime(routes: [.consent(consentTerms)], bars: electronicBars, requirements: requirements)

        var callBars: [Bar] = [.senderConcealed(EU.identity), .noOptOutInMessage(EU.rightToObjectNotice), .objection(EU.objection), cap]
        if let rule = terms.callRegisterRule, !terms.callRegisters.isEmpty {
            callBars.append(.register(RegisterBar(terms.callRegisters, rule: rule)))
        }
        func callRegime(_ law: LiveCallEra.Law) -> Regime {
            switch law {
            case .consent(let rule):
                return Regime(
                    routes: [.consent(ConsentTerms(basis: rule, definition: EU.consentDefinition, specificity: EU.consentSpecificity))],
                    bars: callBars, requirements: requirements.union([.keepConsentRecord]))
            case .optOut(let rule, let registers, let registerRule):
                return Regime(
                    routes: [.consent(consentTerms), .noConsentNeeded(rule, .noConsentLiveCall)],
                    bars: callBars + [.register(RegisterBar(registers, rule: registerRule))],
                    requirements: requirements.union([.screenDoNotCallRegister]))
            case .consentOrCustomer(let rule, let exception):
                let customer = terms.softOptIn.with(sale: exception, channels: [.liveCall])
                return Regime(
                    routes: [.consent(ConsentTerms(basis: rule, definition: EU.consentDefinition, specificity: EU.consentSpecificity)),
                             .softOptIn(customer)],
                    bars: callBars, requirements: requirements)
            }
        }
        liveCallEras = terms.liveCalls.map { ($0.from, callRegime($0.individuals), callRegime($0.businesses)) }
        postRegime = Regime(
            routes: [.noConsentNeeded(EU.post, .noConsentPost)],
            bars: [.senderConcealed(EU.post), .noOptOutInMessage(EU.rightToObjectNotice), .objection(EU.objection), cap],
            requirements: [.identifySender, .includeOptOut, .legitimateInterests])
        onlineAd = Regime(
            routes: [.consent(ConsentTerms(basis: EU.customAudiences, definition: EU.consentDefinition, specificity: EU.consentSpecificity))],
            bars: [.objection(EU.objection), .globalPrivacyControl(EU.privacySignal)], requirements: [])

        var rules = EU.rules + [terms.consent, terms.softOptIn.sale, terms.softOptIn.duration] + terms.otherRules
        switch terms.businessSubscribers {
        case .likeIndividuals(let rule), .optOutIfRelevantToRole(let rule): rules.append(rule)
        }
        for era in terms.liveCalls {
            for law in [era.individuals, era.businesses] {
                switch law {
                case .consent(let rule): rules.append(rule)
                case .optOut(let rule, _, let registerRule): rules += [rule, registerRule]
                case .consentOrCustomer(let rule, let exception): rules += [rule, exception]
                }
            }
        }
        if let rule = terms.callRegisterRule { rules.append(rule) }
        var seen = Set<String>()
        self.rules = rules.filter { seen.insert($0.id).inserted }
    }

    public var outsideMarketing: Rule { EuropeanUnionLaw.outsideMarketingRule }

    public func ruleSetName(at instant: Timestamp) -> String { terms.ruleSetName }

    public func regime(channel: Channel, purpose: Purpose, subscriber: SubscriberType, at instant: Timestamp) -> Regime {
        switch channel {
        case .email, .sms, .voicemail, .inApp, .socialDM:
            return subscriber.isCorporate ? electronicBusiness : electronicIndividual
        case .automatedCall, .fax:
            return consentOnly
        case .liveCall:
            var current = liveCallEras[0]
            for era in liveCallEras where era.from <= instant { current = era }
            return subscriber.isCorporate ? current.businesses : current.individuals
        case .post:
            return postRegime
        case .onlineAd:
            return onlineAd
        }
    }
}

extension MemberStateLaw {
    /// The Directive's own terms, for member states without a documented variant.
    static func directiveDefault(_ country: String) -> MemberStateLaw {
        MemberStateLaw(Terms(
            country: country, ruleSetName: "\(country)/ePrivacy Art 13 + GDPR Art 21",
            consent: EuropeanUnionLaw.consent,
            softOptIn: .directive(sale: EuropeanUnionLaw.softOptIn, duration: EuropeanUnionLaw.softOptInDuration,
                                  saleContexts: [.sale, .freeAccount], window: .euPolicyMonths),
            businessSubscribers: .likeIndividuals(EuropeanUnionLaw.businessSubscribers),
            liveCalls: [LiveCallEra(from: EuropeanUnionLaw.directive, individuals: .consent(EuropeanUnionLaw.otherCalls),
                                    businesses: .consent(EuropeanUnionLaw.otherCalls))]))
    }
}

extension SoftOptInTerms {
    /// A national soft opt-in on the Directive's pattern: one national rule for the sale limb, the
    /// Directive and GDPR for the rest.
    static func directive(
        sale: Rule, duration: Rule, saleContexts: Set<DetailsCollected.Context>, window: Window,
        channels: ChannelSet = .electronicMail
    ) -> SoftOptInTerms {
        SoftOptInTerms(
            sale: sale, similarProducts: sale, refusalAtCollection: sale, refusalInEveryMessage: EuropeanUnionLaw.rightToObjectNotice,
            obtainedDirectly: sale, commercialOnly: sale, duration: duration, window: window,
            saleContexts: saleContexts, negotiationContexts: [], abandonedCheckoutDefault: false, channels: channels)
    }
}
