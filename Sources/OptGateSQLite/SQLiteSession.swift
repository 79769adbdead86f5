import Foundation
import GRDB
import OptGateCore
import OptGateLedger

/// A transaction's view of the database.
struct SQLiteSession: LedgerWriter {
    let db: Database
    /// What this transaction keeps between calls: whether it set the look-up indexes aside
    /// (`suspendLookupIndexes`), and its per-row statements.
    private let transaction = TransactionState()

    private static let entryColumns = "seq, recorded_at, kind, contact_id, entry_id, occurred_at, body, personal_digest, hash"

    func head() throws -> ChainHead? {
        // Cached: every commit's readers (the propagator, the timeline cache's check) ask for it.
        try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")).map { ChainHead(seq: $0[0], hash: $0[1]) }
    }

    func entryCount() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger") ?? 0
    }

    /// An entry from a row of `entryColumns` (at column 0), read through SQLite's C interface (the
    /// reads that return many entries, a contact's history or a scan of the ledger, run it per row).
    private func entry(_ row: DirectBinding) throws -> StoredEntry {
        guard let seq = row.int64(0), let recordedAt = row.int64(1), let kindText = row.text(2), let body = row.text(6), let hash = row.blob(8)
        else { throw LedgerError.corrupt("entry \(row.int64(0).map(String.init) ?? "?") has an empty required column") }
        guard let kind = EntryKind(rawValue: kindText) else { throw LedgerError.corrupt("entry \(seq) has unknown kind \(kindText)") }
        return StoredEntry(
            seq: seq, recordedAt: Timestamp(secondsSinceEpoch: recordedAt), kind: kind, contactID: row.text(3), entryID: row.text(4),
            occurredAt: row.int64(5).map(Timestamp.init(secondsSinceEpoch:)), body: body, personalDataDigest: row.blob(7), hash: hash)
    }

    /// The personal data of a row of `entryWithPersonalDataColumns` (columns 9 and 10), if any.
    private func personalData(_ row: DirectBinding) throws -> SealedPersonalData? {
        guard let salt = row.blob(9) else { return nil }
        guard let body = row.text(10) else { throw LedgerError.corrupt("entry \(row.int64(0).map(String.init) ?? "?") has personal data without a body") }
        return SealedPersonalData(salt: salt, body: body)
    }

    /// `entryColumns` of the ledger (`l`), then its personal data's salt and body (`p`).
    private static let entryWithPersonalDataColumns =
        entryColumns.split(separator: ", ").map { "l." + $0 }.joined(separator: ", ") + ", p.salt, p.body"

    func entries(contactID: String) throws -> [StoredEntry] {
        let query = try DirectBinding(db.cachedStatement(sql: "SELECT \(Self.entryColumns) FROM ledger WHERE contact_id = ? ORDER BY seq"))
        query.bind(1, contactID)
        var entries: [StoredEntry] = []
        try query.forEachRow { entries.append(try entry($0)) }
        return entries
    }

    func entriesWithPersonalData(contactID: String) throws -> [(StoredEntry, SealedPersonalData?)] {
        let query = try DirectBinding(db.cachedStatement(sql: """
            SELECT \(Self.entryWithPersonalDataColumns)
            FROM ledger l LEFT JOIN personal_data p ON p.seq = l.seq WHERE l.contact_id = ? ORDER BY l.seq
            """))
        query.bind(1, contactID)
        var entries: [(StoredEntry, SealedPersonalData?)] = []
        try query.forEachRow { entries.append((try entry($0), try personalData($0))) }
        return entries
    }

    func organisationVersion() throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM ledger WHERE contact_id IS NULL AND kind IN ('entity','product','policy','notice')")) ?? 0
    }

    func forEachEntry(from seq: Int64, through last: Int64, _ body: (StoredEntry, SealedPersonalData?) throws -> Void) throws {
        // A statement of its own, not a cached one: `body` may run queries of its own meanwhile.
        let query = try DirectBinding(db.makeStatement(sql: """
            SELECT \(Self.entryWithPersonalDataColumns)
            FROM ledger l LEFT JOIN personal_data p ON p.seq = l.seq WHERE l.seq BETWEEN ? AND ? ORDER BY l.seq
            """))
        query.bind(1, seq)
        query.bind(2, last)
        try query.forEachRow { try body(try entry($0), try personalData($0)) }
    }

    func organisationEntries() throws -> [StoredEntry] {
        let query = try DirectBinding(db.cachedStatement(
            sql: "SELECT \(Self.entryColumns) FROM ledger WHERE contact_id IS NULL AND kind IN ('entity','product','policy','notice') ORDER BY seq"))
        var entries: [StoredEntry] = []
        try query.forEachRow { entries.append(try entry($0)) }
        return entries
    }

    func entry(entryID: String) throws -> StoredEntry? {
        let query = try DirectBinding(db.cachedStatement(sql: "SELECT \(Self.entryColumns) FROM ledger WHERE entry_id = ?"))
        query.bind(1, entryID)
        return try query.single(entry)
    }

    /// The statements run once per row, by slot.
    enum StatementSlot: Hashable {
        case insertEntry, insertEntryUnchecked, insertPersonalData, contactByKey, suppressedSince, contactStatus, contactExists, state
        case saveContact, link, saveState
    }

    /// The statement of `slot`, prepared once per transaction.
    private func statement(_ slot: StatementSlot, _ sql: @autoclosure () -> String) throws -> Statement {
        if let statement = transaction.statements[slot] { return statement }
        let statement = try db.cachedStatement(sql: sql())
        transaction.statements[slot] = statement
        return statement
    }

    func entry(seq: Int64) throws -> StoredEntry? {
        let query = try DirectBinding(db.cachedStatement(sql: "SELECT \(Self.entryColumns) FROM ledger WHERE seq = ?"))
        query.bind(1, seq)
        return try query.single(entry)
    }

    func personalData(seq: Int64) throws -> SealedPersonalData? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT salt, body FROM personal_data WHERE seq = ?"), arguments: [seq])
            .map { SealedPersonalData(salt: $0[0], body: $0[1]) }
    }

    func lastCheckpointSeq() throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM checkpoints"))
    }

    func checkpoints() throws -> [Checkpoint] {
        try Row.fetchAll(db, sql: "SELECT seq, hash, recorded_at, mac FROM checkpoints ORDER BY seq").map {
            Checkpoint(seq: $0[0], hash: $0[1], recordedAt: Timestamp(secondsSinceEpoch: $0[2]), mac: $0[3])
        }
    }

    func contactID(identifierKey: Data) throws -> String? {
        let query = try DirectBinding(statement(.contactByKey, "SELECT contact_id FROM identifiers WHERE key = ?"))
        query.bind(1, identifierKey)
        return try query.single { $0.text(0) }
    }

    func identifierKeys(contactID: String) throws -> [Data] {
        try Data.fetchAll(db, sql: "SELECT key FROM identifiers WHERE contact_id = ? ORDER BY key", arguments: [contactID])
    }

    func suppressedSince(identifierKey: Data) throws -> Timestamp? {
        let query = try DirectBinding(statement(.suppressedSince, "SELECT since FROM suppression WHERE key = ?"))
        query.bind(1, identifierKey)
        return try query.single { $0.int64(0) }.map(Timestamp.init(secondsSinceEpoch:))
    }

    func contactStatus(id: String) throws -> ContactStatus? {
        let query = try DirectBinding(statement(.contactStatus, "SELECT id, created_seq, erased_seq FROM contacts WHERE id = ?"))
        query.bind(1, id)
        return try query.single { row in
            row.text(0).map { ContactStatus(id: $0, createdSeq: row.int64(1) ?? 0, erasedSeq: row.int64(2)) }
        }
    }

    func contactExists(id: String) throws -> Bool {
        // Answered from the primary key's index alone: one b-tree instead of two.
        let query = try DirectBinding(statement(.contactExists, "SELECT 1 FROM contacts WHERE id = ?"))
        query.bind(1, id)
        return try query.single { $0.int64(0) } != nil
    }

    func state(contactID: String) throws -> PermissionState? {
        let query = try DirectBinding(statement(.state, "SELECT state FROM contact_state WHERE contact_id = ?"))
        query.bind(1, contactID)
        guard let text = try query.single({ $0.text(0) }) else { return nil }
        return try PermissionStateCodec.decode(text)
    }

    func stateCursor() throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM state_cursor WHERE id = 1")) ?? 0
    }

    func contactCount() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts") ?? 0
    }

    func forEachContactID(limit: Int, _ body: (String) throws -> Void) throws {
        let cursor = try String.fetchCursor(db, sql: "SELECT id FROM contacts LIMIT ?", arguments: [limit])
        while let id = try cursor.next() { try body(id) }
    }

    func forEachIdentifierLink(_ body: (Data, String) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT key, contact_id FROM identifiers")
        while let row = try cursor.next() { try body(row[0], row[1]) }
    }

    func forEachSuppressedKey(_ body: (Data) throws -> Void) throws {
        let cursor = try Data.fetchCursor(db, sql: "SELECT key FROM suppression")
        while let key = try cursor.next() { try body(key) }
    }

    func forEachChange(from seq: Int64, _ body: (Int64, EntryKind, String?) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT seq, kind, contact_id FROM ledger WHERE seq >= ? ORDER BY seq", arguments: [seq])
        while let row = try cursor.next() {
            let kind: String = row[1]
            guard let entryKind = EntryKind(rawValue: kind) else { throw LedgerError.corrupt("entry \(row[0] as Int64): unknown kind \(kind)") }
            try body(row[0], entryKind, row[2])
        }
    }

    // MARK: Writes

    func insert(_ entry: StoredEntry, personalData: SealedPersonalData?) throws -> Bool {
        // One statement both checks the idempotency key and inserts: no lookup before every append.
        // With the key's index set aside, the caller has checked the key.
        let row = try DirectBinding(transaction.suspended
            ? statement(.insertEntryUnchecked, "INSERT INTO ledger (\(Self.entryColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            : statement(.insertEntry, """
                INSERT INTO ledger (\(Self.entryColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(entry_id) WHERE entry_id IS NOT NULL DO NOTHING
                """))
        row.bind(1, entry.seq)
        row.bind(2, entry.recordedAt.secondsSinceEpoch)
        row.bind(3, entry.kind.rawValue)
        row.bind(4, entry.contactID)
        row.bind(5, entry.entryID)
        row.bind(6, entry.occurredAt?.secondsSinceEpoch)
        row.bind(7, entry.body)
        row.bind(8, entry.personalDataDigest)
        row.bind(9, entry.hash)
        try row.run()
        guard db.changesCount == 1 else { return false }
        if let personalData {
            let personal = try DirectBinding(statement(.insertPersonalData, "INSERT INTO personal_data (seq, contact_id, salt, body) VALUES (?, ?, ?, ?)"))
            personal.bind(1, entry.seq)
            personal.bind(2, entry.contactID)
            personal.bind(3, personalData.salt)
            personal.bind(4, personalData.body)
            try personal.run()
        }
        return true
    }

    func insert(_ checkpoint: Checkpoint) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO checkpoints (seq, hash, recorded_at, mac) VALUES (?, ?, ?, ?)")
            .execute(arguments: [checkpoint.seq, checkpoint.hash, checkpoint.recordedAt.secondsSinceEpoch, checkpoint.mac])
    }

    func saveContact(id: String, createdSeq: Int64) throws {
        let insert = try DirectBinding(statement(.saveContact, "INSERT OR IGNORE INTO contacts (id, created_seq) VALUES (?, ?)"))
        insert.bind(1, id)
        insert.bind(2, createdSeq)
        try insert.run()
    }

    func link(identifierKey: Data, contactID: String) throws {
        let insert = try DirectBinding(statement(.link, "INSERT OR IGNORE INTO identifiers (key, contact_id) VALUES (?, ?)"))
        insert.bind(1, identifierKey)
        insert.bind(2, contactID)
        try insert.run()
    }

    func unlinkIdentifiers(contactID: String) throws {
        try db.execute(sql: "DELETE FROM identifiers WHERE contact_id = ?", arguments: [contactID])
    }

    func suppress(identifierKey: Data, since: Timestamp) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO suppression (key, since) VALUES (?, ?)", arguments: [identifierKey, since.secondsSinceEpoch])
    }

    func deletePersonalData(contactID: String) throws -> Int {
        try db.execute(
            sql: "DELETE FROM personal_data WHERE seq IN (SELECT seq FROM ledger WHERE contact_id = ?)", arguments: [contactID])
        return db.changesCount
    }

    func markErased(contactID: String, seq: Int64) throws {
        try db.execute(sql: "UPDATE contacts SET erased_seq = ? WHERE id = ?", arguments: [seq, contactID])
    }

    func suspendLookupIndexes() throws {
        guard !transaction.suspended else { return }
        transaction.statements.removeAll()
        for index in SQLiteSchema.lookupIndexes { try db.execute(sql: "DROP INDEX \(index.name)") }
        transaction.suspended = true
    }

    func rebuildLookupIndexes() throws {
        guard transaction.suspended else { return }
        transaction.statements.removeAll()
        for index in SQLiteSchema.lookupIndexes { try db.execute(sql: index.sql) }
        transaction.suspended = false
    }

    func saveState(_ state: PermissionState, contactID: String) throws {
        try upsertState(PermissionStateCodec.encode(state), contactID: contactID)
    }

    func saveStates(_ states: [(contactID: String, text: String)]) throws {
        for state in states { try upsertState(state.text, contactID: state.contactID) }
    }

    private func upsertState(_ text: String, contactID: String) throws {
        let upsert = try DirectBinding(statement(
            .saveState, "INSERT INTO contact_state (contact_id, state) VALUES (?, ?) ON CONFLICT(contact_id) DO UPDATE SET state = excluded.state"))
        upsert.bind(1, contactID)
        upsert.bind(2, text)
        try upsert.run()
    }

    func setStateCursor(_ seq: Int64) throws {
        try db.cachedStatement(sql: "INSERT INTO state_cursor (id, seq) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq")
            .execute(arguments: [seq])
    }
}

/// Whether a write transaction set the look-up indexes aside, and the statements it runs once per
/// row, kept at hand (GRDB's cache finds a statement by hashing its whole SQL text); shared by the
/// copies of its session.
private final class TransactionState {
    var suspended = false
    var statements: [SQLiteSession.StatementSlot: Statement] = [:]
}
