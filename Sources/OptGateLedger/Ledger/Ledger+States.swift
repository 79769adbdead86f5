import OptGateCore

/// Permission states folded behind the ledger.
///
/// A write session either folds its events into their contacts' stored states as it appends (every
/// session by default) or defers them (`Ledger.withSession(defersStates:)`, the server's group
/// commits, where the single writer thread limits the write path). The store keeps a cursor: the
/// stored states hold every event through it. Deferred events are folded later by `foldStates`,
/// which reads and folds on the caller's thread in a read transaction, and `save`, a short write
/// that stores the result unless the cursor moved meanwhile. A session that folds first folds in
/// whatever is past the cursor, and a contact's history read with its state adds the events past
/// the cursor, so the state shown is always that of every event the ledger holds.
public struct PendingStates: Sendable {
    /// The state cursor when the fold read the ledger.
    public let fromSeq: Int64
    /// The last entry folded: the cursor once saved.
    public let throughSeq: Int64
    /// Entries folded, and the events among them.
    public let entries: Int
    public let events: Int
    /// Of the entries, those read back from the store (the rest were folded from memory).
    public let entriesReadFromLedger: Int
    /// The new states of the contacts those events were about, encoded, in contact order.
    let states: [(contactID: String, text: String)]

    /// Contacts whose state the fold changed.
    public var contacts: Int { states.count }
}

extension Ledger {
    /// How many entries the stored permission states do not hold yet.
    public func unfoldedEntries() throws -> Int64 {
        try store.read { reader in (try reader.head()?.seq ?? 0) - (try reader.stateCursor()) }
    }

    /// Folds the next `limit` entries past the state cursor into their contacts' states, in a read
    /// transaction: each contact's stored state, its new events applied, encoded. nil when the
    /// states hold every entry. `save` stores the result.
    ///
    /// `appended`: what sessions that deferred states appended, as they committed, in chain order.
    /// When they continue from the cursor without a gap, their events are folded from memory, whole
    /// sessions at a time (so a fold may pass `limit` by the rest of one session); entries before
    /// the first of them are read from the store, as are all of them without it.
    public func foldStates(limit: Int, appended: [AppendedEvents] = []) throws -> PendingStates? {
        try store.read { reader in
            let cursor = try reader.stateCursor()
            guard let head = try reader.head()?.seq, head > cursor else { return nil }
            let limit = Int64(max(1, limit))
            var states: [String: PermissionState] = [:]
            var events = 0
            func fold(_ event: Event, _ contactID: String) throws {
                events += 1
                if let index = states.index(forKey: contactID) {
                    states.values[index].apply(event)
                } else {
                    var state = try reader.state(contactID: contactID) ?? PermissionState()
                    state.apply(event)
                    states[contactID] = state
                }
            }
            var through = cursor
            for session in appended where session.throughSeq > through {
                // A gap (entries appended by another writer) or a session this snapshot does not
                // hold yet ends what memory can give.
                guard session.afterSeq <= through, session.throughSeq <= head else { break }
                for item in session.events where item.seq > through { try fold(item.event, item.contactID) }
                through = session.throughSeq
                if through - cursor >= limit { break }
            }
            var readFromLedger = 0
            if through == cursor {
                // Up to the first session held in memory, if it is in this snapshot.
                let next = appended.first { $0.throughSeq > cursor && $0.afterSeq > cursor && $0.throughSeq <= head }
                through = min(head, cursor + limit, next?.afterSeq ?? head)
                try reader.forEachEvent(from: cursor + 1, through: through) { contactID, event in try fold(event, contactID) }
                readFromLedger = Int(through - cursor)
            }
            let encoded = states.keys.sorted().map { (contactID: $0, text: PermissionStateCodec.encode(states[$0]!)) }
            // Positions are consecutive: every one from the cursor on was folded.
            return PendingStates(
                fromSeq: cursor, throughSeq: through, entries: Int(through - cursor), events: events,
                entriesReadFromLedger: readFromLedger, states: encoded)
        }
    }

    /// Saves what `foldStates` folded and moves the cursor past it, in one write, unless the stored
    /// states moved on since it read them (another fold, or a session that folded the same events):
    /// then it saves nothing and returns false, and the next fold starts from the new cursor.
    @discardableResult
    public func save(_ pending: PendingStates) throws -> Bool {
        // Derived data: a crash that loses the save loses the cursor's move with it.
        try store.writeDerived { writer in
            guard try writer.stateCursor() == pending.fromSeq else { return false }
            try writer.saveStates(pending.states)
            try writer.setStateCursor(pending.throughSeq)
            return true
        }
    }

    /// Folds and saves until the states hold every entry, `limit` entries at a time; returns the
    /// entries folded.
    @discardableResult
    public func foldAllStates(limit: Int = 20_000) throws -> Int {
        var folded = 0
        while let pending = try foldStates(limit: limit) {
            if try save(pending) { folded += pending.entries }
        }
        return folded
    }
}

extension LedgerReader {
    /// The events among the entries `seq` through `last`, with their contacts, in chain order: what
    /// a fold of permission states reads past the state cursor.
    func forEachEvent(from seq: Int64, through last: Int64, _ body: (String, Event) throws -> Void) throws {
        try forEachEntry(from: seq, through: last) { entry, _ in
            guard entry.kind == .event, case .event(let contactID, let event, _) = try LedgerSession.decode(entry, personal: nil) else { return }
            try body(contactID, event)
        }
    }
}
