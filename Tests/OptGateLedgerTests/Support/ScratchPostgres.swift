import Foundation
import OptGateCore
import OptGateLedger
@testable import OptGatePostgres
import Testing

/// The PostgreSQL database the tests may use: `OPTGATE_TEST_DATABASE_URL` (CI starts a throwaway
/// cluster with `scripts/postgres-cluster.sh` and sets it). Without it the PostgreSQL suites are
/// skipped, and say so.
enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["OPTGATE_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let available = url != nil
}

/// A ledger in a schema of its own in the test database, dropped when the value goes away.
final class ScratchPostgres: Sendable {
    let schema: String
    let location: PostgresLocation
    let secret: LedgerSecret
    let store: PostgresLedgerStore
    let ledger: Ledger

    init(secret: LedgerSecret = .generate()) throws {
        let url = try #require(TestDatabase.url)
        schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        location = try PostgresLocation(url: url + (url.contains("?") ? "&" : "?") + "schema=\(schema)")
        self.secret = secret
        store = try PostgresLedgerStore(location: location, maximumConnections: 4)
        ledger = Ledger(store: store, secret: secret)
    }

    deinit {
        try? store.transaction(begin: "BEGIN", locked: false) { try $0.execute("DROP SCHEMA \(schema) CASCADE", doing: "dropping a test schema") }
        store.close()
    }

    /// A second store on the same schema: another server sharing the ledger.
    func secondStore() throws -> PostgresLedgerStore {
        try PostgresLedgerStore(location: location, maximumConnections: 4)
    }

    /// Runs SQL on the ledger's tables behind OptGate's back.
    func tamper(_ sql: String) throws {
        try store.transaction(begin: "BEGIN", locked: false) { try $0.execute(sql, doing: "tampering") }
    }

    var entryCount: Int64 { get throws { try store.read { try $0.entryCount() } } }

    /// Every entry in chain order, with its personal data.
    func allEntries() throws -> [(entry: StoredEntry, personal: SealedPersonalData?)] {
        try store.read { reader in
            var all: [(StoredEntry, SealedPersonalData?)] = []
            try reader.forEachEntry(from: 1) { all.append(($0, $1)) }
            return all
        }
    }
}

extension ScratchPostgres: ScratchStore {}
