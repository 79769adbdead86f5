import Foundation
import OptGateCore

/// The consent ledger: an append-only, tamper-evident record of contacts, their events and the
/// organisation's settings, on any `LedgerStore`.
///
/// Every write is one transaction. Entries are chained by SHA-256 and sealed by checkpoints
/// authenticated with the installation's secret. Recording an event twice (same id) stores it once.
/// Erasure removes a person's personal data but keeps their identifiers' keyed hashes on the
/// suppression list, and the chain still verifies.
public final class Ledger: Sendable {
    public let store: any LedgerStore
    public let secret: LedgerSecret
    public let engine: DecisionEngine
    /// A checkpoint is sealed every this many entries, and at the end of every write.
    public static let checkpointInterval: Int64 = 1024

    let organisationCache = OrganisationCache()

    public init(store: any LedgerStore, secret: LedgerSecret, engine: DecisionEngine = DecisionEngine()) {
        self.store = store
        self.secret = secret
        self.engine = engine
    }

    /// What happened to one record of an append.
    public enum Outcome: Hashable, Sendable {
        /// Stored at this position.
        case appended(seq: Int64)
        /// Already recorded (same id, same content): stored once.
        case duplicate(seq: Int64)
    }

    /// Appends records in one transaction, all or nothing. `recordedAt` is the ledger's clock,
    /// supplied by the caller so that the ledger itself stays deterministic.
    @discardableResult
    public func append(_ records: [LedgerRecord], recordedAt: Timestamp) throws -> [Outcome] {
        try store.write { writer in
            var session = try LedgerSession(writer: writer, secret: secret, recordedAt: recordedAt, organisation: try organisationHistory(writer))
            session.checksRoundTrip = true
            let outcomes = try records.map { try session.append($0) }
            try session.finish()
            return outcomes
        }
    }

    /// Runs `body` with a session inside one write transaction (import uses this to stream).
    /// `exclusive`: hold the store to itself for the session, if it can (`LedgerStore.writeExclusively`),
    /// for a large load into a ledger without contacts. `defersStates`: append without reading or
    /// saving any contact's permission state, leaving that to `foldStates`, which a caller that
    /// defers must run (the server's writer, whose single thread is the write path's limit, does;
    /// reading a contact's history adds what is not folded yet, so answers stay exact).
    /// `knownContacts`: contacts earlier sessions found, which this one does not look up; the
    /// contacts it finds or creates are added once its transaction has committed.
    public func withSession<T>(
        recordedAt: Timestamp, exclusive: Bool = false, defersStates: Bool = false, knownContacts: KnownContacts? = nil,
        _ body: (inout LedgerSession) throws -> T
    ) throws -> T {
        var learnt: [String] = []
        func run(_ writer: any LedgerWriter) throws -> T {
            var session = try LedgerSession(
                writer: writer, secret: secret, recordedAt: recordedAt, organisation: try organisationHistory(writer),
                defersStates: defersStates, knownContacts: knownContacts)
            let result = try body(&session)
            try session.finish()
            learnt = session.learntContacts
            return result
        }
        let result = exclusive ? try store.writeExclusively(run) : try store.write(run)
        knownContacts?.insert(learnt)
        return result
    }

    /// The contact reachable by an identifier.
    public func contactID(for identifier: Identifier) throws -> String? {
        let key = secret.key(for: identifier)
        return try store.read { try $0.contactID(identifierKey: key) }
    }

    /// Whether an identifier is on the suppression list (its person was erased).
    public func isSuppressed(_ identifier: Identifier) throws -> Bool {
        let key = secret.key(for: identifier)
        return try store.read { try $0.suppressedSince(identifierKey: key) } != nil
    }
}
