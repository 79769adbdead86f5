import OptGateCore

/// The transactional outbox, kept as a tail of the ledger: the ledger is the durable change feed,
/// and each destination has a cursor into it. Enqueuing reads the entries after a destination's
/// cursor and, in one transaction, inserts a delivery per change and moves the cursor, so no
/// change is skipped or enqueued twice, and writes to the ledger carry no second write.
public struct Outbox: Sendable {
    public let store: any PropagationStore

    public init(store: any PropagationStore) {
        self.store = store
    }

    /// Adds a destination. It receives the changes recorded after it was added, or with
    /// `fromStart` every change the ledger holds.
    @discardableResult
    public func addDestination(
        name: String, url: String, kind: DestinationKind, deadlineHours: Int?, fromStart: Bool, at instant: Timestamp
    ) throws -> Destination {
        try store.writePropagation { writer in
            let cursor = fromStart ? 0 : try writer.head()?.seq ?? 0
            let destination = Destination(name: name, url: url, kind: kind, deadlineHours: deadlineHours, createdAt: instant, cursor: cursor)
            guard try writer.insertDestination(destination) else { throw PropagationError.duplicateDestination(name) }
            return destination
        }
    }

    /// Removes a destination: it gets nothing new; its deliveries stay listed.
    public func removeDestination(name: String, at instant: Timestamp) throws {
        try store.writePropagation { writer in
            guard try writer.markRemoved(destination: name, at: instant) else { throw PropagationError.unknownDestination(name) }
        }
    }

    public func destinations() throws -> [Destination] {
        try store.readPropagation { try $0.destinations() }
    }

    /// Enqueues the changes after the destination's cursor, scanning at most `batch` entries in one
    /// transaction, the first attempt due at `firstAttemptAt`. Returns the entries scanned (0 when
    /// the destination is up to date with the ledger) and the deliveries enqueued.
    public func enqueue(destination name: String, firstAttemptAt: Double, batch: Int = 1000) throws -> (scanned: Int, enqueued: Int) {
        try store.writePropagation { writer in
            guard let destination = try writer.destination(name: name), destination.isActive else { return (0, 0) }
            var scanned = 0
            var enqueued = 0
            var last = destination.cursor
            struct BatchFull: Error {}
            do {
                try writer.forEachEntry(from: destination.cursor + 1) { entry, personal in
                    guard scanned < batch else { throw BatchFull() }
                    scanned += 1
                    last = entry.seq
                    guard PropagatedChange.mayCarryChange(entry),
                          let change = PropagatedChange.of(entry, try LedgerSession.decode(entry, personal: nil))
                    else { return }
                    let delivery = Delivery(
                        key: Delivery.key(destination: name, seq: entry.seq), destination: name, seq: entry.seq, change: change.type,
                        contactID: change.contactID, receivedAt: change.receivedAt, boundAt: change.boundAt,
                        deadline: destination.deadline.deadline(receivedAt: change.receivedAt), nextAttemptAt: firstAttemptAt)
                    if try writer.insertDelivery(delivery) { enqueued += 1 }
                }
            } catch is BatchFull {}
            if last != destination.cursor { try writer.setCursor(destination: name, seq: last) }
            return (scanned, enqueued)
        }
    }

    /// Enqueues every active destination's changes up to the ledger's head; returns how many
    /// deliveries were enqueued.
    @discardableResult
    public func enqueueAll(firstAttemptAt: Double, batch: Int = 1000) throws -> Int {
        var total = 0
        // One read finds whether anything is new: most rounds take no write lock at all.
        let (head, destinations) = try store.readPropagation { (try $0.head()?.seq ?? 0, try $0.destinations()) }
        for destination in destinations where destination.isActive && destination.cursor < head {
            while true {
                let (scanned, enqueued) = try enqueue(destination: destination.name, firstAttemptAt: firstAttemptAt, batch: batch)
                total += enqueued
                if scanned < batch { break }
            }
        }
        return total
    }

    /// Puts a dead-lettered delivery back in the queue, due at `time`.
    public func requeue(key: String, at time: Double) throws {
        try store.writePropagation { writer in
            guard try writer.requeue(key: key, at: time) else { throw PropagationError.noDeadDelivery(key) }
        }
    }

    /// Puts every dead-lettered delivery back in the queue; returns how many.
    @discardableResult
    public func requeueDead(destination: String? = nil, at time: Double) throws -> Int {
        try store.writePropagation { try $0.requeueDead(destination: destination, at: time) }
    }

    /// Each destination with its deliveries counted as of `now`.
    public func status(at now: Timestamp) throws -> [(destination: Destination, counts: DeliveryCounts)] {
        try store.readPropagation { reader in
            let counts = Dictionary(try reader.deliveryCounts(at: now).map { ($0.destination, $0) }, uniquingKeysWith: { a, _ in a })
            return try reader.destinations().map { ($0, counts[$0.name] ?? DeliveryCounts(destination: $0.name)) }
        }
    }

    public func deliveries(_ filter: DeliveryFilter, destination: String? = nil, limit: Int) throws -> [Delivery] {
        try store.readPropagation { try $0.deliveries(filter, destination: destination, limit: limit) }
    }

    /// Every delivery of a contact's changes: the proof of propagation in their evidence pack.
    public func deliveries(contactID: String) throws -> [Delivery] {
        try store.readPropagation { try $0.deliveries(contactID: contactID) }
    }
}
