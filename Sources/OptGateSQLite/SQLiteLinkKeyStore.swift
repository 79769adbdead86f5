import Foundation
import GRDB
import OptGateCore
import OptGateLedger

/// Link keys in the ledger's database (table `link_keys`), outside the hash chain, their material
/// sealed under the installation secret.
extension SQLiteLedgerStore: LinkKeyStore {
    public func saveLinkKey(_ key: LinkKey) throws {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO link_keys (id, created_at, retired_at, sealed_material) VALUES (?, ?, ?, ?)",
                arguments: [key.id, key.createdAt.secondsSinceEpoch, key.retiredAt?.secondsSinceEpoch, key.sealedMaterial])
        }
    }

    public func linkKeys() throws -> [LinkKey] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM link_keys ORDER BY id").map { row in
                let retired: Int64? = row["retired_at"]
                return LinkKey(
                    id: row["id"], createdAt: Timestamp(secondsSinceEpoch: row["created_at"]),
                    retiredAt: retired.map { Timestamp(secondsSinceEpoch: $0) }, sealedMaterial: row["sealed_material"])
            }
        }
    }

    public func retireLinkKey(id: Int, at instant: Timestamp) throws -> Bool {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE link_keys SET retired_at = ? WHERE id = ? AND retired_at IS NULL",
                arguments: [instant.secondsSinceEpoch, id])
            return db.changesCount > 0
        }
    }
}
