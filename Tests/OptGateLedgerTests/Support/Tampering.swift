import Foundation
import GRDB
import OptGateCore
import OptGateLedger
import Testing

/// Edits someone with write access to the database file could make behind OptGate's back, each
/// done with plain SQL on a second connection.
extension ScratchLedger {
    /// Sets one column of one ledger row to an SQL expression.
    func setColumn(_ column: String, to expression: String, seq: Int64) throws {
        try tamper { db in
            try db.execute(sql: "UPDATE ledger SET \(column) = \(expression) WHERE seq = ?", arguments: [seq])
            if db.changesCount != 1 { throw TamperFailed(description: "no ledger row \(seq)") }
        }
    }

    func deleteEntries(_ seqs: ClosedRange<Int64>) throws {
        try tamper { db in
            try db.execute(sql: "DELETE FROM ledger WHERE seq BETWEEN ? AND ?", arguments: [seqs.lowerBound, seqs.upperBound])
            try db.execute(sql: "DELETE FROM personal_data WHERE seq BETWEEN ? AND ?", arguments: [seqs.lowerBound, seqs.upperBound])
        }
    }

    /// Moves every row from `seq` on one place up (highest first, since `seq` is the primary key),
    /// leaving `seq` free, personal data included.
    func makeRoom(at seq: Int64) throws {
        try tamper { db in
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM ledger") ?? 0
            for s in stride(from: last, through: seq, by: -1) {
                try db.execute(sql: "UPDATE ledger SET seq = seq + 1 WHERE seq = ?", arguments: [s])
                try db.execute(sql: "UPDATE personal_data SET seq = seq + 1 WHERE seq = ?", arguments: [s])
            }
        }
    }

    /// Exchanges the positions of two rows (and of their personal data).
    func swapEntries(_ a: Int64, _ b: Int64) throws {
        try tamper { db in
            for table in ["ledger", "personal_data"] {
                try db.execute(sql: "UPDATE \(table) SET seq = -1 WHERE seq = ?", arguments: [a])
                try db.execute(sql: "UPDATE \(table) SET seq = ? WHERE seq = ?", arguments: [a, b])
                try db.execute(sql: "UPDATE \(table) SET seq = ? WHERE seq = -1", arguments: [b])
            }
        }
    }

    /// Writes an entry row as is.
    func insertRow(_ entry: StoredEntry) throws {
        try tamper { db in
            try db.execute(
                sql: """
                    INSERT INTO ledger (seq, recorded_at, kind, contact_id, entry_id, occurred_at, body, personal_digest, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    entry.seq, entry.recordedAt.secondsSinceEpoch, entry.kind.rawValue, entry.contactID, entry.entryID,
                    entry.occurredAt?.secondsSinceEpoch, entry.body, entry.personalDataDigest, entry.hash,
                ])
        }
    }

    /// An entry for `record` at `seq`, chained from `previous` exactly as OptGate would chain it.
    static func forgedEntry(_ record: LedgerRecord, seq: Int64, previous: Data, recordedAt: Timestamp) -> StoredEntry {
        var entry = StoredEntry(
            seq: seq, recordedAt: recordedAt, kind: record.kind, contactID: record.contactID, entryID: record.entryID,
            occurredAt: record.occurredAt, body: RecordCodec.encode(record).body, personalDataDigest: nil, hash: Data())
        entry.hash = HashChain.hash(of: entry, previous: previous)
        return entry
    }

    /// A consent nobody gave, for forgeries.
    static let forgedConsent = LedgerRecord.event(
        contactID: "c-1",
        Event(id: "forged-consent", at: Day.at(2025, 6, 1), .consentGiven(ConsentGiven(to: [Org.acme], channels: .all, method: .signedForm))),
        nil)

    /// Changes the body of entry `seq` with `edit`, then recomputes the hash of it and of every entry
    /// after it, as someone who knows the (public) hashing scheme but not the secret would. The
    /// checkpoints are left alone unless `alsoCheckpoints`, which rewrites their hashes too (their
    /// seals cannot be recomputed without the secret).
    func rewriteHistory(at seq: Int64, alsoCheckpoints: Bool = false, _ edit: (String) -> String) throws {
        let all = try allEntries().map(\.entry)
        var previous = seq == 1 ? HashChain.genesis : all[Int(seq) - 2].hash
        var rewritten: [StoredEntry] = []
        for var entry in all where entry.seq >= seq {
            if entry.seq == seq { entry.body = edit(entry.body) }
            entry.hash = HashChain.hash(of: entry, previous: previous)
            previous = entry.hash
            rewritten.append(entry)
        }
        try tamper { db in
            for entry in rewritten {
                try db.execute(sql: "UPDATE ledger SET body = ?, hash = ? WHERE seq = ?", arguments: [entry.body, entry.hash, entry.seq])
                if alsoCheckpoints {
                    try db.execute(sql: "UPDATE checkpoints SET hash = ? WHERE seq = ?", arguments: [entry.hash, entry.seq])
                }
            }
        }
    }

    /// The body of entry `seq`.
    func body(of seq: Int64) throws -> String {
        try #require(try allEntries().first { $0.entry.seq == seq }).entry.body
    }
}

struct TamperFailed: Error, CustomStringConvertible {
    let description: String
}
