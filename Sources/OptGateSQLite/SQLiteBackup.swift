import Foundation
import GRDB
import OptGateLedger

/// How far a backup has come, in database pages.
public struct BackupProgress: Hashable, Sendable {
    public var copiedPages: Int
    public var totalPages: Int
}

extension SQLiteLedgerStore {
    /// Copies the whole database (ledger, personal data, contacts, states, API keys, link keys,
    /// destinations and outbox) into a new file at `path`, as it stood at one committed moment.
    ///
    /// SQLite's online backup runs inside one read transaction, so writers (a running server, an
    /// import) go on meanwhile and none of their later commits reaches the copy: the copy ends at a
    /// transaction boundary, with the checkpoint that transaction sealed. Returns the chain head the
    /// copy holds (nil for an empty ledger). `path` must not exist; on an error the partly written
    /// file is removed. An error thrown by `progress` stops the backup (except after the last step).
    public func backup(to path: String, pagesPerStep: Int32 = 4_096, progress: (BackupProgress) throws -> Void = { _ in }) throws -> ChainHead? {
        guard !FileManager.default.fileExists(atPath: path) else { throw BackupDestinationExists(path: path) }
        do {
            let destination = try DatabaseQueue(path: path)
            let head = try withoutActuallyEscaping(progress) { progress in
                try destination.writeWithoutTransaction { copy in
                    try pool.read { db -> ChainHead? in
                        let head = try SQLiteSession(db: db).head()
                        try db.backup(to: copy, pagesPerStep: pagesPerStep) { step in
                            try progress(BackupProgress(copiedPages: step.totalPageCount - step.remainingPageCount, totalPages: step.totalPageCount))
                        }
                        return head
                    }
                }
            }
            try destination.close()
            return head
        } catch {
            for file in [path, path + "-journal", path + "-wal", path + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
            throw error
        }
    }

    /// SQLite's own structural check of the database file (`PRAGMA quick_check`): nil when sound,
    /// else SQLite's first complaints.
    public func quickCheck() throws -> String? {
        let lines = try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(10)") }
        return lines == ["ok"] ? nil : lines.joined(separator: "; ")
    }

    /// A backup was asked to write over a file that exists.
    public struct BackupDestinationExists: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "\(path) exists: a backup writes a new file only" }
    }
}
