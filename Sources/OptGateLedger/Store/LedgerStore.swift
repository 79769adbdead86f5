import Foundation
import OptGateCore

/// Where the ledger lives. One protocol, one implementation per database: `SQLiteLedgerStore`
/// (embedded, the default) and `PostgresLedgerStore` (several servers sharing one ledger). The ledger's logic
/// (`Ledger`) is written once against it: chaining, checkpoints, idempotency, identities,
/// suppression, state and import all behave the same on every database.
///
/// The store's job is storage only: it keeps what it is given, in one transaction per `write`,
/// and answers lookups. It computes no hashes and makes no decisions.
public protocol LedgerStore: AnyObject, Sendable {
    /// Runs `body` in a read transaction (a consistent snapshot).
    func read<T>(_ body: (any LedgerReader) throws -> T) throws -> T
    /// Runs `body` in one write transaction: all of it is durable when this returns, or none of it
    /// if `body` or the commit throws.
    func write<T>(_ body: (any LedgerWriter) throws -> T) throws -> T
    /// Runs `body` in one write transaction like `write`, holding the store to itself if it can:
    /// for loading a large import into a ledger without contacts, where nothing else needs to read
    /// the ledger until the load has committed. A store for which that is cheaper uses it (SQLite
    /// writes each page once, in place, instead of through a WAL that every later page read must
    /// search); when it cannot (another connection has the ledger open), or has nothing cheaper,
    /// this is `write`. Either way it is all or nothing.
    func writeExclusively<T>(_ body: (any LedgerWriter) throws -> T) throws -> T
    /// Runs `body` in one write transaction, all or nothing like `write`, for data derived from the
    /// ledger (folded permission states) that can be computed again: the store may skip waiting for
    /// the disk at the commit, so a crash can lose the transaction whole, never part of it; the
    /// next durable write makes it durable too. Default: `write`.
    func writeDerived<T>(_ body: (any LedgerWriter) throws -> T) throws -> T
    /// Called between the read transactions of a long scan (a server's warm-up) while writes may go
    /// on, to reclaim what the scan's readers held back. SQLite folds its write-ahead log back into
    /// the database file here: it cannot while a reader holds an older snapshot, so under writes
    /// the log would otherwise grow for as long as the scan runs. Default: nothing.
    func reclaimAfterReads() throws
    /// Whether several servers may write to this store at once (a database server shared by a
    /// multi-node deployment): a server then reads what the others appended before each decision
    /// it answers from memory. An embedded store is written by one server, and by commands run
    /// beside it now and then. Default: false.
    var isShared: Bool { get }
}

extension LedgerStore {
    public func writeExclusively<T>(_ body: (any LedgerWriter) throws -> T) throws -> T {
        try write(body)
    }

    public func reclaimAfterReads() throws {}

    public var isShared: Bool { false }

    public func writeDerived<T>(_ body: (any LedgerWriter) throws -> T) throws -> T {
        try write(body)
    }
}

/// The store's database cannot be reached now (a database server down or restarting, a lost
/// connection): nothing was decided, and a write may be retried (writes are idempotent by record
/// id). An embedded store never throws it.
public struct StoreUnavailable: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Lookups inside a transaction.
public protocol LedgerReader {
    /// The newest entry, or nil for an empty ledger.
    func head() throws -> ChainHead?
    /// Number of entries.
    func entryCount() throws -> Int64
    /// A contact's entries (profile, events, erasure) in chain order.
    func entries(contactID: String) throws -> [StoredEntry]
    /// A contact's entries in chain order, each with its personal data unless erased, in one query.
    func entriesWithPersonalData(contactID: String) throws -> [(StoredEntry, SealedPersonalData?)]
    /// The position of the newest organisation record (entity, product, policy, notice), 0 if none:
    /// it changes exactly when the organisation's history does.
    func organisationVersion() throws -> Int64
    /// Every entry from `seq` through `last`, in chain order, with its personal data unless erased;
    /// streamed, for verification and replay.
    func forEachEntry(from seq: Int64, through last: Int64, _ body: (StoredEntry, SealedPersonalData?) throws -> Void) throws
    /// Organisation records (entities, products, policies, notices) in chain order.
    func organisationEntries() throws -> [StoredEntry]
    /// The entry recorded under an idempotency key.
    func entry(entryID: String) throws -> StoredEntry?
    /// The entry at a position in the chain.
    func entry(seq: Int64) throws -> StoredEntry?
    /// The personal data of an entry, unless erased.
    func personalData(seq: Int64) throws -> SealedPersonalData?
    /// Checkpoints in chain order.
    func checkpoints() throws -> [Checkpoint]
    /// The position of the newest checkpoint, if any.
    func lastCheckpointSeq() throws -> Int64?
    /// The contact reachable by an identifier key.
    func contactID(identifierKey: Data) throws -> String?
    /// Identifier keys linked to a contact.
    func identifierKeys(contactID: String) throws -> [Data]
    /// When an identifier key was put on the suppression list, if it is on it.
    func suppressedSince(identifierKey: Data) throws -> Timestamp?
    /// Whether a contact exists, and whether its personal data was erased.
    func contactStatus(id: String) throws -> ContactStatus?
    /// Whether a contact exists (the check before each of its events is appended).
    func contactExists(id: String) throws -> Bool
    /// A contact's folded permission state, as stored: it holds the contact's events up to
    /// `stateCursor()`, not those appended since by sessions that left states to a fold.
    func state(contactID: String) throws -> PermissionState?
    /// The position through which the stored permission states hold every event (`Ledger.foldStates`).
    func stateCursor() throws -> Int64
    /// Number of contacts.
    func contactCount() throws -> Int64
    /// The ids of up to `limit` contacts, streamed (a server learns which contacts exist at start).
    func forEachContactID(limit: Int, _ body: (String) throws -> Void) throws
    /// Every identifier link (key and contact), streamed, for the timeline snapshot.
    func forEachIdentifierLink(_ body: (Data, String) throws -> Void) throws
    /// Every key on the suppression list, streamed, for the timeline snapshot.
    func forEachSuppressedKey(_ body: (Data) throws -> Void) throws
    /// The contact of every entry from `seq` on, and its kind, in chain order, without the bodies:
    /// what changed since a snapshot.
    func forEachChange(from seq: Int64, _ body: (Int64, EntryKind, String?) throws -> Void) throws
}

extension LedgerReader {
    /// Every entry from `seq` on, in chain order, with its personal data unless erased; streamed.
    public func forEachEntry(from seq: Int64, _ body: (StoredEntry, SealedPersonalData?) throws -> Void) throws {
        try forEachEntry(from: seq, through: .max, body)
    }
}

/// Writes inside a transaction.
public protocol LedgerWriter: LedgerReader {
    /// Stores an entry (already chained) and its personal data. Returns false, writing nothing, when
    /// an entry with the same `entryID` is already stored (the caller then compares the two).
    func insert(_ entry: StoredEntry, personalData: SealedPersonalData?) throws -> Bool
    func insert(_ checkpoint: Checkpoint) throws
    /// Creates or updates a contact row.
    func saveContact(id: String, createdSeq: Int64) throws
    /// Links an identifier key to a contact (the key is unique).
    func link(identifierKey: Data, contactID: String) throws
    /// Removes every identifier link of a contact.
    func unlinkIdentifiers(contactID: String) throws
    /// Puts an identifier key on the suppression list.
    func suppress(identifierKey: Data, since: Timestamp) throws
    /// Deletes the personal data of every entry of a contact; returns how many were deleted.
    func deletePersonalData(contactID: String) throws -> Int
    func markErased(contactID: String, seq: Int64) throws
    func saveState(_ state: PermissionState, contactID: String) throws
    /// Saves permission states already encoded (`PermissionStateCodec`), in the order given.
    func saveStates(_ states: [(contactID: String, text: String)]) throws
    /// Records that the stored permission states hold every event through `seq`.
    func setStateCursor(_ seq: Int64) throws
    /// For a bulk append: sets aside, for the rest of this transaction, the indexes that serve
    /// look-ups by idempotency key and by contact, so that rows go in without touching them; a
    /// sorted rebuild at the end (`rebuildLookupIndexes`) is much cheaper than a million random
    /// inserts. While they are set aside, `insert` does not refuse a duplicate `entryID` (the
    /// caller checks keys itself) and the look-ups they serve must not be used. A rolled-back
    /// transaction leaves them as they were.
    func suspendLookupIndexes() throws
    /// Builds the indexes `suspendLookupIndexes` set aside, over every row; fails (and the
    /// transaction with it) if two entries share an `entryID`.
    func rebuildLookupIndexes() throws
}

/// A contact's row.
public struct ContactStatus: Hashable, Sendable {
    public var id: String
    public var createdSeq: Int64
    /// The entry that recorded the erasure of its personal data, if erased.
    public var erasedSeq: Int64?

    public init(id: String, createdSeq: Int64, erasedSeq: Int64?) {
        self.id = id
        self.createdSeq = createdSeq
        self.erasedSeq = erasedSeq
    }
}
