import Foundation
import GRDB
import OptGateCore
import OptGateLedger
import OptGateSQLite
import Testing

/// A real `SQLiteLedgerStore` ledger in a fresh temporary directory, deleted when the value goes
/// away. Tests that tamper with the database open a second connection on the same file
/// (`tamper`), exactly as someone with access to the file could.
final class ScratchLedger: Sendable {
    let directory: URL
    let secret: LedgerSecret
    let ledger: Ledger

    var databasePath: String { directory.appendingPathComponent("ledger.sqlite").path }

    init(secret: LedgerSecret = .generate()) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("optgate-ledger-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.secret = secret
        ledger = Ledger(store: try SQLiteLedgerStore(path: directory.appendingPathComponent("ledger.sqlite").path), secret: secret)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// A second ledger on the same file, as after a restart (with another secret if given).
    func reopened(secret: LedgerSecret? = nil) throws -> Ledger {
        Ledger(store: try SQLiteLedgerStore(path: databasePath), secret: secret ?? self.secret)
    }

    /// Runs raw SQL on the database file through a second connection, outside OptGate.
    @discardableResult
    func tamper<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: databasePath)
        defer { try? queue.close() }
        return try queue.write(body)
    }

    /// Reads the database file through a second connection.
    func inspect<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: databasePath)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    // MARK: What the ledger holds

    var entryCount: Int64 { get throws { try ledger.store.read { try $0.entryCount() } } }
    var head: ChainHead? { get throws { try ledger.store.read { try $0.head() } } }
    var checkpoints: [Checkpoint] { get throws { try ledger.store.read { try $0.checkpoints() } } }
    var contactCount: Int64 { get throws { try ledger.store.read { try $0.contactCount() } } }

    /// Every entry in chain order, with its personal data.
    func allEntries() throws -> [(entry: StoredEntry, personal: SealedPersonalData?)] {
        try ledger.store.read { reader in
            var all: [(StoredEntry, SealedPersonalData?)] = []
            try reader.forEachEntry(from: 1) { all.append(($0, $1)) }
            return all
        }
    }

    func state(_ contactID: String) throws -> PermissionState? {
        try ledger.store.read { try $0.state(contactID: contactID) }
    }

    /// Everything that tells two ledger states apart: entries, head, checkpoints, contacts,
    /// identifier links, suppression list, personal data and permission states.
    func snapshot() throws -> Snapshot {
        try inspect { db in
            Snapshot(
                entries: try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger") ?? -1,
                head: try Data.fetchOne(db, sql: "SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1"),
                checkpoints: try Int64.fetchAll(db, sql: "SELECT seq FROM checkpoints ORDER BY seq"),
                contacts: try String.fetchAll(db, sql: "SELECT id || ':' || created_seq || ':' || IFNULL(erased_seq, '-') FROM contacts ORDER BY id"),
                identifiers: try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM identifiers") ?? -1,
                suppressed: try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM suppression") ?? -1,
                personalData: try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM personal_data") ?? -1,
                states: try String.fetchAll(db, sql: "SELECT contact_id || '=' || state FROM contact_state ORDER BY contact_id"))
        }
    }

    struct Snapshot: Equatable, CustomStringConvertible {
        var entries: Int64
        var head: Data?
        var checkpoints: [Int64]
        var contacts: [String]
        var identifiers: Int64
        var suppressed: Int64
        var personalData: Int64
        var states: [String]

        var description: String {
            "\(entries) entries, head \(head?.hexDigits.prefix(12) ?? "none"), checkpoints \(checkpoints), \(contacts.count) contacts, "
                + "\(identifiers) identifiers, \(suppressed) suppressed, \(personalData) personal data rows"
        }
    }

}

/// A test's ledger, on whichever store (`ScratchLedger`, `ScratchPostgres`).
protocol ScratchStore {
    var ledger: Ledger { get }
}

extension ScratchLedger: ScratchStore {}

extension ScratchStore {
    @discardableResult
    func importNDJSON(_ text: String, recordedAt: Timestamp = Day.recorded) throws -> Importer.Summary {
        try Importer(ledger: ledger).run(Data(text.utf8), format: .ndjson, recordedAt: recordedAt)
    }

    @discardableResult
    func importCSV(_ text: String, recordedAt: Timestamp = Day.recorded) throws -> Importer.Summary {
        try Importer(ledger: ledger).run(Data(text.utf8), format: .csv, recordedAt: recordedAt)
    }
}

/// Fixed instants the tests use.
enum Day {
    static let origin = Timestamp(year: 2024, month: 1, day: 1)!
    static let recorded = Timestamp(year: 2026, month: 2, day: 1)!

    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Timestamp {
        Timestamp(year: year, month: month, day: day, hour: hour, minute: minute)!
    }
}

extension Data {
    var hexDigits: String { map { String(format: "%02x", $0) }.joined() }
}

/// The repository's own files (samples, the built `optgate`).
enum Repository {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // OptGateLedgerTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the repository

    static func sample(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("samples/\(name)"), encoding: .utf8)
    }
}
