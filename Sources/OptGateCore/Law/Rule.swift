/// One legal rule as data: what it says, where it comes from, and when it is in force.
///
/// Rules are immutable reference values so that a decision can cite one without copying its text.
public final class Rule: Sendable, CustomStringConvertible {
    /// Stable identifier, e.g. `UK-PECR-22-SOI-1` (the research table's ids where one exists).
    public let id: String
    /// `GB`, `EU`, `IE`, `US`, `CA`, or `*` for OptGate's own defaults.
    public let jurisdiction: String
    /// The legal citation a decision prints, e.g. `PECR reg 22(3)(a)`.
    public let citation: String
    /// What the rule says, in one sentence.
    public let summary: String
    /// First day in force (UTC midnight).
    public let inForceFrom: Timestamp
    /// First day no longer in force; nil while in force.
    public let inForceUntil: Timestamp?

    public init(
        _ id: String, _ jurisdiction: String, _ citation: String, _ summary: String,
        from: Timestamp, until: Timestamp? = nil
    ) {
        self.id = id
        self.jurisdiction = jurisdiction
        self.citation = citation
        self.summary = summary
        self.inForceFrom = from
        self.inForceUntil = until
    }

    public func isInForce(at instant: Timestamp) -> Bool {
        instant >= inForceFrom && (inForceUntil.map { instant < $0 } ?? true)
    }

    public var description: String { "\(id) (\(citation))" }
}

/// A day, for rule data: `day(2026, 2, 5)` is 2026-02-05T00:00:00Z.
func day(_ year: Int, _ month: Int, _ dayOfMonth: Int) -> Timestamp {
    Timestamp(year: year, month: month, day: dayOfMonth)!
}
