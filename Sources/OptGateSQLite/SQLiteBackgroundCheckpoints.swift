import Foundation
import GRDB
import GRDBSQLite
import OptGateLedger

/// Passive checkpoints of the ledger's WAL on a connection of their own.
///
/// `PRAGMA wal_checkpoint(PASSIVE)` on the pool's writer would queue behind the writes it should
/// stay out of the way of; this connection takes no write lock, only SQLite's checkpoint lock. While
/// it is open the writer's automatic checkpoint moves from 10,000 pages to `safetyPages`, so that
/// commits leave the copy to it unless it falls far behind.
final class SQLiteBackgroundCheckpoints: BackgroundCheckpoints {
    /// The writer's automatic checkpoint while checkpoints run behind it: 160 MB of WAL.
    static let safetyPages = 40_000
    private let connection: DatabaseQueue
    private let pool: DatabasePool

    init(path: String, pool: DatabasePool) throws {
        var configuration = Configuration()
        configuration.label = "optgate.checkpoints"
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.pool = pool
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.safetyPages)") }
    }

    func checkpoint() throws -> LogCheckpoint {
        try connection.inDatabase { db in
            var logPages: Int32 = 0
            var copiedPages: Int32 = 0
            let code = sqlite3_wal_checkpoint_v2(db.sqliteConnection, nil, SQLITE_CHECKPOINT_PASSIVE, &logPages, &copiedPages)
            switch code {
            case SQLITE_OK:
                return LogCheckpoint(logPages: Int(max(logPages, 0)), copiedPages: Int(max(copiedPages, 0)))
            case SQLITE_BUSY, SQLITE_LOCKED:
                // The writer's own checkpoint, or a reclaim after a long scan, is copying right now.
                return LogCheckpoint(logPages: 0, copiedPages: 0, busy: true)
            default:
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
    }

    func close() {
        try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(SQLiteLedgerStore.automaticCheckpointPages)") }
        try? connection.close()
    }
}

extension SQLiteLedgerStore: CheckpointingStore {
    public func openBackgroundCheckpoints() throws -> any BackgroundCheckpoints {
        try SQLiteBackgroundCheckpoints(path: path, pool: pool)
    }
}
