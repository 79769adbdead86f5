/// A legal person that collects details or sends messages. Companies of one group share `group`,
/// but each remains a different legal person: a group company's customer is not the sender's.
public struct Entity: Hashable, Sendable {
    public enum Kind: String, CaseIterable, Hashable, Sendable {
        case company
        /// A registered charity (England and Wales, Scotland or Northern Ireland for PECR reg 22(5)).
        case charity
        case politicalParty = "political_party"
        case publicBody = "public_body"
        /// A not-for-profit body that is not a registered charity.
        case nonprofit
    }

    public var id: String
    public var kind: Kind
    public var group: String?
    /// The name people know it by, for pages and messages (the id when absent).
    public var name: String?

    public init(id: String, kind: Kind, group: String? = nil, name: String? = nil) {
        self.id = id
        self.kind = kind
        self.group = group
        self.name = name
    }

    /// The name to show a person.
    public var displayName: String { name ?? id }
}
