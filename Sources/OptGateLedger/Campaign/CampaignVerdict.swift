import OptGateCore

/// The answer for one recipient of a campaign: send, on which basis, or not, and why.
public struct CampaignVerdict: Sendable {
    /// Why a recipient is left out before any decision: OptGate holds no permission to judge.
    public enum Unjudged: String, Sendable, CaseIterable {
        /// No contact has this address or id: with no record of permission, do not send.
        case unknown = "recipient.unknown"
        /// The address belongs to a person whose data was erased: it stays suppressed.
        case suppressed = "recipient.suppressed"
        /// The address cannot be read.
        case invalid = "recipient.invalid"
    }

    public var line: Int
    public var recipient: String
    public var contactID: String?
    /// The engine's decision, for a recipient OptGate knows.
    public var decision: Decision?
    /// Why there is no decision.
    public var unjudged: Unjudged?
    /// For an invalid address, what is wrong with it.
    public var problem: String?

    public init(line: Int, recipient: String, contactID: String? = nil, decision: Decision? = nil) {
        self.line = line
        self.recipient = recipient
        self.contactID = contactID
        self.decision = decision
    }

    public var send: Bool { decision?.allowed == true }

    /// The codes of the reasons a recipient is excluded (empty when it is sent to).
    public var exclusionCodes: [String] {
        if let unjudged { return [unjudged.rawValue] }
        guard let decision, !decision.allowed else { return [] }
        return decision.reasons.filter { !$0.code.isGround }.map(\.code.rawValue)
    }

    /// The first of `exclusionCodes`, without building the list.
    public var firstExclusionCode: String? {
        if let unjudged { return unjudged.rawValue }
        guard let decision, !decision.allowed else { return nil }
        return decision.reasons.first { !$0.code.isGround }?.code.rawValue
    }

    /// Why the recipient is excluded, in words: the unreadable address's problem, the unjudged
    /// reason, or the first failing reason's detail (nil for a send).
    public var exclusionDetail: String? {
        if send { return nil }
        if let problem { return problem }
        switch unjudged {
        case .suppressed: return "the person's data was erased; the address stays on the suppression list"
        case .unknown: return "no contact has this \(recipient.utf8.contains(0x40) ? "email" : "identifier"): with no record of permission, do not send"
        case .invalid: return "the address cannot be read"
        case nil: return decision?.reasons.first { !$0.code.isGround }?.detail
        }
    }

    /// An allowed send whose ground lapses within `days` of `now` (a soft opt-in running out).
    public func lapses(within days: Int, of now: Timestamp) -> Bool {
        guard let decision, decision.allowed, let until = decision.validUntil else { return false }
        return until <= now.adding(days: days)
    }
}
