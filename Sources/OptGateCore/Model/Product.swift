/// One of the sender's products or services, with its documented similarity assessment.
public struct Product: Hashable, Sendable {
    public var id: String
    /// Products this one is similar to. Similarity is symmetric and not transitive.
    public var similarTo: [String]
    /// The documented assessment behind `similarTo`, kept for audit; decisions do not read it.
    public var reasoning: String?
    /// The name people know it by (the id when absent).
    public var name: String?
    /// The category a preference centre groups it under (the product alone when absent).
    public var category: String?

    public init(id: String, similarTo: [String] = [], reasoning: String? = nil, name: String? = nil, category: String? = nil) {
        self.id = id
        self.similarTo = similarTo
        self.reasoning = reasoning
        self.name = name
        self.category = category
    }

    /// The name to show a person.
    public var displayName: String { name ?? id }
}
