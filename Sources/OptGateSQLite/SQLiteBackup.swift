import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif
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
            // Each backup step is a transaction on the copy: unsynced, since a copy cut short is
            // removed, not used; the whole file is synced once at the end.
            var configuration = Configuration()
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
            let destination = try DatabaseQueue(path: path, configuration: configuration)
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
            try Self.sync(path: path)
            return head
        } catch {
            for file in [path, path + "-journal", path + "-wal", path + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
            throw error
        }
    }

    /// Flushes a file's contents, or a directory's entries (a rename in it), to the disk.
    public static func sync(path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            if descriptor >= 0 { close(descriptor) }
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        close(descriptor)
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
