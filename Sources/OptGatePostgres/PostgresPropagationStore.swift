import Foundation
import OptGateCore
import OptGateLedger
import PostgresNIO

/// Destinations and the outbox in the ledger's database (tables `destinations` and `deliveries`),
/// outside the hash chain, as in `SQLitePropagationStore`. Writes take the writers' lock like the
/// ledger's, so that the servers sharing a database move a destination's cursor one at a time.
extension PostgresLedgerStore: PropagationStore {
    public func readPropagation<T>(_ body: (any PropagationReader) throws -> T) throws -> T {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", locked: false) { try body($0) }
    }

    public func writePropagation<T>(_ body: (any PropagationWriter) throws -> T) throws -> T {
        try transaction(begin: "BEGIN", locked: true) { try body($0) }
    }
}

extension PostgresSession: PropagationWriter {
    private static let deliveryColumns = """
        key, destination, seq, change, contact_id, received_at, bound_at, deadline, state, attempts, next_attempt_at, \
        last_attempt_at, last_error, delivered_at
        """

    private static let destinationColumns = "name, url, kind, deadline_hours, created_at, removed_at, cursor"

    /// Deadline missed as of the bound instant `$1`: unconfirmed past it, or confirmed after it.
    private static func overdue(_ now: Int64) -> PostgresQuery {
        "((delivered_at IS NULL AND deadline < \(now)) OR (delivered_at IS NOT NULL AND delivered_at > deadline))"
    }

    private func destination(_ row: PostgresRow) throws -> Destination {
        let (name, url, kindText, deadlineHours, createdAt, removedAt, cursor) =
            try row.decode((String, String, String, Int?, Int64, Int64?, Int64).self)
        guard let kind = DestinationKind(rawValue: kindText) else { throw LedgerError.corrupt("destination \(name) has unknown kind \(kindText)") }
        return Destination(
            name: name, url: url, kind: kind, deadlineHours: deadlineHours, createdAt: Timestamp(secondsSinceEpoch: createdAt),
            removedAt: removedAt.map(Timestamp.init(secondsSinceEpoch:)), cursor: cursor)
    }

    private func delivery(_ row: PostgresRow) throws -> Delivery {
        let c = try row.decode((String, String, Int64, String, String, Int64, Int64, Int64, String, Int, Double, Int64?, String?, Int64?).self)
        guard let change = ChangeType(rawValue: c.3), let state = DeliveryState(rawValue: c.8) else {
            throw LedgerError.corrupt("delivery \(c.0) has unknown change \(c.3) or state \(c.8)")
        }
        return Delivery(
            key: c.0, destination: c.1, seq: c.2, change: change, contactID: c.4, receivedAt: Timestamp(secondsSinceEpoch: c.5),
            boundAt: Timestamp(secondsSinceEpoch: c.6), deadline: Timestamp(secondsSinceEpoch: c.7), state: state, attempts: c.9,
            nextAttemptAt: c.10, lastAttemptAt: c.11.map(Timestamp.init(secondsSinceEpoch:)), lastError: c.12,
            deliveredAt: c.13.map(Timestamp.init(secondsSinceEpoch:)))
    }

    func destinations() throws -> [Destination] {
        try run("SELECT \(unescaped: Self.destinationColumns) FROM destinations ORDER BY name", doing: "reading destinations").map(destination)
    }

    func destination(name: String) throws -> Destination? {
        try run("SELECT \(unescaped: Self.destinationColumns) FROM destinations WHERE name = \(name)", doing: "reading a destination")
            .first.map(destination)
    }

    func ledgerEntry(seq: Int64) throws -> (StoredEntry, SealedPersonalData?)? {
        try run(
            """
            SELECT \(unescaped: Self.entryWithPersonalDataColumns)
            FROM ledger l LEFT JOIN personal_data p ON p.seq = l.seq WHERE l.seq = \(seq)
            """, doing: "reading entry \(seq)"
        ).first.map(entryWithPersonalData)
    }

    func delivery(key: String) throws -> Delivery? {
        try run("SELECT \(unescaped: Self.deliveryColumns) FROM deliveries WHERE key = \(key)", doing: "reading a delivery").first.map(delivery)
    }

    func dueDeliveries(destination: String, at time: Double, limit: Int) throws -> [Delivery] {
        try run(
            """
            SELECT \(unescaped: Self.deliveryColumns) FROM deliveries
            WHERE destination = \(destination) AND state = 'pending' AND next_attempt_at <= \(time) ORDER BY seq LIMIT \(limit)
            """, doing: "reading due deliveries"
        ).map(delivery)
    }

    func deliveries(_ filter: DeliveryFilter, destination: String?, limit: Int) throws -> [Delivery] {
        var query: PostgresQuery = "SELECT \(unescaped: Self.deliveryColumns) FROM deliveries WHERE "
        switch filter {
        case .state(let state):
            query.sql += "state = $\(query.binds.count + 1)"
            query.binds.append(state.rawValue)
        case .overdue(let now):
            let condition = Self.overdue(now.secondsSinceEpoch)
            query.sql += condition.sql.replacingOccurrences(of: "$1", with: "$\(query.binds.count + 1)")
            query.binds.append(now.secondsSinceEpoch)
        }
        if let destination {
            query.sql += " AND destination = $\(query.binds.count + 1)"
            query.binds.append(destination)
        }
        query.sql += " ORDER BY seq, destination LIMIT $\(query.binds.count + 1)"
        query.binds.append(limit)
        return try run(query, doing: "reading deliveries").map(delivery)
    }

    func deliveries(contactID: String) throws -> [Delivery] {
        try run(
            "SELECT \(unescaped: Self.deliveryColumns) FROM deliveries WHERE contact_id = \(contactID) ORDER BY seq, destination",
            doing: "reading a contact's deliveries"
        ).map(delivery)
    }

    func deliveryCounts(at now: Timestamp) throws -> [DeliveryCounts] {
        let overdue = Self.overdue(now.secondsSinceEpoch)
        return try run(
            PostgresQuery(
                unsafeSQL: """
                    SELECT destination,
                           COUNT(*) FILTER (WHERE state = 'pending'), COUNT(*) FILTER (WHERE state = 'delivered'),
                           COUNT(*) FILTER (WHERE state = 'dead'), COUNT(*) FILTER (WHERE \(overdue.sql)),
                           MIN(bound_at) FILTER (WHERE state = 'pending')
                    FROM deliveries GROUP BY destination ORDER BY destination
                    """, binds: overdue.binds), doing: "counting deliveries"
        ).map { row in
            let (destination, pending, delivered, dead, late, oldest) = try row.decode((String, Int, Int, Int, Int, Int64?).self)
            return DeliveryCounts(
                destination: destination, pending: pending, delivered: delivered, dead: dead, overdue: late,
                oldestPendingBoundAt: oldest.map(Timestamp.init(secondsSinceEpoch:)))
        }
    }

    // MARK: Writes

    func insertDestination(_ d: Destination) throws -> Bool {
        try changed(
            """
            INSERT INTO destinations (\(unescaped: Self.destinationColumns))
            VALUES (\(d.name), \(d.url), \(d.kind.rawValue), \(d.deadlineHours), \(d.createdAt.secondsSinceEpoch), \
            \(d.removedAt?.secondsSinceEpoch), \(d.cursor))
            ON CONFLICT (name) DO NOTHING
            """, doing: "adding a destination") == 1
    }

    func markRemoved(destination name: String, at instant: Timestamp) throws -> Bool {
        try changed(
            "UPDATE destinations SET removed_at = \(instant.secondsSinceEpoch) WHERE name = \(name) AND removed_at IS NULL",
            doing: "removing a destination") == 1
    }

    func setCursor(destination name: String, seq: Int64) throws {
        try run("UPDATE destinations SET cursor = \(seq) WHERE name = \(name)", doing: "moving a destination's cursor")
    }

    func insertDelivery(_ d: Delivery) throws -> Bool {
        try changed(
            """
            INSERT INTO deliveries (\(unescaped: Self.deliveryColumns))
            VALUES (\(d.key), \(d.destination), \(d.seq), \(d.change.rawValue), \(d.contactID), \(d.receivedAt.secondsSinceEpoch), \
            \(d.boundAt.secondsSinceEpoch), \(d.deadline.secondsSinceEpoch), \(d.state.rawValue), \(d.attempts), \(d.nextAttemptAt), \
            \(d.lastAttemptAt?.secondsSinceEpoch), \(d.lastError), \(d.deliveredAt?.secondsSinceEpoch))
            ON CONFLICT DO NOTHING
            """, doing: "queueing a delivery") == 1
    }

    func markDelivered(key: String, attempts: Int, at instant: Timestamp) throws -> Bool {
        try changed(
            """
            UPDATE deliveries SET state = 'delivered', attempts = \(attempts), last_attempt_at = \(instant.secondsSinceEpoch),
                delivered_at = \(instant.secondsSinceEpoch), last_error = NULL
            WHERE key = \(key) AND state = 'pending'
            """, doing: "marking a delivery delivered") == 1
    }

    func markFailed(key: String, attempts: Int, at instant: Timestamp, error: String, nextAttemptAt: Double?) throws {
        try run(
            """
            UPDATE deliveries SET state = \(nextAttemptAt == nil ? "dead" : "pending"), attempts = \(attempts),
                last_attempt_at = \(instant.secondsSinceEpoch), last_error = \(error),
                next_attempt_at = COALESCE(\(nextAttemptAt)::double precision, next_attempt_at)
            WHERE key = \(key) AND state = 'pending'
            """, doing: "marking a delivery failed")
    }

    func requeue(key: String, at time: Double) throws -> Bool {
        try changed(
            "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = \(time) WHERE key = \(key) AND state = 'dead'",
            doing: "requeueing a delivery") == 1
    }

    func requeueDead(destination: String?, at time: Double) throws -> Int {
        try changed(
            """
            UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = \(time)
            WHERE state = 'dead' AND (\(destination)::text IS NULL OR destination = \(destination))
            """, doing: "requeueing dead deliveries")
    }
}
