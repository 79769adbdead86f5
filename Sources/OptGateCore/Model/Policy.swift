/// The sender's settings where the law leaves a choice. Defaults follow the scenario contract.
public struct Policy: Hashable, Sendable {
    /// UK: months after the latest qualifying sale or negotiation that the soft opt-in lasts ("a
    /// reasonable time": PECR sets no number).
    public var ukSoftOptInMonths: Int = 24
    /// Whether an abandoned checkout counts as negotiations for a sale. nil: the jurisdiction's
    /// default (true in GB, false in IE, where the DPC says it is not).
    public var abandonedCheckoutIsNegotiation: Bool? = nil
    /// EU: months a soft opt-in lasts where the member state sets no limit.
    public var euSoftOptInMonths: Int = 36
    /// Frequency cap: marketing messages per channel per sender in any 30 days. nil: no cap.
    public var maxMarketingPer30Days: Int? = nil
    /// UK: months that consent collected by a third party (naming the sender) is relied on. The ICO's
    /// guidance has long treated such indirect consent as short-lived (about six months).
    public var ukIndirectConsentMonths: Int = 6

    public init() {}
}
