import Foundation
import OptGateCore
import OptGateLedger
import PostgresNIO

/// A transaction's view of the PostgreSQL ledger: the queries of `SQLiteSession` in PostgreSQL's
/// dialect, each run on the transaction's connection and waited for.
struct PostgresSession: LedgerWriter {
    let connection: PostgresConnection
    let connections: PostgresConnections
    /// Names the cursors of this transaction's scans.
    private let cursors = CursorNames()
    /// Rows fetched per round trip by a scan.
    static let scanBatch = 2_000

    static let entryColumns = "seq, recorded_at, kind, contact_id, entry_id, occurred_at, body, personal_digest, hash"
    /// `entryColumns` of the ledger (`l`), then its personal data's salt and body (`p`).
    static let entryWithPersonalDataColumns =
        entryColumns.split(separator: ", ").map { "l." + $0 }.joined(separator: ", ") + ", p.salt, p.body"

    init(connection: PostgresConnection, connections: PostgresConnections) {
        self.connection = connection
        self.connections = connections
    }

    // MARK: Running statements

    @discardableResult
    func run(_ query: PostgresQuery, doing what: @autoclosure () -> String) throws -> PostgresQueryResult {
        try connections.run(query, on: connection, doing: what())
    }

    /// Runs SQL without parameters.
    func execute(_ sql: String, doing what: @autoclosure () -> String) throws {
        try run(PostgresQuery(unsafeSQL: sql), doing: what())
    }

    /// The number of rows a statement changed.
    func changed(_ query: PostgresQuery, doing what: @autoclosure () -> String) throws -> Int {
        try run(query, doing: what()).metadata.rows ?? 0
    }

    /// Streams the rows of `query` through a cursor, `scanBatch` at a time, so that a scan of the
    /// whole ledger holds one batch in memory and `body` may run queries of its own between rows.
    func forEachRow(_ query: PostgresQuery, doing what: @autoclosure () -> String, _ body: (PostgresRow) throws -> Void) throws {
        let name = cursors.next()
        try run(PostgresQuery(unsafeSQL: "DECLARE \(name) NO SCROLL CURSOR FOR " + query.sql, binds: query.binds), doing: what())
        defer { try? execute("CLOSE \(name)", doing: "closing a scan") }
        while true {
            let rows = try run(PostgresQuery(unsafeSQL: "FETCH FORWARD \(Self.scanBatch) FROM \(name)"), doing: what())
            for row in rows { try body(row) }
            if rows.count < Self.scanBatch { return }
        }
    }

    // MARK: Rows

    typealias EntryColumns = (Int64, Int64, String, String?, String?, Int64?, String, Data?, Data)

    func entry(_ row: PostgresRow) throws -> StoredEntry {
        let c = try row.decode(EntryColumns.self)
        return try Self.entry(c)
    }

    static func entry(_ c: EntryColumns) throws -> StoredEntry {
        guard let kind = EntryKind(rawValue: c.2) else { throw LedgerError.corrupt("entry \(c.0) has unknown kind \(c.2)") }
        return StoredEntry(
            seq: c.0, recordedAt: Timestamp(secondsSinceEpoch: c.1), kind: kind, contactID: c.3, entryID: c.4,
            occurredAt: c.5.map(Timestamp.init(secondsSinceEpoch:)), body: c.6, personalDataDigest: c.7, hash: c.8)
    }

    func entryWithPersonalData(_ row: PostgresRow) throws -> (StoredEntry, SealedPersonalData?) {
        let c = try row.decode((Int64, Int64, String, String?, String?, Int64?, String, Data?, Data, Data?, String?).self)
        let entry = try Self.entry((c.0, c.1, c.2, c.3, c.4, c.5, c.6, c.7, c.8))
        guard let salt = c.9 else { return (entry, nil) }
        guard let body = c.10 else { throw LedgerError.corrupt("entry \(c.0) has personal data without a body") }
        return (entry, SealedPersonalData(salt: salt, body: body))
    }

    // MARK: LedgerReader

    func head() throws -> ChainHead? {
        try run("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1", doing: "reading the ledger's head").first.map {
            let (seq, hash) = try $0.decode((Int64, Data).self)
            return ChainHead(seq: seq, hash: hash)
        }
    }

    func entryCount() throws -> Int64 {
        try run("SELECT COUNT(*) FROM ledger", doing: "counting entries").first.map { try $0.decode(Int64.self) } ?? 0
    }

    func entries(contactID: String) throws -> [StoredEntry] {
        try run(
            "SELECT \(unescaped: Self.entryColumns) FROM ledger WHERE contact_id = \(contactID) ORDER BY seq",
            doing: "reading a contact's entries"
        ).map(entry)
    }

    func entriesWithPersonalData(contactID: String) throws -> [(StoredEntry, SealedPersonalData?)] {
        try run(
            """
            SELECT \(unescaped: Self.entryWithPersonalDataColumns)
            FROM ledger l LEFT JOIN personal_data p ON p.seq = l.seq WHERE l.contact_id = \(contactID) ORDER BY l.seq
            """, doing: "reading a contact's entries"
        ).map(entryWithPersonalData)
    }

    func organisationVersion() throws -> Int64 {
        try run(
            "SELECT MAX(seq) FROM ledger WHERE contact_id IS NULL AND kind IN ('entity','product','policy','notice')",
            doing: "reading the organisation's version"
        ).first.flatMap { try $0.decode(Int64?.self) } ?? 0
    }

    func forEachEntry(from seq: Int64, through last: Int64, _ body: (StoredEntry, SealedPersonalData?) throws -> Void) throws {
        try forEachRow(
            """
            SELECT \(unescaped: Self.entryWithPersonalDataColumns)
            FROM ledger l LEFT JOIN personal_data p ON p.seq = l.seq WHERE l.seq BETWEEN \(seq) AND \(last) ORDER BY l.seq
            """, doing: "reading the ledger"
        ) { row in
            let (entry, personal) = try entryWithPersonalData(row)
            try body(entry, personal)
        }
    }

    func organisationEntries() throws -> [StoredEntry] {
        try run(
            """
            SELECT \(unescaped: Self.entryColumns) FROM ledger
            WHERE contact_id IS NULL AND kind IN ('entity','product','policy','notice') ORDER BY seq
            """, doing: "reading the organisation"
        ).map(entry)
    }

    func entry(entryID: String) throws -> StoredEntry? {
        try run("SELECT \(unescaped: Self.entryColumns) FROM ledger WHERE entry_id = \(entryID)", doing: "finding an entry by its id")
            .first.map(entry)
    }

    func entry(seq: Int64) throws -> StoredEntry? {
        try run("SELECT \(unescaped: Self.entryColumns) FROM ledger WHERE seq = \(seq)", doing: "reading entry \(seq)").first.map(entry)
    }

    func personalData(seq: Int64) throws -> SealedPersonalData? {
        try run("SELECT salt, body FROM personal_data WHERE seq = \(seq)", doing: "reading personal data").first.map {
            let (salt, body) = try $0.decode((Data, String).self)
            return SealedPersonalData(salt: salt, body: body)
        }
    }

    func checkpoints() throws -> [Checkpoint] {
        try run("SELECT seq, hash, recorded_at, mac FROM checkpoints ORDER BY seq", doing: "reading checkpoints").map {
            let (seq, hash, recordedAt, mac) = try $0.decode((Int64, Data, Int64, Data).self)
            return Checkpoint(seq: seq, hash: hash, recordedAt: Timestamp(secondsSinceEpoch: recordedAt), mac: mac)
        }
    }

    func lastCheckpointSeq() throws -> Int64? {
        try run("SELECT MAX(seq) FROM checkpoints", doing: "reading checkpoints").first.flatMap { try $0.decode(Int64?.self) }
    }

    func contactID(identifierKey: Data) throws -> String? {
        try run("SELECT contact_id FROM identifiers WHERE key = \(identifierKey)", doing: "finding a contact by identifier")
            .first.map { try $0.decode(String.self) }
    }

    func identifierKeys(contactID: String) throws -> [Data] {
        try run("SELECT key FROM identifiers WHERE contact_id = \(contactID) ORDER BY key", doing: "reading a contact's identifiers")
            .map { try $0.decode(Data.self) }
    }

    func suppressedSince(identifierKey: Data) throws -> Timestamp? {
        try run("SELECT since FROM suppression WHERE key = \(identifierKey)", doing: "reading the suppression list")
            .first.map { Timestamp(secondsSinceEpoch: try $0.decode(Int64.self)) }
    }

    func contactStatus(id: String) throws -> ContactStatus? {
        try run("SELECT id, created_seq, erased_seq FROM contacts WHERE id = \(id)", doing: "reading a contact").first.map {
            let (id, created, erased) = try $0.decode((String, Int64, Int64?).self)
            return ContactStatus(id: id, createdSeq: created, erasedSeq: erased)
        }
    }

    func contactExists(id: String) throws -> Bool {
        try !run("SELECT 1 FROM contacts WHERE id = \(id)", doing: "reading a contact").isEmpty
    }

    func state(contactID: String) throws -> PermissionState? {
        guard let text = try run("SELECT state FROM contact_state WHERE contact_id = \(contactID)", doing: "reading a permission state")
            .first.map({ try $0.decode(String.self) })
        else { return nil }
        return try PermissionStateCodec.decode(text)
    }

    func stateCursor() throws -> Int64 {
        try run("SELECT seq FROM state_cursor WHERE id = 1", doing: "reading the state cursor").first.map { try $0.decode(Int64.self) } ?? 0
    }

    func contactCount() throws -> Int64 {
        try run("SELECT COUNT(*) FROM contacts", doing: "counting contacts").first.map { try $0.decode(Int64.self) } ?? 0
    }

    func forEachContactID(limit: Int, _ body: (String) throws -> Void) throws {
        try forEachRow("SELECT id FROM contacts LIMIT \(Int64(limit))", doing: "reading contacts") { try body(try $0.decode(String.self)) }
    }

    func forEachIdentifierLink(_ body: (Data, String) throws -> Void) throws {
        try forEachRow("SELECT key, contact_id FROM identifiers", doing: "reading identifiers") { row in
            let (key, contactID) = try row.decode((Data, String).self)
            try body(key, contactID)
        }
    }

    func forEachSuppressedKey(_ body: (Data) throws -> Void) throws {
        try forEachRow("SELECT key FROM suppression", doing: "reading the suppression list") { try body(try $0.decode(Data.self)) }
    }

    func forEachChange(from seq: Int64, _ body: (Int64, EntryKind, String?) throws -> Void) throws {
        try forEachRow("SELECT seq, kind, contact_id FROM ledger WHERE seq >= \(seq) ORDER BY seq", doing: "reading changes") { row in
            let (seq, kind, contactID) = try row.decode((Int64, String, String?).self)
            guard let entryKind = EntryKind(rawValue: kind) else { throw LedgerError.corrupt("entry \(seq): unknown kind \(kind)") }
            try body(seq, entryKind, contactID)
        }
    }

    // MARK: LedgerWriter

    func insert(_ entry: StoredEntry, personalData: SealedPersonalData?) throws -> Bool {
        // One statement both checks the idempotency key and inserts.
        let inserted = try changed(
            """
            INSERT INTO ledger (\(unescaped: Self.entryColumns)) VALUES (\(entry.seq), \(entry.recordedAt.secondsSinceEpoch), \
            \(entry.kind.rawValue), \(entry.contactID), \(entry.entryID), \(entry.occurredAt?.secondsSinceEpoch), \(entry.body), \
            \(entry.personalDataDigest), \(entry.hash))
            ON CONFLICT (entry_id) WHERE entry_id IS NOT NULL DO NOTHING
            """, doing: "appending entry \(entry.seq)")
        guard inserted == 1 else { return false }
        if let personalData {
            try run(
                """
                INSERT INTO personal_data (seq, contact_id, salt, body)
                VALUES (\(entry.seq), \(entry.contactID), \(personalData.salt), \(personalData.body))
                """, doing: "storing the personal data of entry \(entry.seq)")
        }
        return true
    }

    func insert(_ checkpoint: Checkpoint) throws {
        try run(
            """
            INSERT INTO checkpoints (seq, hash, recorded_at, mac)
            VALUES (\(checkpoint.seq), \(checkpoint.hash), \(checkpoint.recordedAt.secondsSinceEpoch), \(checkpoint.mac))
            ON CONFLICT (seq) DO UPDATE SET hash = excluded.hash, recorded_at = excluded.recorded_at, mac = excluded.mac
            """, doing: "storing checkpoint \(checkpoint.seq)")
    }

    func saveContact(id: String, createdSeq: Int64) throws {
        try run("INSERT INTO contacts (id, created_seq) VALUES (\(id), \(createdSeq)) ON CONFLICT (id) DO NOTHING", doing: "storing a contact")
    }

    func link(identifierKey: Data, contactID: String) throws {
        try run(
            "INSERT INTO identifiers (key, contact_id) VALUES (\(identifierKey), \(contactID)) ON CONFLICT (key) DO NOTHING",
            doing: "linking an identifier")
    }

    func unlinkIdentifiers(contactID: String) throws {
        try run("DELETE FROM identifiers WHERE contact_id = \(contactID)", doing: "unlinking identifiers")
    }

    func suppress(identifierKey: Data, since: Timestamp) throws {
        try run(
            "INSERT INTO suppression (key, since) VALUES (\(identifierKey), \(since.secondsSinceEpoch)) ON CONFLICT (key) DO NOTHING",
            doing: "adding to the suppression list")
    }

    func deletePersonalData(contactID: String) throws -> Int {
        try changed(
            "DELETE FROM personal_data WHERE seq IN (SELECT seq FROM ledger WHERE contact_id = \(contactID))", doing: "erasing personal data")
    }

    func markErased(contactID: String, seq: Int64) throws {
        try run("UPDATE contacts SET erased_seq = \(seq) WHERE id = \(contactID)", doing: "marking a contact erased")
    }

    func saveState(_ state: PermissionState, contactID: String) throws {
        try saveStates([(contactID, PermissionStateCodec.encode(state))])
    }

    /// One statement for every state (arrays unnested), the last state of a contact winning.
    func saveStates(_ states: [(contactID: String, text: String)]) throws {
        guard !states.isEmpty else { return }
        var last: [String: Int] = [:]
        for (index, state) in states.enumerated() { last[state.contactID] = index }
        let kept = states.indices.filter { last[states[$0].contactID] == $0 }
        for start in stride(from: 0, to: kept.count, by: 10_000) {
            let part = kept[start..<min(start + 10_000, kept.count)]
            let ids = part.map { states[$0].contactID }
            let texts = part.map { states[$0].text }
            try run(
                """
                INSERT INTO contact_state (contact_id, state) SELECT * FROM unnest(\(ids)::text[], \(texts)::text[])
                ON CONFLICT (contact_id) DO UPDATE SET state = excluded.state
                """, doing: "storing permission states")
        }
    }

    func setStateCursor(_ seq: Int64) throws {
        try run(
            "INSERT INTO state_cursor (id, seq) VALUES (1, \(seq)) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq",
            doing: "storing the state cursor")
    }

    /// PostgreSQL keeps its indexes during a bulk append: entries go in one statement each either
    /// way, and the session has checked their keys.
    func suspendLookupIndexes() throws {}

    func rebuildLookupIndexes() throws {}
}

/// Unique cursor names within one transaction.
private final class CursorNames {
    private var count = 0

    func next() -> String {
        count += 1
        return "optgate_scan_\(count)"
    }
}
