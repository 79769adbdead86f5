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
    public let capacity: Int

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

    /// After a commit that began at `startSeq` and ended at `headSeq`: drops what it touched (and
    /// everything, if another writer had moved the ledger since this server's last commit).
    func committed(startSeq: Int64, headSeq: Int64, contacts: Set<String>, profiles: Bool, organisationChanged: Bool) {
        lock.lock()
        defer { lock.unlock() }
        epoch &+= 1
        if let knownHead, knownHead != startSeq {
            dropAll()
        } else {
            for contact in contacts { timelines.removeValue(forKey: contact) }
            if profiles { contactIDs.removeAll(keepingCapacity: true) }
            if organisationChanged { organisation = nil }
        }
        knownHead = headSeq
    }

    /// Drops everything if the ledger's head is not where this server's last commit left it.
    func check(head: Int64) {
        lock.lock()
        defer { lock.unlock() }
        if knownHead != head {
            epoch &+= 1
            dropAll()
            knownHead = head
        }
    }

    /// Number of contacts held.
    var count: Int { lock.withLock { timelines.count } }

    private func dropAll() {
        timelines.removeAll(keepingCapacity: true)
        contactIDs.removeAll(keepingCapacity: true)
        organisation = nil
    }

    private func evict() {
        let victims = timelines.keys.prefix(Swift.max(1, capacity / 64))
        for key in Array(victims) { timelines.removeValue(forKey: key) }
    }
}
