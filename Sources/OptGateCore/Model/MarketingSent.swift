/// A marketing message that was sent (history, for frequency caps and for the Irish rule that
/// regular use keeps a soft opt-in alive).
public struct MarketingSent: Hashable, Sendable {
    public var by: String
    public var channel: Channel
    public var products: [String]

    public init(by: String, channel: Channel, products: [String] = []) {
        self.by = by
        self.channel = channel
        self.products = products
    }
}
