import OptGateCore

/// What one committed session appended without folding it into permission states
/// (`Ledger.withSession(defersStates:)`): the entries after `afterSeq` through `throughSeq`, and the
/// events among them with their positions and contacts.
///
/// A folder that is handed these as sessions commit folds them from memory
/// (`Ledger.foldStates(limit:appended:)`) instead of reading the entries it was just given back
/// from the store and decoding them again. The events are the ones the session stored, so a fold
/// from memory and a fold from the store give the same states.
public struct AppendedEvents: Sendable, Equatable {
    /// One event and where the ledger holds it.
    public struct Item: Sendable, Equatable {
        public let seq: Int64
        public let contactID: String
        public let event: Event
    }

    /// The ledger's head before the session, and after it.
    public let afterSeq: Int64
    public let throughSeq: Int64
    /// The session's events, in chain order.
    public let events: [Item]

    public init(afterSeq: Int64, throughSeq: Int64, events: [Item]) {
        precondition(afterSeq <= throughSeq, "a session's range cannot end before it starts")
        self.afterSeq = afterSeq
        self.throughSeq = throughSeq
        self.events = events
    }

    /// Entries in the range (every appended entry, events or not).
    public var entries: Int64 { throughSeq - afterSeq }
}
