import OptGateCore

/// A campaign checked before its send, kept in the ledger as evidence: the message, when it was
/// checked, how many recipients, how many were sent to on which basis and how many left out for
/// which reason, and the rule sets applied, and, when the check wrote its lists to files, their
/// SHA-256 digests, so that the send list kept with the send can be shown to be the one the check
/// produced. One per campaign id.
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
    /// SHA-256 (hex) of the send list and of the excluded list as written (`CampaignListDigest`);
    /// nil when the check wrote no files (the API streams its results to the caller).
    public var sendListSHA256: String?
    public var excludedListSHA256: String?

    public init(
        campaignID: String, checkedAt: Timestamp, message: Message, summary: CampaignSummary,
        sendListSHA256: String? = nil, excludedListSHA256: String? = nil
    ) {
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
        self.sendListSHA256 = sendListSHA256
        self.excludedListSHA256 = excludedListSHA256
    }

    init(campaignID: String, checkedAt: Timestamp, message: Message, recipients: Int, send: Int, excluded: Int,
         byBasis: [String: Int], byReason: [String: Int], lapsingWithin30Days: Int, rules: [String],
         sendListSHA256: String?, excludedListSHA256: String?) {
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
        self.sendListSHA256 = sendListSHA256
        self.excludedListSHA256 = excludedListSHA256
    }
}
