/// The sender's side of a decision, built once and shared by every decision it makes: its legal
/// persons, its catalogue with similarity assessments, and its policy settings.
public struct Organisation: Sendable {
    public let entities: [String: Entity]
    public let catalogue: Catalogue
    public let policy: Policy

    public init(entities: [Entity], catalogue: Catalogue, policy: Policy = Policy()) {
        var byID: [String: Entity] = [:]
        for entity in entities where byID[entity.id] == nil { byID[entity.id] = entity }
        self.entities = byID
        self.catalogue = catalogue
        self.policy = policy
    }
}
