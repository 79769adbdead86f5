import Foundation

/// A store whose commits go to a write-ahead log that has to be copied back into the database
/// file from time to time (SQLite's checkpoint), and that can have that copy made behind its
/// writers instead of inside a commit.
///
/// By default the commit that finds the log past a threshold copies it, while the writes queued
/// behind it wait. A server under steady writes hands the copy to a thread of its own
/// (`Checkpointer`): commits then only append to the log, and the thread copies what they appended
/// on a connection of its own, without taking the write lock. A store without such a log (a
/// database server) does not adopt this protocol.
public protocol CheckpointingStore: LedgerStore {
    /// Opens a connection for checkpoints behind the writers. From then on, until it is closed,
    /// commits leave the copy to it and copy the log themselves only past a safety bound (for when
    /// the thread falls behind).
    func openBackgroundCheckpoints() throws -> any BackgroundCheckpoints
}

/// The checkpoints of a `CheckpointingStore`, made on a connection of their own.
public protocol BackgroundCheckpoints: AnyObject, Sendable {
    /// Copies the pages the log holds into the database file without waiting for writers or
    /// readers: pages that a reader may still need stay in the log for a later pass, and the writer
    /// starts the log over once all of it is copied. Called often by one thread.
    func checkpoint() throws -> LogCheckpoint
    /// Gives commits back their own checkpoints and closes the connection.
    func close()
}

/// What one checkpoint found and did.
public struct LogCheckpoint: Sendable, Equatable {
    /// Pages in the log.
    public var logPages: Int
    /// Pages of the log now in the database file.
    public var copiedPages: Int
    /// Whether another checkpoint was running (this one then did nothing).
    public var busy: Bool

    public init(logPages: Int, copiedPages: Int, busy: Bool = false) {
        self.logPages = logPages
        self.copiedPages = copiedPages
        self.busy = busy
    }
}
