/// The marketing law of one jurisdiction (or one family of them), as data the engine interprets.
///
/// Adding a jurisdiction means adding one type that conforms to this protocol and registering it
/// in `RuleBook`; a change in the law is an edit to that type's rules and regimes. Laws are
/// immutable objects, built once per rule book and shared.
public protocol JurisdictionLaw: AnyObject, Sendable {
    /// Every rule this law cites, for the rule catalogue.
    var rules: [Rule] { get }
    /// The rule set's name and version in force at an instant, e.g. `GB/PECR as amended 2026-02-05`.
    func ruleSetName(at instant: Timestamp) -> String
    /// The rule that takes service messages and solicited messages outside the marketing rules.
    var outsideMarketing: Rule { get }
    /// The regime for a message of this kind to this subscriber at this instant.
    func regime(channel: Channel, purpose: Purpose, subscriber: SubscriberType, at instant: Timestamp) -> Regime
}
