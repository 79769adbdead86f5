import Foundation

/// Contacts known to exist in the ledger, shared by the write sessions of a long-running process
/// (the server's group commits), so that a record for a contact seen before is appended without
/// looking the contact up: at 1,000,000 contacts that look-up (a random page of `contacts`) was a
/// sixth of the writer thread's time under batched writes.
///
/// A contact is never removed from a ledger (erasure removes its personal data and keeps the
/// contact), so what is known stays true. A session hands over what it learnt only once its
/// transaction has committed (`Ledger.withSession(knownContacts:)`): a contact created by a
/// transaction that was rolled back is never taken as known. Past `capacity` contacts, no more are
/// added (those sessions look the rest up, as without this).
public final class KnownContacts: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: Set<String> = []
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
    }

    public func contains(_ id: String) -> Bool {
        lock.withLock { ids.contains(id) }
    }

    public var count: Int { lock.withLock { ids.count } }

    /// Adds the contacts `ledger` holds, up to the capacity, and returns how many are known: a
    /// server does this at start, in the background, so that its first writes for each contact need
    /// no look-up either. Committed contacts are never removed, so reading them is always safe.
    @discardableResult
    public func load(from ledger: Ledger) throws -> Int {
        var chunk: [String] = []
        chunk.reserveCapacity(10_000)
        try ledger.store.read { reader in
            try reader.forEachContactID(limit: capacity) { id in
                chunk.append(id)
                if chunk.count == 10_000 {
                    insert(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
        }
        insert(chunk)
        return count
    }

    /// Adds contacts that a committed transaction found or created.
    func insert(_ learnt: [String]) {
        guard !learnt.isEmpty else { return }
        lock.withLock {
            for id in learnt where ids.count < capacity { ids.insert(id) }
        }
    }
}
