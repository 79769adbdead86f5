import Foundation

extension Ledger {
    /// The snapshot at `path` if it describes this ledger's chain (its newest entry is still there
    /// with the same hash), with how many entries were appended after it.
    public func openSnapshot(path: String) throws(SnapshotError) -> (snapshot: TimelineSnapshot, behind: Int64) {
        let snapshot = try TimelineSnapshot(path: path, secret: secret)
        let check: (hash: Data?, head: Int64)
        do {
            check = try store.read { reader in (try reader.entry(seq: snapshot.seq)?.hash, try reader.head()?.seq ?? 0) }
        } catch {
            throw SnapshotError(description: "\(path): the ledger could not be read: \(error)")
        }
        if snapshot.seq > 0, check.hash != snapshot.headHash {
            throw SnapshotError(description: "\(path): describes another chain than this ledger's (entry \(snapshot.seq) differs or is missing)")
        }
        return (snapshot, check.head - snapshot.seq)
    }

    /// Whether a snapshot `behind` entries behind a chain of `head` entries is still worth reading:
    /// the contacts appended to since are read from the ledger, so a snapshot more than 1 % (at
    /// least 10,000 entries) behind is rebuilt instead.
    public static func snapshotIsCurrentEnough(behind: Int64, head: Int64) -> Bool {
        behind <= max(10_000, head / 100)
    }
}
