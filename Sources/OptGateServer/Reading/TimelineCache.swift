import Foundation
import OptGateLedger

/// What decisions need of the contacts this server decides for, kept in memory so that a decision
/// reads nothing from the database: each contact's timeline (profiles and events), the
/// organisation's history, and identifier lookups.
///
/// It is never stale for writes made through this server: the group committer drops what a commit
/// touched before the commit is acknowledged, so a decision asked after an opt-out was acknowledged
/// sees it. A load that overlapped a commit is not kept (it may predate the commit). Writes made
/// outside the server (an `optgate import` or `erase` while it runs) are noticed by `watch`, which
/// compares the ledger's head with the last one this server wrote and drops everything when another
/// writer moved it; until then (at most one watch interval) decisions may not reflect them.
///
/// Bounded by `capacity` contacts; beyond it, an arbitrary sixty-fourth is dropped.
public final class TimelineCache: @unchecked Sendable {
    private let lock = NSLock()
    private var timelines: [String: ContactTimeline] = [:]
    private var contactIDs: [Identifier: String] = [:]
    private var organisation: OrganisationHistory?
    /// Bumped by every commit and every flush: a load that began in an earlier epoch is not kept.
    private var epoch: UInt64 = 0
    /// The ledger's head after this server's last commit, nil until known.
    private var knownHead: Int64?
    /// Whether one of this server's commits is under way (its head is not yet known).
    private var committing = false
    public let capacity: Int
    /// While a warm-up runs: the contacts commits touched since it began (nil: none running), and
    /// whether something it read may have changed wholesale (another writer, the organisation).
    private var touchedDuringWarmUp: Set<String>?
    private var warmUpSpoiled = false

    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// A contact's timeline and the organisation, from memory or else from `load`.
    func timeline(
        _ contactID: String, load: () throws -> (ContactTimeline, OrganisationHistory)
    ) throws -> (ContactTimeline, OrganisationHistory) {
        let began: UInt64
        lock.lock()
        if let timeline = timelines[contactID], let organisation {
            lock.unlock()
            return (timeline, organisation)
        }
        began = epoch
        lock.unlock()
        let loaded = try load()
        guard capacity > 0 else { return loaded }
        lock.lock()
        defer { lock.unlock() }
        if epoch == began {
            if timelines.count >= capacity { evict() }
            timelines[contactID] = loaded.0
            organisation = loaded.1
        }
        return loaded
    }

    /// The organisation's history, from memory or else from `load`.
    func organisation(load: () throws -> OrganisationHistory) throws -> OrganisationHistory {
        lock.lock()
        if let organisation {
            lock.unlock()
            return organisation
        }
        let began = epoch
        lock.unlock()
        let loaded = try load()
        lock.withLock { if epoch == began, capacity > 0 { organisation = loaded } }
        return loaded
    }

    /// The contact an identifier belongs to, from memory or else from `load` (unknown identifiers
    /// are not remembered: a contact may be created for them at any moment).
    func contactID(_ identifier: Identifier, load: () throws -> String?) throws -> String? {
        lock.lock()
        if let id = contactIDs[identifier] {
            lock.unlock()
            return id
        }
        let began = epoch
        lock.unlock()
        guard let id = try load() else { return nil }
        lock.lock()
        defer { lock.unlock() }
        if epoch == began, capacity > 0 {
            if contactIDs.count >= capacity { contactIDs.removeAll(keepingCapacity: true) }
            contactIDs[identifier] = id
        }
        return id
    }

    /// Before a commit's transaction begins: loads and head checks that overlap it are not trusted.
    func beginningCommit() {
        lock.withLock {
            epoch &+= 1
            committing = true
        }
    }

    /// After a commit's transaction was rolled back: nothing changed.
    func abandonedCommit() {
        lock.withLock {
            epoch &+= 1
            committing = false
        }
    }

    /// After a commit that began at `startSeq` and ended at `headSeq`: drops what it touched (and
    /// everything, if another writer had moved the ledger since this server's last commit).
    func committed(startSeq: Int64, headSeq: Int64, contacts: Set<String>, profiles: Bool, organisationChanged: Bool) {
        lock.lock()
        defer { lock.unlock() }
        epoch &+= 1
        committing = false
        if let knownHead, knownHead != startSeq {
            dropAll()
        } else {
            for contact in contacts { timelines.removeValue(forKey: contact) }
            if profiles { contactIDs.removeAll(keepingCapacity: true) }
            if organisationChanged {
                organisation = nil
                warmUpSpoiled = true
            }
            touchedDuringWarmUp?.formUnion(contacts)
        }
        knownHead = headSeq
    }

    /// Drops everything if the ledger's head is not where this server's last commit left it.
    /// `readHead` reads the head; a check that overlaps one of this server's commits is skipped
    /// (that commit compares the head it began from with the last one it knew, and drops
    /// everything itself if another writer moved it).
    func check(readHead: () throws -> Int64) rethrows {
        let began = lock.withLock { epoch }
        if lock.withLock({ committing }) { return }
        let head = try readHead()
        lock.lock()
        defer { lock.unlock() }
        guard epoch == began, !committing, knownHead != head else { return }
        epoch &+= 1
        if knownHead != nil { dropAll() }
        knownHead = head
    }

    /// Loads the timelines of up to `capacity` contacts as of the ledger's head when it starts, so
    /// that decisions are answered from memory from the start; runs while the server serves, in
    /// short read transactions (`Ledger.allTimelines`). Contacts that commits touch meanwhile are
    /// left out (they load on demand), and nothing is kept if another writer or an organisation
    /// change intervened. `progress` is told after each transaction how many of the ledger's
    /// entries have been read. Returns the number of contacts loaded.
    @discardableResult
    public func warmUp(from ledger: Ledger, progress: (_ read: Int64, _ of: Int64) -> Void = { _, _ in }) throws -> Int {
        guard capacity > 0 else { return 0 }
        lock.withLock {
            touchedDuringWarmUp = []
            warmUpSpoiled = false
        }
        defer { lock.withLock { touchedDuringWarmUp = nil } }
        let (loaded, organisation, _) = try ledger.allTimelines(limit: capacity, progress: progress)
        lock.lock()
        defer { lock.unlock() }
        guard !warmUpSpoiled else { return 0 }
        let touched = touchedDuringWarmUp ?? []
        var count = 0
        for (id, timeline) in loaded where !touched.contains(id) && timelines[id] == nil {
            guard timelines.count < capacity else { break }
            timelines[id] = timeline
            count += 1
        }
        if self.organisation == nil { self.organisation = organisation }
        return count
    }

    /// Number of contacts held.
    var count: Int { lock.withLock { timelines.count } }

    private func dropAll() {
        warmUpSpoiled = true
        timelines.removeAll(keepingCapacity: true)
        contactIDs.removeAll(keepingCapacity: true)
        organisation = nil
    }

    private func evict() {
        let victims = timelines.keys.prefix(Swift.max(1, capacity / 64))
        for key in Array(victims) { timelines.removeValue(forKey: key) }
    }
}
