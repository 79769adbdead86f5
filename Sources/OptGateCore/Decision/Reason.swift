/// One line of a decision's explanation: a stable code, the rule it applies, and the evidence.
///
/// The human-readable `detail` is rendered from the structured evidence when asked for, so deciding
/// millions of messages builds no text that nobody reads.
public struct Reason: Hashable, Sendable {
    public var code: ReasonCode
    public var rule: Rule
    public var evidence: Evidence

    public init(_ code: ReasonCode, _ rule: Rule, _ evidence: Evidence = Evidence()) {
        self.code = code
        self.rule = rule
        self.evidence = evidence
    }

    /// The sentence a person reads, naming the evidence (which event, which date, which product).
    public var detail: String { ReasonText.detail(for: self) }

    public static func == (lhs: Reason, rhs: Reason) -> Bool {
        lhs.code == rhs.code && lhs.rule === rhs.rule && lhs.evidence == rhs.evidence
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(rule.id)
        hasher.combine(evidence)
    }
}

/// The facts a reason points at. Every field is optional; each reason code uses the ones it needs.
public struct Evidence: Hashable, Sendable {
    /// Position of the event in the contact's history (0-based, as given).
    public var eventIndex: Int?
    /// The event's own id, when it has one (filled in by the engine from `eventIndex`).
    public var eventID: String?
    /// When the event happened.
    public var eventAt: Timestamp?
    /// A date the reason turns on: a window's end, a register's binding date, a consent's expiry.
    public var date: Timestamp?
    public var entity: String?
    public var product: String?
    /// The product it was matched against (similarity), or the one that is missing.
    public var matchedProduct: String?
    public var channel: Channel?
    public var context: DetailsCollected.Context?
    public var source: DetailsCollected.Source?
    public var method: ConsentGiven.Method?
    public var route: OptOut.Route?
    public var register: PreferenceRegister?
    public var purpose: Purpose?
    public var count: Int?
    /// A fixed explanatory note, e.g. why the cautious answer was taken.
    public var note: StaticString?

    public init(
        eventIndex: Int? = nil, eventAt: Timestamp? = nil, date: Timestamp? = nil, entity: String? = nil,
        product: String? = nil, matchedProduct: String? = nil, channel: Channel? = nil,
        context: DetailsCollected.Context? = nil, source: DetailsCollected.Source? = nil,
        method: ConsentGiven.Method? = nil, route: OptOut.Route? = nil, register: PreferenceRegister? = nil,
        purpose: Purpose? = nil, count: Int? = nil, note: StaticString? = nil
    ) {
        self.eventIndex = eventIndex
        self.eventAt = eventAt
        self.date = date
        self.entity = entity
        self.product = product
        self.matchedProduct = matchedProduct
        self.channel = channel
        self.context = context
        self.source = source
        self.method = method
        self.route = route
        self.register = register
        self.purpose = purpose
        self.count = count
        self.note = note
    }

    public static func == (lhs: Evidence, rhs: Evidence) -> Bool {
        lhs.eventIndex == rhs.eventIndex && lhs.eventID == rhs.eventID && lhs.eventAt == rhs.eventAt && lhs.date == rhs.date
            && lhs.entity == rhs.entity && lhs.product == rhs.product && lhs.matchedProduct == rhs.matchedProduct
            && lhs.channel == rhs.channel && lhs.context == rhs.context && lhs.source == rhs.source
            && lhs.method == rhs.method && lhs.route == rhs.route && lhs.register == rhs.register
            && lhs.purpose == rhs.purpose && lhs.count == rhs.count && lhs.noteText == rhs.noteText
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(eventIndex)
        hasher.combine(date)
        hasher.combine(entity)
        hasher.combine(product)
    }

    var noteText: String? { note.map { $0.description } }
}
