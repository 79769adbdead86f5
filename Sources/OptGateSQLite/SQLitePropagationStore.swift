import Foundation
import GRDB
import OptGateCore
import OptGateLedger

/// Destinations and the outbox in the ledger's database (tables `destinations` and `deliveries`),
/// outside the hash chain: the chain is the evidence of what happened; the outbox is the work of
/// telling other systems, and its rows are the proof of when each confirmed.
extension SQLiteLedgerStore: PropagationStore {
    public func readPropagation<T>(_ body: (any PropagationReader) throws -> T) throws -> T {
        try pool.read { db in try body(SQLiteSession(db: db)) }
    }

    public func writePropagation<T>(_ body: (any PropagationWriter) throws -> T) throws -> T {
        try pool.write { db in try body(SQLiteSession(db: db)) }
    }
}

extension SQLiteSession: PropagationWriter {
    private static let deliveryColumns = """
        key, destination, seq, change, contact_id, received_at, bound_at, deadline, state, attempts, next_attempt_at, \
        last_attempt_at, last_error, delivered_at
        """

    /// Deadline missed as of the bound instant: unconfirmed past it, or confirmed after it.
    private static let overdue = "((delivered_at IS NULL AND deadline < ?) OR (delivered_at IS NOT NULL AND delivered_at > deadline))"

    private func destination(_ row: Row) throws -> Destination {
        let kindText: String = row["kind"]
        guard let kind = DestinationKind(rawValue: kindText) else {
            throw LedgerError.corrupt("destination \(row["name"] as String) has unknown kind \(kindText)")
        }
        return Destination(
            name: row["name"], url: row["url"], kind: kind, deadlineHours: row["deadline_hours"],
            createdAt: Timestamp(secondsSinceEpoch: row["created_at"]),
            removedAt: (row["removed_at"] as Int64?).map(Timestamp.init(secondsSinceEpoch:)), cursor: row["cursor"])
    }

    private func delivery(_ row: Row) throws -> Delivery {
        let key: String = row[0]
        let changeText: String = row[3]
        let stateText: String = row[8]
        guard let change = ChangeType(rawValue: changeText), let state = DeliveryState(rawValue: stateText) else {
            throw LedgerError.corrupt("delivery \(key) has unknown change \(changeText) or state \(stateText)")
        }
        return Delivery(
            key: key, destination: row[1], seq: row[2], change: change, contactID: row[4],
            receivedAt: Timestamp(secondsSinceEpoch: row[5]), boundAt: Timestamp(secondsSinceEpoch: row[6]),
            deadline: Timestamp(secondsSinceEpoch: row[7]), state: state, attempts: row[9], nextAttemptAt: row[10],
            lastAttemptAt: (row[11] as Int64?).map(Timestamp.init(secondsSinceEpoch:)), lastError: row[12],
            deliveredAt: (row[13] as Int64?).map(Timestamp.init(secondsSinceEpoch:)))
    }

    func destinations() throws -> [Destination] {
        // Cached: the propagator reads them after every commit.
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM destinations ORDER BY name")).map(destination)
    }

    func destination(name: String) throws -> Destination? {
        try Row.fetchOne(db, sql: "SELECT * FROM destinations WHERE name = ?", arguments: [name]).map(destination)
    }

    func ledgerEntry(seq: Int64) throws -> (StoredEntry, SealedPersonalData?)? {
        var found: (StoredEntry, SealedPersonalData?)?
        struct Found: Error {}
        do {
            try forEachEntry(from: seq) { entry, personal in
                if entry.seq == seq { found = (entry, personal) }
                throw Found()
            }
        } catch is Found {}
        return found
    }

    func delivery(key: String) throws -> Delivery? {
        try Row.fetchOne(db, sql: "SELECT \(Self.deliveryColumns) FROM deliveries WHERE key = ?", arguments: [key]).map(delivery)
    }

    func dueDeliveries(destination: String, at time: Double, limit: Int) throws -> [Delivery] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT \(Self.deliveryColumns) FROM deliveries
            WHERE destination = ? AND state = 'pending' AND next_attempt_at <= ? ORDER BY seq LIMIT ?
            """), arguments: [destination, time, limit]).map(delivery)
    }

    func deliveries(_ filter: DeliveryFilter, destination: String?, limit: Int) throws -> [Delivery] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        switch filter {
        case .state(let state):
            conditions.append("state = ?")
            arguments += [state.rawValue]
        case .overdue(let now):
            conditions.append(Self.overdue)
            arguments += [now.secondsSinceEpoch]
        }
        if let destination {
            conditions.append("destination = ?")
            arguments += [destination]
        }
        arguments += [limit]
        return try Row.fetchAll(db, sql: """
            SELECT \(Self.deliveryColumns) FROM deliveries WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq, destination LIMIT ?
            """, arguments: arguments).map(delivery)
    }

    func deliveries(contactID: String) throws -> [Delivery] {
        try Row.fetchAll(db, sql: "SELECT \(Self.deliveryColumns) FROM deliveries WHERE contact_id = ? ORDER BY seq, destination", arguments: [contactID])
            .map(delivery)
    }

    func deliveryCounts(at now: Timestamp) throws -> [DeliveryCounts] {
        try Row.fetchAll(db, sql: """
            SELECT destination,
                   SUM(state = 'pending'), SUM(state = 'delivered'), SUM(state = 'dead'),
                   SUM(CASE WHEN \(Self.overdue) THEN 1 ELSE 0 END),
                   MIN(CASE WHEN state = 'pending' THEN bound_at END)
            FROM deliveries GROUP BY destination ORDER BY destination
            """, arguments: [now.secondsSinceEpoch]).map { row in
            DeliveryCounts(
                destination: row[0], pending: row[1], delivered: row[2], dead: row[3], overdue: row[4],
                oldestPendingBoundAt: (row[5] as Int64?).map(Timestamp.init(secondsSinceEpoch:)))
        }
    }

    // MARK: Writes

    func insertDestination(_ d: Destination) throws -> Bool {
        try db.execute(
            sql: """
                INSERT INTO destinations (name, url, kind, deadline_hours, created_at, removed_at, cursor) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(name) DO NOTHING
                """,
            arguments: [d.name, d.url, d.kind.rawValue, d.deadlineHours, d.createdAt.secondsSinceEpoch, d.removedAt?.secondsSinceEpoch, d.cursor])
        return db.changesCount == 1
    }

    func markRemoved(destination name: String, at instant: Timestamp) throws -> Bool {
        try db.execute(
            sql: "UPDATE destinations SET removed_at = ? WHERE name = ? AND removed_at IS NULL", arguments: [instant.secondsSinceEpoch, name])
        return db.changesCount == 1
    }

    func setCursor(destination name: String, seq: Int64) throws {
        try db.execute(sql: "UPDATE destinations SET cursor = ? WHERE name = ?", arguments: [seq, name])
    }

    func insertDelivery(_ d: Delivery) throws -> Bool {
        try db.cachedStatement(sql: """
            INSERT INTO deliveries (\(Self.deliveryColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """).execute(arguments: [
            d.key, d.destination, d.seq, d.change.rawValue, d.contactID, d.receivedAt.secondsSinceEpoch, d.boundAt.secondsSinceEpoch,
            d.deadline.secondsSinceEpoch, d.state.rawValue, d.attempts, d.nextAttemptAt, d.lastAttemptAt?.secondsSinceEpoch,
            d.lastError, d.deliveredAt?.secondsSinceEpoch,
        ])
        return db.changesCount == 1
    }

    func markDelivered(key: String, attempts: Int, at instant: Timestamp) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE deliveries SET state = 'delivered', attempts = ?, last_attempt_at = ?, delivered_at = ?, last_error = NULL
                WHERE key = ? AND state = 'pending'
                """,
            arguments: [attempts, instant.secondsSinceEpoch, instant.secondsSinceEpoch, key])
        return db.changesCount == 1
    }

    func markFailed(key: String, attempts: Int, at instant: Timestamp, error: String, nextAttemptAt: Double?) throws {
        try db.execute(
            sql: """
                UPDATE deliveries SET state = ?, attempts = ?, last_attempt_at = ?, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at)
                WHERE key = ? AND state = 'pending'
                """,
            arguments: [nextAttemptAt == nil ? "dead" : "pending", attempts, instant.secondsSinceEpoch, error, nextAttemptAt, key])
    }

    func requeue(key: String, at time: Double) throws -> Bool {
        try db.execute(
            sql: "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE key = ? AND state = 'dead'",
            arguments: [time, key])
        return db.changesCount == 1
    }

    func requeueDead(destination: String?, at time: Double) throws -> Int {
        try db.execute(
            sql: "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE state = 'dead' AND (? IS NULL OR destination = ?)",
            arguments: [time, destination, destination])
        return db.changesCount
    }
}
