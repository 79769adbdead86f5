/// One of the sender's products or services, with its documented similarity assessment.
public struct Product: Hashable, Sendable {
    public var id: String
    /// Products this one is similar to. Similarity is symmetric and not transitive.
    public var similarTo: [String]
    /// The documented assessment behind `similarTo`, kept for audit; decisions do not read it.
    public var reasoning: String?

    public init(id: String, similarTo: [String] = [], reasoning: String? = nil) {
        self.id = id
        self.similarTo = similarTo
        self.reasoning = reasoning
    }
}
