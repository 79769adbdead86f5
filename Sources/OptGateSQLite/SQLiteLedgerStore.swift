import Foundation
import GRDB
import OptGateCore
import OptGateLedger

/// The ledger on embedded SQLite (GRDB), in one file: zero setup, WAL journal, and
/// `synchronous = FULL`, so that a write acknowledged by `write` is on disk.
public final class SQLiteLedgerStore: LedgerStore {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) the ledger database at `path`.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        // Memory-mapped reads: pages come straight from the OS cache, not copied into each
        // connection's own cache (a status query touches rows spread over a large file).
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
            // Erased personal data is overwritten on disk, not merely unlinked from the b-tree.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
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
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
        }
        try SQLiteSchema.migrator.migrate(pool)
    }

    public func read<T>(_ body: (any LedgerReader) throws -> T) throws -> T {
        try pool.read { db in try body(SQLiteSession(db: db)) }
    }

    public func write<T>(_ body: (any LedgerWriter) throws -> T) throws -> T {
        try pool.write { db in try body(SQLiteSession(db: db)) }
    }

    /// Size of the database files on disk (database, WAL and shared-memory index), in bytes.
    public var bytesOnDisk: Int64 {
        [path, path + "-wal", path + "-shm"].reduce(Int64(0)) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
    }

    /// Folds the WAL into the database file.
    public func checkpointWAL() throws {
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }
}
