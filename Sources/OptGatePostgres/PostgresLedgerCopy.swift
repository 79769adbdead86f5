import Foundation
import OptGateCore
import OptGateLedger
import PostgresNIO

/// Moving a ledger into PostgreSQL as it is: every entry with its hash, personal data with its
/// salt, every checkpoint, contact, identifier link, suppressed key, permission state, API key,
/// link key, destination and delivery, copied row for row. Importing the events again would give
/// a new chain (new salts, new recording times); a copy keeps the evidence exactly as it was, so
/// the same `audit verify` holds and every evidence pack already handed out still matches.
extension PostgresLedgerStore {
    /// What a copy moved.
    public struct CopySummary: Sendable, Equatable {
        public var entries: Int64 = 0
        public var personalData = 0
        public var checkpoints = 0
        public var contacts = 0
        public var identifiers = 0
        public var suppressed = 0
        public var states = 0
        public var apiKeys = 0
        public var linkKeys = 0
        public var destinations = 0
        public var deliveries = 0
        public var head: ChainHead?
    }

    /// Rows sent in one statement.
    static let copyBatch = 1_000

    /// Copies the whole of `source` into this store, which must hold no ledger yet: in one read
    /// transaction of the source (one consistent moment, while its writers go on) and one write
    /// transaction here (all or nothing). `progress` is told the entries copied so far and the total.
    public func copy(
        from source: any LedgerStore & APIKeyStore & LinkKeyStore & PropagationStore,
        progress: (_ copied: Int64, _ of: Int64) -> Void = { _, _ in }
    ) throws -> CopySummary {
        let apiKeys = try source.keys()
        let linkKeys = try source.linkKeys()
        return try source.readPropagation { reader in
            try transaction(begin: "BEGIN", locked: true) { target in
                guard try target.entryCount() == 0, try target.contactCount() == 0 else {
                    throw PostgresStoreError("the ledger at \(location) is not empty: a copy goes into an empty database or schema only")
                }
                guard try (target.run("SELECT COUNT(*) FROM api_keys", doing: "checking the target").first?.decode(Int64.self) ?? 0) == 0,
                      try target.destinations().isEmpty
                else {
                    throw PostgresStoreError("the database at \(location) already holds API keys or destinations: a copy goes into an empty database or schema only")
                }
                var summary = CopySummary()
                summary.head = try reader.head()
                let total = summary.head?.seq ?? 0

                // Entries and their personal data.
                var entries: [(StoredEntry, SealedPersonalData?)] = []
                func flushEntries() throws {
                    try target.insertRows("ledger", PostgresSession.entryColumns, entries.map(\.0)) { b, e in
                        try b.append(e.seq)
                        try b.append(e.recordedAt.secondsSinceEpoch)
                        try b.append(e.kind.rawValue)
                        try b.append(e.contactID)
                        try b.append(e.entryID)
                        try b.append(e.occurredAt?.secondsSinceEpoch)
                        try b.append(e.body)
                        try b.append(e.personalDataDigest)
                        try b.append(e.hash)
                    }
                    let personal = entries.compactMap { entry, data in data.map { (entry, $0) } }
                    try target.insertRows("personal_data", "seq, contact_id, salt, body", personal) { b, row in
                        try b.append(row.0.seq)
                        try b.append(row.0.contactID)
                        try b.append(row.1.salt)
                        try b.append(row.1.body)
                    }
                    summary.personalData += personal.count
                    summary.entries += Int64(entries.count)
                    entries.removeAll(keepingCapacity: true)
                    progress(summary.entries, total)
                }
                try reader.forEachEntry(from: 1) { entry, personal in
                    entries.append((entry, personal))
                    if entries.count >= Self.copyBatch { try flushEntries() }
                }
                try flushEntries()

                let checkpoints = try reader.checkpoints()
                try target.insertRows("checkpoints", "seq, hash, recorded_at, mac", checkpoints) { b, c in
                    try b.append(c.seq)
                    try b.append(c.hash)
                    try b.append(c.recordedAt.secondsSinceEpoch)
                    try b.append(c.mac)
                }
                summary.checkpoints = checkpoints.count

                // Contacts, their identifier links, the suppression list and permission states.
                var contactIDs: [String] = []
                try reader.forEachContactID(limit: .max) { contactIDs.append($0) }
                for start in stride(from: 0, to: contactIDs.count, by: Self.copyBatch) {
                    let part = contactIDs[start..<min(start + Self.copyBatch, contactIDs.count)]
                    let statuses = try part.compactMap { try reader.contactStatus(id: $0) }
                    try target.insertRows("contacts", "id, created_seq, erased_seq", statuses) { b, c in
                        try b.append(c.id)
                        try b.append(c.createdSeq)
                        try b.append(c.erasedSeq)
                    }
                    let states = try part.compactMap { id in try reader.state(contactID: id).map { (id, PermissionStateCodec.encode($0)) } }
                    try target.saveStates(states.map { (contactID: $0.0, text: $0.1) })
                    summary.contacts += statuses.count
                    summary.states += states.count
                }
                try target.setStateCursor(try reader.stateCursor())
                var links: [(Data, String)] = []
                try reader.forEachIdentifierLink { key, contactID in links.append((key, contactID)) }
                for start in stride(from: 0, to: links.count, by: Self.copyBatch) {
                    try target.insertRows("identifiers", "key, contact_id", Array(links[start..<min(start + Self.copyBatch, links.count)])) { b, l in
                        try b.append(l.0)
                        try b.append(l.1)
                    }
                }
                summary.identifiers = links.count
                var keys: [Data] = []
                try reader.forEachSuppressedKey { keys.append($0) }
                let suppressed = try keys.map { key in (key, try reader.suppressedSince(identifierKey: key) ?? Timestamp(secondsSinceEpoch: 0)) }
                for start in stride(from: 0, to: suppressed.count, by: Self.copyBatch) {
                    try target.insertRows("suppression", "key, since", Array(suppressed[start..<min(start + Self.copyBatch, suppressed.count)])) { b, s in
                        try b.append(s.0)
                        try b.append(s.1.secondsSinceEpoch)
                    }
                }
                summary.suppressed = suppressed.count

                // Access control and the outbox, outside the chain.
                try target.insertRows("api_keys", "id, name, scopes, rate_per_second, secret_digest, created_at, revoked_at", apiKeys) { b, k in
                    try b.append(k.id)
                    try b.append(k.name)
                    try b.append(k.scopes.sorted().map(\.rawValue).joined(separator: " "))
                    try b.append(k.ratePerSecond)
                    try b.append(k.secretDigest)
                    try b.append(k.createdAt.secondsSinceEpoch)
                    try b.append(k.revokedAt?.secondsSinceEpoch)
                }
                summary.apiKeys = apiKeys.count
                try target.insertRows("link_keys", "id, created_at, retired_at, sealed_material", linkKeys) { b, k in
                    try b.append(k.id)
                    try b.append(k.createdAt.secondsSinceEpoch)
                    try b.append(k.retiredAt?.secondsSinceEpoch)
                    try b.append(k.sealedMaterial)
                }
                summary.linkKeys = linkKeys.count
                for destination in try reader.destinations() {
                    _ = try target.insertDestination(destination)
                    summary.destinations += 1
                }
                for state in DeliveryState.allCases {
                    let deliveries = try reader.deliveries(.state(state), destination: nil, limit: .max)
                    for delivery in deliveries { _ = try target.insertDelivery(delivery) }
                    summary.deliveries += deliveries.count
                }
                return summary
            }
        }
    }
}

extension PostgresSession {
    /// Inserts `rows` into `table` in statements of at most `PostgresLedgerStore.copyBatch` rows;
    /// `bind` appends one row's values, one per column, in the order of `columns`.
    func insertRows<Row>(_ table: String, _ columns: String, _ rows: [Row], _ bind: (inout PostgresBindings, Row) throws -> Void) throws {
        let width = columns.split(separator: ",").count
        for start in stride(from: 0, to: rows.count, by: PostgresLedgerStore.copyBatch) {
            let part = rows[start..<min(start + PostgresLedgerStore.copyBatch, rows.count)]
            var bindings = PostgresBindings(capacity: part.count * width)
            var values: [String] = []
            values.reserveCapacity(part.count)
            for (index, row) in part.enumerated() {
                try bind(&bindings, row)
                let first = index * width + 1
                values.append("(" + (first..<first + width).map { "$\($0)" }.joined(separator: ", ") + ")")
            }
            guard bindings.count == part.count * width else {
                throw PostgresStoreError("copying \(table): a row gave \(bindings.count / max(1, part.count)) values for \(width) columns")
            }
            try run(
                PostgresQuery(unsafeSQL: "INSERT INTO \(table) (\(columns)) VALUES " + values.joined(separator: ", "), binds: bindings),
                doing: "copying \(table)")
        }
    }
}
