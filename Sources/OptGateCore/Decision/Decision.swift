/// The answer to "may this sender send this message to this person now, and on what basis?"
public struct Decision: Hashable, Sendable {
    public var allowed: Bool
    /// The ground the send stands on; nil when not allowed.
    public var basis: Basis?
    /// Why: when allowed, the grounds and anything worth knowing; when denied, every condition that failed.
    public var reasons: [Reason]
    /// What the message must carry or what must be done for the decision to hold (empty when denied).
    public var requirements: Requirements
    /// When the basis lapses without new events; nil when it does not lapse by itself.
    public var validUntil: Timestamp?
    /// The rule set and version that decided.
    public var rules: String

    public init(
        allowed: Bool, basis: Basis?, reasons: [Reason], requirements: Requirements, validUntil: Timestamp?,
        rules: String
    ) {
        self.allowed = allowed
        self.basis = basis
        self.reasons = reasons
        self.requirements = requirements
        self.validUntil = validUntil
        self.rules = rules
    }
}
