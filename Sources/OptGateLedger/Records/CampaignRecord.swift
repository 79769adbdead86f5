import OptGateCore

/// A campaign checked before its send, kept in the ledger as evidence: the message, when it was
/// checked, how many recipients, how many were sent to on which basis and how many left out for
/// which reason, and the rule sets applied. One per campaign id.
public struct CampaignRecord: Hashable, Sendable {
    public var campaignID: String
    public var checkedAt: Timestamp
    public var message: Message
    public var recipients: Int
    public var send: Int
    public var excluded: Int
    public var byBasis: [String: Int]
    public var byReason: [String: Int]
    public var lapsingWithin30Days: Int
    public var rules: [String]

    public init(campaignID: String, checkedAt: Timestamp, message: Message, summary: CampaignSummary) {
        self.campaignID = campaignID
        self.checkedAt = checkedAt
        self.message = message
        recipients = summary.recipients
        send = summary.send
        excluded = summary.excluded
        byBasis = summary.byBasis
        byReason = summary.byReason
        lapsingWithin30Days = summary.lapsingWithin30Days
        rules = summary.rules.sorted()
    }

    init(campaignID: String, checkedAt: Timestamp, message: Message, recipients: Int, send: Int, excluded: Int,
         byBasis: [String: Int], byReason: [String: Int], lapsingWithin30Days: Int, rules: [String]) {
        self.campaignID = campaignID
        self.checkedAt = checkedAt
        self.message = message
        self.recipients = recipients
        self.send = send
        self.excluded = excluded
        self.byBasis = byBasis
        self.byReason = byReason
        self.lapsingWithin30Days = lapsingWithin30Days
        self.rules = rules
    }
}
