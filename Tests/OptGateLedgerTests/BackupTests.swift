import Foundation
import OptGateCore
import OptGateLedger
import OptGateSQLite
import Testing

/// `SQLiteLedgerStore.backup`: a copy of the database as it stood at one committed moment, taken
/// while writers go on.
@Suite("Backup")
struct BackupTests {
    @Test("the copy holds every entry, personal data, state and checkpoint, and verifies with the same head")
    func wholeCopy() throws {
        let scratch = try ScratchLedger.small()
        let target = scratch.directory.appendingPathComponent("copy.sqlite").path
        var steps: [BackupProgress] = []
        let head = try (scratch.ledger.store as! SQLiteLedgerStore).backup(to: target, pagesPerStep: 2) { steps.append($0) }
        #expect(head == (try scratch.head))
        #expect(steps.count > 1)
        #expect(steps.last.map { $0.copiedPages == $0.totalPages } == true)
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.copiedPages < $1.copiedPages })

        let copy = Ledger(store: try SQLiteLedgerStore(path: target), secret: scratch.secret)
        let report = try copy.verify()
        #expect(report.isValid)
        #expect(report.entries == 50 && report.checkpoints == 8)
        let original = try scratch.ledger.verify()
        #expect(report.headHash == original.headHash)
        let entries = try copy.store.read { reader in
            var all: [(StoredEntry, SealedPersonalData?)] = []
            try reader.forEachEntry(from: 1) { all.append(($0, $1)) }
            return all
        }
        let originals = try scratch.allEntries()
        #expect(entries.map(\.0) == originals.map(\.entry))
        #expect(entries.map(\.1) == originals.map(\.personal))
        #expect(try scratch.state("c-1") != nil)
        #expect(try copy.store.read { try $0.state(contactID: "c-1") } == (try scratch.state("c-1")))
    }

    @Test("writes committed while the backup runs are not in the copy, and the copy still verifies")
    func consistentWhileWriting() throws {
        let scratch = try ScratchLedger.small()
        let before = try #require(try scratch.head)
        // A second process's writer, as a server's would be.
        let writer = try scratch.reopened()
        let target = scratch.directory.appendingPathComponent("copy.sqlite").path
        var wrote = 0
        let head = try (scratch.ledger.store as! SQLiteLedgerStore).backup(to: target, pagesPerStep: 1) { _ in
            guard wrote < 3 else { return }
            wrote += 1
            _ = try? writer.append(try Chain.people((100 + wrote)...(100 + wrote), eventsPerContact: 2), recordedAt: Day.at(2026, 2, wrote))
        }
        #expect(wrote == 3)
        #expect(head == before)
        #expect(try scratch.head?.seq == before.seq + 9)
        let copy = Ledger(store: try SQLiteLedgerStore(path: target), secret: scratch.secret)
        let report = try copy.verify()
        #expect(report.isValid)
        #expect(report.entries == before.seq)
        #expect(try copy.store.read { try $0.contactExists(id: "c-101") } == false)
        #expect(try scratch.ledger.verify().isValid)
    }

    @Test("a backup writes a new file only, and leaves nothing behind when it fails")
    func refusesExisting() throws {
        let scratch = try ScratchLedger.small()
        let store = scratch.ledger.store as! SQLiteLedgerStore
        let existing = scratch.directory.appendingPathComponent("existing.sqlite").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: existing))
        #expect(throws: SQLiteLedgerStore.BackupDestinationExists.self) { try store.backup(to: existing) }
        #expect(FileManager.default.contents(atPath: existing) == Data("keep me".utf8))

        struct Stop: Error {}
        let target = scratch.directory.appendingPathComponent("stopped.sqlite").path
        #expect(throws: (any Error).self) {
            try store.backup(to: scratch.directory.appendingPathComponent("no/such/dir/copy.sqlite").path)
        }
        // A failure part-way (here the progress callback's) removes the partly written file.
        var calls = 0
        #expect(throws: Stop.self) {
            try store.backup(to: target, pagesPerStep: 1) { _ in
                calls += 1
                if calls == 2 { throw Stop() }
            }
        }
        #expect(calls == 2)
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try store.quickCheck() == nil)
    }

}
