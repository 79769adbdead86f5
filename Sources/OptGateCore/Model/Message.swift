/// The proposed message the decision is about.
public struct Message: Hashable, Sendable {
    /// The sending entity.
    public var from: String
    public var channel: Channel
    public var purpose: Purpose
    /// The products the message promotes.
    public var products: [String]
    /// Another entity whose products the message promotes (third-party promotion).
    public var onBehalfOf: String?
    /// The message carries a free, simple way to opt out.
    public var includesOptOut: Bool
    /// The sender is not disguised or concealed.
    public var identifiesSender: Bool
    /// The person specifically asked for this very message.
    public var solicited: Bool
    /// The message relates to the recipient's business role or functions (CASL s.10(9)(b); French
    /// B2B prospecting). Default false.
    public var relevantToRole: Bool

    public init(
        from: String, channel: Channel, purpose: Purpose = .marketing, products: [String] = [],
        onBehalfOf: String? = nil, includesOptOut: Bool = true, identifiesSender: Bool = true,
        solicited: Bool = false, relevantToRole: Bool = false
    ) {
        self.from = from
        self.channel = channel
        self.purpose = purpose
        self.products = products
        self.onBehalfOf = onBehalfOf
        self.includesOptOut = includesOptOut
        self.identifiesSender = identifiesSender
        self.solicited = solicited
        self.relevantToRole = relevantToRole
    }
}
