import OptGateCore

/// A decision given for an actual send (a message with an id), kept in the ledger as evidence of
/// why the message was lawful, or that it was refused: what was asked, when, the answer with its
/// reasons and the rule set's version, and the events the reasons cite.
///
/// One per message and contact: asking again for the same message returns the recorded decision.
public struct DecisionRecord: Hashable, Sendable {
    public struct RecordedReason: Hashable, Sendable {
        public var code: String
        public var ruleID: String
        /// The regulation the rule applies, as cited.
        public var rule: String
        public var detail: String

        public init(code: String, ruleID: String, rule: String, detail: String) {
            self.code = code
            self.ruleID = ruleID
            self.rule = rule
            self.detail = detail
        }
    }

    public var contactID: String
    /// The sender's id for the message (campaign send, transactional message...).
    public var messageID: String
    public var decidedAt: Timestamp
    public var message: Message
    public var allowed: Bool
    public var basis: Basis?
    public var reasons: [RecordedReason]
    /// What the message must carry (requirement codes of the contract).
    public var requirements: [String]
    public var validUntil: Timestamp?
    /// The rule set's version.
    public var rules: String
    /// Ids of the events the reasons cite.
    public var evidence: [String]

    public init(
        contactID: String, messageID: String, decidedAt: Timestamp, message: Message, allowed: Bool, basis: Basis?,
        reasons: [RecordedReason], requirements: [String], validUntil: Timestamp?, rules: String, evidence: [String]
    ) {
        self.contactID = contactID
        self.messageID = messageID
        self.decidedAt = decidedAt
        self.message = message
        self.allowed = allowed
        self.basis = basis
        self.reasons = reasons
        self.requirements = requirements
        self.validUntil = validUntil
        self.rules = rules
        self.evidence = evidence
    }

    /// The record of `decision`, given for `message` to `contactID` at `decidedAt`.
    public init(contactID: String, messageID: String, decidedAt: Timestamp, message: Message, decision: Decision) {
        var cited: [String] = []
        for reason in decision.reasons {
            if let id = reason.evidence.eventID, !cited.contains(id) { cited.append(id) }
        }
        self.init(
            contactID: contactID, messageID: messageID, decidedAt: decidedAt, message: message, allowed: decision.allowed,
            basis: decision.basis,
            reasons: decision.reasons.map {
                RecordedReason(code: $0.code.rawValue, ruleID: $0.rule.id, rule: $0.rule.citation, detail: $0.detail)
            },
            requirements: decision.requirements.list.map(\.rawValue), validUntil: decision.validUntil,
            rules: decision.rules, evidence: cited)
    }
}
