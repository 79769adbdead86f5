import OptGateCore

/// A scenario/v1 document: the scenario itself, plus the author's expected verdict and note.
public struct ScenarioFile: Sendable {
    /// The verdict a scenario's author expects; `decide --check` compares it with the decision.
    public struct Expectation: Sendable, Hashable {
        public var allowed: Bool
        public var basis: Basis?

        public init(allowed: Bool, basis: Basis? = nil) {
            self.allowed = allowed
            self.basis = basis
        }

        /// Whether a decision meets this expectation (the basis is compared only when one is expected).
        public func isMet(by decision: Decision) -> Bool {
            decision.allowed == allowed && (basis == nil || decision.basis == basis)
        }
    }

    public var scenario: Scenario
    public var expect: Expectation?
    public var note: String?

    public init(scenario: Scenario, expect: Expectation? = nil, note: String? = nil) {
        self.scenario = scenario
        self.expect = expect
        self.note = note
    }

    /// The format identifier this decoder reads.
    public static let format = "scenario/v1"
}
