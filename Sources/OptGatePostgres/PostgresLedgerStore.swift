import Foundation
import OptGateLedger
import PostgresNIO

/// The ledger on PostgreSQL (postgres-nio), for deployments where several OptGate servers share
/// one ledger. It implements the same protocols as `SQLiteLedgerStore`, so the ledger, the server
/// and the commands work on it unchanged.
///
/// - Reads run in `REPEATABLE READ READ ONLY` transactions: one consistent snapshot, like SQLite's.
/// - Writes take a transaction-scoped advisory lock first, so that the writers of every server
///   append one after another: each entry's hash covers the one before, and a chain has one head.
///   PostgreSQL's default `synchronous_commit = on` makes an acknowledged write durable;
///   `writeDerived` turns it off for its transaction only (folded states can be folded again).
/// - There is no write-ahead log to copy back (PostgreSQL checkpoints itself), so it does not adopt
///   `CheckpointingStore`, and it keeps its look-up indexes during bulk appends.
public final class PostgresLedgerStore: LedgerStore {
    public let location: PostgresLocation
    let connections: PostgresConnections
    /// The advisory lock every write transaction takes, one per schema.
    let writeLock: Int64

    /// Opens the ledger at `location`, creating its tables if they do not exist. `maximumConnections`
    /// bounds the connections kept open (a caller beyond it waits for one to come back).
    public init(location: PostgresLocation, maximumConnections: Int = 8) throws {
        self.location = location
        connections = PostgresConnections(location: location, maximum: maximumConnections)
        writeLock = Self.lockKey(schema: location.schema)
        try migrate()
    }

    /// Several servers may share a PostgreSQL ledger.
    public var isShared: Bool { true }

    /// Closes the store's connections.
    public func close() {
        connections.close()
    }

    public func read<T>(_ body: (any LedgerReader) throws -> T) throws -> T {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", locked: false) { try body($0) }
    }

    public func write<T>(_ body: (any LedgerWriter) throws -> T) throws -> T {
        try transaction(begin: "BEGIN", locked: true) { try body($0) }
    }

    public func writeDerived<T>(_ body: (any LedgerWriter) throws -> T) throws -> T {
        try transaction(begin: "BEGIN", locked: true, settings: "SET LOCAL synchronous_commit = off") { try body($0) }
    }

    /// `body` in one transaction on a connection of its own: committed if it returns, rolled back
    /// if it throws. A write transaction first waits for the writers' lock.
    @discardableResult
    func transaction<T>(begin: String, locked: Bool, settings: String? = nil, _ body: (PostgresSession) throws -> T) throws -> T {
        try connections.with { connection in
            let session = PostgresSession(connection: connection, connections: connections)
            try session.execute(begin, doing: "beginning a transaction")
            do {
                if let settings { try session.execute(settings, doing: "setting up a transaction") }
                if locked {
                    try session.run("SELECT pg_advisory_xact_lock(\(writeLock))", doing: "waiting for the ledger's write lock")
                }
                let result = try body(session)
                try session.execute("COMMIT", doing: "committing")
                return result
            } catch {
                if !connection.isClosed {
                    // A connection that cannot roll back is not handed to the next transaction.
                    do { try session.execute("ROLLBACK", doing: "rolling back") } catch { try? connection.close().wait() }
                }
                throw error
            }
        }
    }

    /// Creates the schema and applies the migrations this database has not had yet.
    private func migrate() throws {
        try transaction(begin: "BEGIN", locked: true) { session in
            if location.schema != "public" {
                try session.execute("CREATE SCHEMA IF NOT EXISTS \(location.schema)", doing: "creating schema \(location.schema)")
            }
            try session.execute("CREATE TABLE IF NOT EXISTS optgate_schema (version INTEGER NOT NULL)", doing: "reading the schema's version")
            let applied = try session.run("SELECT version FROM optgate_schema", doing: "reading the schema's version")
                .first.map { try $0.decode(Int.self) } ?? 0
            guard applied <= PostgresSchema.migrations.count else {
                throw PostgresStoreError(
                    "the ledger at \(location) has schema version \(applied), newer than this OptGate knows (\(PostgresSchema.migrations.count)): upgrade OptGate")
            }
            for (index, migration) in PostgresSchema.migrations.enumerated() where index >= applied {
                for statement in Self.statements(migration.sql) {
                    try session.execute(statement, doing: "migrating the schema (\(migration.name))")
                }
            }
            if applied == 0 {
                try session.execute("INSERT INTO optgate_schema (version) VALUES (\(PostgresSchema.migrations.count))", doing: "recording the schema's version")
            } else if applied < PostgresSchema.migrations.count {
                try session.execute("UPDATE optgate_schema SET version = \(PostgresSchema.migrations.count)", doing: "recording the schema's version")
            }
        }
    }

    /// The statements of a migration (postgres-nio runs one statement per query).
    static func statements(_ sql: String) -> [String] {
        sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
    }

    /// A lock key from the schema's name (FNV-1a), so that ledgers in different schemas of one
    /// database do not wait for each other.
    static func lockKey(schema: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "optgate.ledger.\(schema)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
