import Foundation
import OptGateLedger

/// What decisions need of the contacts this server decides for, kept in memory so that a decision
/// reads nothing from the database: each contact's timeline (profiles and events), the
/// organisation's history, and identifier lookups.
///
/// It is never stale for writes made through this server: the group committer drops what a commit
/// touched before the commit is acknowledged, so a decision asked after an opt-out was acknowledged
/// sees it. A load that overlapped a commit is not kept (it may predate the commit). Writes made
/// by other writers (an `optgate import` or `erase` while it runs, or other servers sharing a
/// PostgreSQL ledger) are found by `check`, which reads the entries appended since those it has
/// seen and drops what they touched. On a ledger of its own the server checks every watch
/// interval; on a shared ledger, before every decision (`ServerServices.catchUp`).
///
/// Bounded by `capacity` contacts; beyond it, an arbitrary sixty-fourth is dropped.
public final class TimelineCache: @unchecked Sendable {
    private let lock = NSLock()
    private var timelines: [String: ContactTimeline] = [:]
    private var contactIDs: [Identifier: String] = [:]
    private var organisation: OrganisationHistory?
    /// Bumped by every commit and every flush: a load that began in an earlier epoch is not kept.
    private var epoch: UInt64 = 0
    /// Every entry up to this position has been seen: what it changed is not held. Nil until known.
    private var seen: Int64?
    /// This server's commits past `seen`: they follow entries of another writer that the next
    /// `check` reads.
    private var ownAhead: [OwnCommit] = []

    /// The entries one of this server's commits appended: `first` through `last` (none if `last`
    /// is before `first`: a commit of duplicates only).
    private struct OwnCommit {
        var first: Int64
        var last: Int64
        func contains(_ seq: Int64) -> Bool { first <= seq && seq <= last }
    }
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

    /// Before a commit's transaction begins: loads that overlap it are not kept.
    func beginningCommit() {
        lock.withLock { epoch &+= 1 }
    }

    /// After a commit's transaction was rolled back: nothing changed.
    func abandonedCommit() {
        lock.withLock { epoch &+= 1 }
    }

    /// After a commit that began at `startSeq` (the head before it) and ended at `headSeq`: drops
    /// what it touched. If another writer had appended since the entries this cache has seen, those
    /// entries are left to the next `check`, which reads them.
    func committed(startSeq: Int64, headSeq: Int64, contacts: Set<String>, profiles: Bool, organisationChanged: Bool) {
        lock.lock()
        defer { lock.unlock() }
        epoch &+= 1
        for contact in contacts { timelines.removeValue(forKey: contact) }
        if profiles { contactIDs.removeAll(keepingCapacity: true) }
        if organisationChanged {
            organisation = nil
            warmUpSpoiled = true
        }
        touchedDuringWarmUp?.formUnion(contacts)
        if let seen, startSeq > seen {
            ownAhead.append(OwnCommit(first: startSeq + 1, last: headSeq))
        } else {
            seen = Swift.max(seen ?? headSeq, headSeq)
            absorbOwnAhead()
        }
    }

    /// Whether one of this server's commits found that another writer had appended before it:
    /// the next decision then reads those entries first (`ServerServices.catchUp`).
    var knowsOfUnseenEntries: Bool { lock.withLock { !ownAhead.isEmpty } }

    /// What one entry of another writer changed: its position, kind and contact.
    typealias Change = (seq: Int64, kind: EntryKind, contactID: String?)

    /// Reads what other writers appended since the entries this cache has seen, and drops what
    /// they changed: the contacts they touched, the identifier look-ups if they added or erased a
    /// contact's identifiers, the organisation if they changed it. `readHead` reads the ledger's
    /// head; `readChanges(from, through)` the entries in that range, or nil if there are too many
    /// to be worth reading one by one (everything is dropped then). This server's own commits in
    /// the range were dropped when they committed and are skipped.
    func check(readHead: () throws -> Int64, readChanges: (_ from: Int64, _ through: Int64) throws -> [Change]?) rethrows {
        guard let from = lock.withLock({ seen.map { $0 + 1 } }) else {
            let head = try readHead()
            lock.withLock { if seen == nil { seen = head } }
            return
        }
        let head = try readHead()
        guard head >= from else { return }
        let changes = try readChanges(from, head)
        lock.lock()
        defer { lock.unlock() }
        guard let current = seen, current < head else { return }
        epoch &+= 1
        if let changes {
            for change in changes where change.seq > current && !ownAhead.contains(where: { $0.contains(change.seq) }) {
                forget(change)
            }
        } else {
            dropAll()
        }
        seen = head
        ownAhead.removeAll { $0.last <= head }
        absorbOwnAhead()
    }

    /// Drops what one entry of another writer may have changed.
    private func forget(_ change: Change) {
        switch change.kind {
        case .entity, .product, .policy, .notice:
            organisation = nil
            warmUpSpoiled = true
        case .contact, .erasure:
            contactIDs.removeAll(keepingCapacity: true)
        case .event, .decision, .note, .campaign:
            break
        }
        if let contact = change.contactID {
            timelines.removeValue(forKey: contact)
            touchedDuringWarmUp?.insert(contact)
        }
    }

    /// Moves `seen` over this server's commits that now follow it directly.
    private func absorbOwnAhead() {
        guard var position = seen else { return }
        ownAhead.sort { $0.first < $1.first }
        while let next = ownAhead.first, next.first <= position + 1 {
            position = Swift.max(position, next.last)
            ownAhead.removeFirst()
        }
        seen = position
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
