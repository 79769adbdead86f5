import Foundation
import GRDB
import OptGateCore
import OptGateLedger
import Testing

/// A large load into a ledger without contacts holds the SQLite store to itself and runs in the
/// rollback journal (`SQLiteLedgerStore.writeExclusively`), so that each page is written once
/// instead of through a WAL that grows with the transaction. It records exactly what any other
/// import records, leaves the ledger in WAL mode, and gives way to an ordinary transaction when
/// another connection has the ledger open.
@Suite("Exclusive bulk load")
struct ExclusiveLoadTests {
    static func journalMode(_ scratch: ScratchLedger) throws -> String? {
        try scratch.inspect { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    @Test("an exclusive session writes through the rollback journal, commits, and leaves the ledger in WAL mode")
    func rollbackJournal() throws {
        let scratch = try ScratchLedger()
        var journalDuring = false
        var walDuring = true
        try scratch.ledger.withSession(recordedAt: Day.recorded, exclusive: true) { session in
            for record in Org.records() { try session.append(record) }
            for n in 1...20 { try session.append(try Chain.contact(n)) }
            journalDuring = Self.exists(scratch.databasePath + "-journal")
            walDuring = Self.exists(scratch.databasePath + "-wal") && ((try? FileManager.default.attributesOfItem(atPath: scratch.databasePath + "-wal")[.size] as? Int) ?? 0) > 0
        }
        #expect(journalDuring, "the session's pages went through a rollback journal")
        #expect(!walDuring, "and not through the WAL")
        #expect(!Self.exists(scratch.databasePath + "-journal"), "the journal is gone once committed")
        #expect(try Self.journalMode(scratch) == "wal")
        #expect(try scratch.entryCount == 28)
        #expect(try scratch.ledger.verify().isValid)

        // The next ordinary write goes through the WAL again.
        try scratch.ledger.append([Chain.event(contact: 1, 0)], recordedAt: Day.recorded)
        #expect(try scratch.entryCount == 29)
        #expect(Self.exists(scratch.databasePath + "-wal"))
    }

    @Test("with another connection open, an exclusive session is an ordinary WAL transaction that the other can read beside")
    func anotherConnectionOpen() throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append([try Chain.contact(1)], recordedAt: Day.recorded)
        let other = try scratch.reopened()
        #expect(try other.store.read { try $0.entryCount() } == 1)   // its reader connection stays open
        var seenByOther: Int64 = -1
        try scratch.ledger.withSession(recordedAt: Day.recorded, exclusive: true) { session in
            for n in 2...10 { try session.append(try Chain.contact(n)) }
            // Not locked out: the other connection reads the last committed state.
            seenByOther = try other.store.read { try $0.entryCount() }
        }
        #expect(seenByOther == 1)
        #expect(try other.store.read { try $0.entryCount() } == 10)
        #expect(try Self.journalMode(scratch) == "wal")
        #expect(try scratch.ledger.verify().isValid)
    }

    @Test("a refused exclusive load writes nothing and leaves the ledger in WAL mode")
    func refusedLoad() throws {
        let scratch = try ScratchLedger()
        let text = BulkImportTests.generatedFile(contacts: 20, events: 200)
            + ImportFiles.event(#""contact": "nobody", "id": "x-1", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true"#)
        var importer = Importer(ledger: scratch.ledger)
        importer.bulkAppendBytes = 0
        let failed = try #require(throws: Importer.Failed.self) {
            try importer.run(Data(text.utf8), format: .ndjson, recordedAt: Day.recorded)
        }
        #expect(failed.problems.count == 1)
        #expect(try scratch.entryCount == 0)
        #expect(!Self.exists(scratch.databasePath + "-journal"))
        #expect(try Self.journalMode(scratch) == "wal")
        // The ledger takes the same file without the bad line.
        let good = try importer.run(Data(BulkImportTests.generatedFile(contacts: 20, events: 200).utf8), format: .ndjson, recordedAt: Day.recorded)
        #expect(good.events == 200)
        #expect(try scratch.ledger.verify().isValid)
    }

    @Test("a large import is exclusive into a ledger without contacts, not into one with contacts, and not when asked to share")
    func onlyIntoEmpty() throws {
        let file = Data(BulkImportTests.generatedFile(contacts: 20, events: 200).utf8)
        // Whether the import's pages were going through a rollback journal, seen mid-import.
        func journalSeen(_ scratch: ScratchLedger, exclusive: Bool = true) throws -> Bool {
            var importer = Importer(ledger: scratch.ledger)
            importer.bulkAppendBytes = 0
            importer.exclusiveBulkAppend = exclusive
            importer.progressInterval = 50
            var seen = false
            try importer.run(file, format: .ndjson, recordedAt: Day.recorded) { _ in
                seen = seen || Self.exists(scratch.databasePath + "-journal")
            }
            return seen
        }
        let secret = LedgerSecret.generate()
        let empty = try ScratchLedger(secret: secret)
        #expect(try journalSeen(empty))
        let withContacts = try ScratchLedger()
        let someone = ContactProfile(
            id: "x-1", jurisdiction: JurisdictionCode("GB"), subscriber: .individual, identifiers: [try Identifier.email("x1@example.org")])
        try withContacts.ledger.append([.contact(someone)], recordedAt: Day.recorded)
        #expect(try !journalSeen(withContacts))
        // `optgate import --shared`: a bulk append through the WAL.
        let shared = try ScratchLedger(secret: secret)
        #expect(try !journalSeen(shared, exclusive: false))
        #expect(try BulkImportTests.contents(shared) == BulkImportTests.contents(empty))
        #expect(try withContacts.ledger.verify().isValid)
    }
}
