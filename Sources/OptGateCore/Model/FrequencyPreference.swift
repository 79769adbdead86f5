/// The person asked for fewer marketing messages: at most `maxPer30Days` in any 30 days, from one
/// sender or all, on some channels or all. The latest preference for a scope replaces earlier ones.
/// It narrows what the sender may send; it never permits anything the law or an opt-out forbids.
public struct FrequencyPreference: Hashable, Sendable {
    /// nil: every sender.
    public var entity: String?
    /// nil: every channel.
    public var channels: ChannelSet?
    /// At least 1 (no messages at all is an opt-out); nil lifts an earlier limit.
    public var maxPer30Days: Int?

    public init(entity: String? = nil, channels: ChannelSet? = nil, maxPer30Days: Int?) {
        self.entity = entity
        self.channels = channels
        self.maxPer30Days = maxPer30Days
    }

    /// Whether the preference covers messages from `entity` on `channel`.
    public func covers(entity: String, channel: Channel) -> Bool {
        (self.entity == nil || self.entity == entity) && (channels?.contains(channel) ?? true)
    }
}
