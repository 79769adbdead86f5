import Foundation
import GRDB
import OptGateCore
import OptGateLedger

/// API keys in the ledger's database (table `api_keys`), outside the hash chain: keys are access
/// control, not evidence.
extension SQLiteLedgerStore: APIKeyStore {
    public func saveKey(_ key: APIKey) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO api_keys (id, name, scopes, rate_per_second, secret_digest, created_at, revoked_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.id, key.name, key.scopes.sorted().map(\.rawValue).joined(separator: " "), key.ratePerSecond,
                    key.secretDigest, key.createdAt.secondsSinceEpoch, key.revokedAt?.secondsSinceEpoch,
                ])
        }
    }

    public func keys() throws -> [APIKey] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at, id").map { row in
                let scopeNames: String = row["scopes"]
                let revoked: Int64? = row["revoked_at"]
                return APIKey(
                    id: row["id"], name: row["name"],
                    scopes: Set(scopeNames.split(separator: " ").compactMap { APIScope(rawValue: String($0)) }),
                    ratePerSecond: row["rate_per_second"], secretDigest: row["secret_digest"],
                    createdAt: Timestamp(secondsSinceEpoch: row["created_at"]),
                    revokedAt: revoked.map { Timestamp(secondsSinceEpoch: $0) })
            }
        }
    }

    public func revokeKey(id: String, at instant: Timestamp) throws -> Bool {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [instant.secondsSinceEpoch, id])
            return db.changesCount > 0
        }
    }
}
