/// What a message is for.
public enum Purpose: String, CaseIterable, Hashable, Sendable {
    /// Promotes products or services. Any promotional content at all makes a message marketing
    /// (ICO "Identify direct marketing"; DPA 2018 s.122(5)).
    case marketing
    /// A charity's appeal or promotion of its charitable purposes.
    case fundraising
    /// Political campaigning: the promotion of aims and ideals.
    case campaigning
    /// Transactional or service content with no promotional element.
    case service

    /// Direct marketing in the wide legal sense: anything but a pure service message.
    public var isDirectMarketing: Bool { self != .service }
}
