import Foundation
import GRDB
import GRDBSQLite
import OptGateCore
import OptGateLedger

/// The ledger on embedded SQLite (GRDB), in one file: zero setup, WAL journal, and
/// `synchronous = FULL`, so that a write acknowledged by `write` is on disk.
public final class SQLiteLedgerStore: LedgerStore {
    let pool: DatabasePool
    public let path: String
    /// How long a connection waits for another's lock before giving up.
    static let busyTimeoutMilliseconds: Int32 = 10_000
    /// The WAL's size in pages at which a commit folds it into the database file.
    static let automaticCheckpointPages = 10_000

    /// Opens (creating if needed) the ledger database at `path`.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(Double(Self.busyTimeoutMilliseconds) / 1000)
        // Memory-mapped reads: pages come straight from the OS cache, not copied into each
        // connection's own cache (a status query touches rows spread over a large file).
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
            // Erased personal data is overwritten on disk, not merely unlinked from the b-tree.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            pool = try Self.open(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw Locked(path: path, waitedSeconds: Int(Self.busyTimeoutMilliseconds / 1000))
        }
    }

    private static func open(path: String, configuration: Configuration) throws -> DatabasePool {
        let pool = try DatabasePool(path: path, configuration: configuration)
        // DatabasePool sets synchronous = NORMAL on its writer; an acknowledged write must be durable.
        // A 64 MiB page cache on the writer keeps the ledger's indexes in memory during large imports.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA cache_size = -65536")
            // When the WAL has grown (writes during the server's warm-up, say), the file is cut
            // back to this size once it has been folded in, instead of keeping its peak on disk.
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            // The writer folds the WAL into the database once it holds 10,000 pages (40 MB), not
            // SQLite's default 1,000: the pages many commits share (the tails of the ledger and of
            // the personal data, the indexes' upper levels) are copied once per fold, not ten times.
            // Durable writes ran 1.2-1.3 times as fast; the commit that folds waits longer
            // (docs/benchmarks.md, "2026-12-02: a larger WAL between checkpoints").
            // A server moves this fold behind its writers (`openBackgroundCheckpoints`).
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(automaticCheckpointPages)")
        }
        try SQLiteSchema.migrator.migrate(pool)
        return pool
    }

    public func read<T>(_ body: (any LedgerReader) throws -> T) throws -> T {
        try pool.read { db in try body(SQLiteSession(db: db)) }
    }

    public func write<T>(_ body: (any LedgerWriter) throws -> T) throws -> T {
        try pool.write { db in try body(SQLiteSession(db: db)) }
    }

    /// A write transaction committed with `synchronous = NORMAL`: SQLite does not wait for the
    /// WAL to reach the disk, and the next `synchronous = FULL` commit (every other write) syncs
    /// it with its own frames. The WAL keeps commits whole and in order, so a crash loses the
    /// transaction entirely or not at all.
    public func writeDerived<T>(_ body: (any LedgerWriter) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            let result = Result { try Self.transaction(db, nil, body) }
            // Every other write on this connection is acknowledged only once on disk.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            return try result.get()
        }
    }

    /// The ledger could not be opened because another process holds it to itself (a bulk load, see
    /// `writeExclusively`) and did not let go within the busy timeout.
    public struct Locked: Error, CustomStringConvertible {
        public let path: String
        public let waitedSeconds: Int
        public var description: String {
            "\(path) is locked by another process (waited \(waitedSeconds) s): an import loading a new ledger holds it until it has committed; try again when it has finished"
        }
    }

    /// A write transaction in SQLite's rollback-journal mode, when no other connection has the
    /// ledger open; otherwise an ordinary `write`.
    ///
    /// Inside one long WAL transaction every page the writer's cache gives up goes to the WAL, and
    /// every later read of such a page searches the WAL's index: a 30,000,000-line import spent
    /// 46 % of its time there and never finished (docs/benchmarks.md). With the rollback journal,
    /// pages are written in place and only those that existed before the transaction are copied
    /// to the journal, so a load into an empty ledger writes each page about once. The transaction
    /// is EXCLUSIVE: other processes can neither read nor write the ledger until it ends (a server
    /// opening it meanwhile waits for its busy timeout, then gives up). A crash leaves a hot
    /// journal that the next connection to open the ledger rolls back, so the load is all or
    /// nothing as in WAL mode. The ledger is switched back to WAL before this returns (and a
    /// ledger left in rollback mode by a crash is switched back by the next `init`).
    public func writeExclusively<T>(_ body: (any LedgerWriter) throws -> T) throws -> T {
        // This process's own idle readers would keep the ledger open.
        pool.invalidateReadOnlyConnections()
        guard try pool.writeWithoutTransaction({ db in try Self.leaveWAL(db) }) else { return try write(body) }
        return try pool.writeWithoutTransaction { db in
            defer { try? db.execute(sql: "PRAGMA journal_mode = WAL") }
            return try Self.transaction(db, .exclusive, body)
        }
    }

    /// `body` in one transaction of `kind` on `db`, committed if it returns.
    private static func transaction<T>(_ db: Database, _ kind: Database.TransactionKind?, _ body: (any LedgerWriter) throws -> T) throws -> T {
        var result: T?
        try db.inTransaction(kind) {
            result = try body(SQLiteSession(db: db))
            return .commit
        }
        return result!
    }

    /// Switches the writer to the rollback journal; false, without waiting, if another connection
    /// has the ledger open.
    private static func leaveWAL(_ db: Database) throws -> Bool {
        sqlite3_busy_timeout(db.sqliteConnection, 0)
        defer { sqlite3_busy_timeout(db.sqliteConnection, busyTimeoutMilliseconds) }
        do {
            return try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") == "delete"
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return false
        }
    }

    /// Size of the database files on disk (database, WAL and shared-memory index), in bytes.
    public var bytesOnDisk: Int64 {
        [path, path + "-wal", path + "-shm"].reduce(Int64(0)) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
    }

    /// Folds the WAL into the database file while no reader of this store holds it back (PASSIVE:
    /// it waits for no one), so that the next commit can start the WAL over.
    public func reclaimAfterReads() throws {
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }

    /// The WAL's size in pages at which the writer's commits fold it into the database file
    /// (`automaticCheckpointPages`, or `SQLiteBackgroundCheckpoints.safetyPages` while checkpoints
    /// run behind the writers).
    public func writerCheckpointThreshold() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? 0 }
    }

    /// Folds the WAL into the database file.
    public func checkpointWAL() throws {
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }
}
