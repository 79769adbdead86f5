import Foundation
import OptGateCore
import OptGateLedger
import PostgresNIO

/// API keys in the ledger's database (table `api_keys`), outside the hash chain: keys are access
/// control, not evidence. Only their digests are stored.
extension PostgresLedgerStore: APIKeyStore {
    public func saveKey(_ key: APIKey) throws {
        try transaction(begin: "BEGIN", locked: false) { session in
            try session.run(
                """
                INSERT INTO api_keys (id, name, scopes, rate_per_second, secret_digest, created_at, revoked_at)
                VALUES (\(key.id), \(key.name), \(key.scopes.sorted().map(\.rawValue).joined(separator: " ")), \(key.ratePerSecond), \
                \(key.secretDigest), \(key.createdAt.secondsSinceEpoch), \(key.revokedAt?.secondsSinceEpoch))
                """, doing: "storing an API key")
        }
    }

    public func keys() throws -> [APIKey] {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", locked: false) { session in
            try session.run(
                "SELECT id, name, scopes, rate_per_second, secret_digest, created_at, revoked_at FROM api_keys ORDER BY created_at, id",
                doing: "reading API keys"
            ).map { row in
                let (id, name, scopeNames, rate, digest, createdAt, revokedAt) = try row.decode((String, String, String, Int?, Data, Int64, Int64?).self)
                return APIKey(
                    id: id, name: name, scopes: Set(scopeNames.split(separator: " ").compactMap { APIScope(rawValue: String($0)) }),
                    ratePerSecond: rate, secretDigest: digest, createdAt: Timestamp(secondsSinceEpoch: createdAt),
                    revokedAt: revokedAt.map(Timestamp.init(secondsSinceEpoch:)))
            }
        }
    }

    public func revokeKey(id: String, at instant: Timestamp) throws -> Bool {
        try transaction(begin: "BEGIN", locked: false) { session in
            try session.changed(
                "UPDATE api_keys SET revoked_at = \(instant.secondsSinceEpoch) WHERE id = \(id) AND revoked_at IS NULL", doing: "revoking an API key") > 0
        }
    }
}

/// Link keys in the ledger's database (table `link_keys`), outside the hash chain, their material
/// sealed under the installation secret.
extension PostgresLedgerStore: LinkKeyStore {
    public func saveLinkKey(_ key: LinkKey) throws {
        try transaction(begin: "BEGIN", locked: false) { session in
            try session.run(
                """
                INSERT INTO link_keys (id, created_at, retired_at, sealed_material)
                VALUES (\(key.id), \(key.createdAt.secondsSinceEpoch), \(key.retiredAt?.secondsSinceEpoch), \(key.sealedMaterial))
                """, doing: "storing a link key")
        }
    }

    public func linkKeys() throws -> [LinkKey] {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", locked: false) { session in
            try session.run("SELECT id, created_at, retired_at, sealed_material FROM link_keys ORDER BY id", doing: "reading link keys").map { row in
                let (id, createdAt, retiredAt, material) = try row.decode((Int, Int64, Int64?, Data).self)
                return LinkKey(
                    id: id, createdAt: Timestamp(secondsSinceEpoch: createdAt), retiredAt: retiredAt.map(Timestamp.init(secondsSinceEpoch:)),
                    sealedMaterial: material)
            }
        }
    }

    public func retireLinkKey(id: Int, at instant: Timestamp) throws -> Bool {
        try transaction(begin: "BEGIN", locked: false) { session in
            try session.changed(
                "UPDATE link_keys SET retired_at = \(instant.secondsSinceEpoch) WHERE id = \(id) AND retired_at IS NULL", doing: "retiring a link key") > 0
        }
    }
}
