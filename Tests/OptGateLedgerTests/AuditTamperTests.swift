import Foundation
import OptGateCore
import OptGateLedger
import Testing

/// `Ledger.verify()` against edits made to the database file behind OptGate's back: every kind of
/// tampering is reported, at the first entry where it shows, and an untouched ledger verifies.
///
/// The small ledger has 50 entries written in 8 transactions: checkpoints at 8, 14, 20, ..., 50.
/// Entries with personal data: contact profiles (9, 15, 21, 27, ...) and every third event
/// (10, 13, 16, 19, 22, 25, ...). The large one has 2,100 entries written at once: checkpoints at
/// 1024, 2048 and 2100.
@Suite("Audit: tamper evidence")
struct AuditTamperTests {
    // MARK: Untouched

    @Test("an untouched ledger verifies, with every entry and checkpoint counted")
    func untouched() throws {
        let scratch = try ScratchLedger.small()
        let report = try scratch.ledger.verify()
        #expect(report.isValid, "\(String(describing: report.problem))")
        #expect(report.problem == nil)
        #expect(report.entries == 50)
        #expect(report.checkpoints == 8)
        #expect(report.erasedPersonalData == 0)
        #expect(try scratch.checkpoints.map(\.seq) == [8, 14, 20, 26, 32, 38, 44, 50])
    }

    @Test("verifying twice, or after reopening the file, gives the same head hash: the stored head's")
    func headHashIsStable() throws {
        let scratch = try ScratchLedger.small()
        let first = try scratch.ledger.verify()
        let second = try scratch.ledger.verify()
        let reopened = try scratch.reopened().verify()
        let head = try #require(try scratch.head)
        #expect(first.headHash.count == 64)
        #expect(first.headHash == head.hash.hexDigits)
        #expect(second == first)
        #expect(reopened == first)
    }

    @Test("a large ledger verifies across its interval checkpoints")
    func largeUntouched() throws {
        let scratch = try ScratchLedger.large()
        let report = try scratch.ledger.verify()
        #expect(report.isValid, "\(String(describing: report.problem))")
        #expect(report.entries == 2_100)
        #expect(report.checkpoints == 3)
    }

    // MARK: Changed in place

    /// Every stored field is covered by the hash.
    static let columnEdits: [(column: String, expression: String)] = [
        ("body", "body || ' '"),
        ("recorded_at", "recorded_at - 86400"),
        ("occurred_at", "IFNULL(occurred_at, 0) + 1"),
        ("kind", "CASE kind WHEN 'notice' THEN 'policy' ELSE 'notice' END"),
        ("contact_id", "IFNULL(contact_id, '') || 'x'"),
        ("entry_id", "IFNULL(entry_id, '') || ':forged'"),
        ("personal_digest", "randomblob(32)"),
    ]

    @Test(
        "a row's field edited in place is reported as changed at exactly that entry",
        arguments: columnEdits.map(\.column), [1, 22, 26, 33, 50] as [Int64])
    func fieldChanged(column: String, seq: Int64) throws {
        let scratch = try ScratchLedger.small()
        let expression = try #require(Self.columnEdits.first { $0.column == column }).expression
        try scratch.setColumn(column, to: expression, seq: seq)
        let report = try scratch.ledger.verify()
        #expect(report.problem == .changed(seq: seq), "\(column) of entry \(seq): \(String(describing: report.problem))")
        #expect(report.entries == seq - 1, "entries checked before the problem")
    }

    @Test("backdating a consent in its body is reported as changed there")
    func backdatedConsent() throws {
        let scratch = try ScratchLedger.small()
        // Entry 29 is contact 4's consent_given (event 1).
        let original = try scratch.body(of: 29)
        #expect(original.contains("\"type\":\"consent_given\""))
        let backdated = original.replacingOccurrences(of: "\"at\":\"2025-", with: "\"at\":\"2024-")
        #expect(backdated != original)
        try scratch.tamper { db in try db.execute(sql: "UPDATE ledger SET body = ? WHERE seq = 29", arguments: [backdated]) }
        #expect(try scratch.ledger.verify().problem == .changed(seq: 29))
    }

    @Test("a row's stored hash overwritten is reported as changed at exactly that entry", arguments: [1, 22, 26, 50] as [Int64])
    func hashChanged(seq: Int64) throws {
        let scratch = try ScratchLedger.small()
        try scratch.setColumn("hash", to: "randomblob(32)", seq: seq)
        let report = try scratch.ledger.verify()
        // Only the hash column of this row was touched: nothing was inserted or reordered, so a
        // broken link would misdescribe the edit.
        #expect(report.problem == .changed(seq: seq), "hash of entry \(seq): \(String(describing: report.problem))")
    }

    @Test("a field changed at an interval checkpoint of a large ledger is reported there", arguments: [1024, 1500, 2048] as [Int64])
    func largeChanged(seq: Int64) throws {
        let scratch = try ScratchLedger.large()
        try scratch.setColumn("body", to: "body || ' '", seq: seq)
        #expect(try scratch.ledger.verify().problem == .changed(seq: seq))
    }

    // MARK: Personal data

    @Test("personal data edited is reported at its entry", arguments: [
        (seq: 22 as Int64, column: "body", expression: "replace(body, '203.0.113', '198.51.100')"),
        (seq: 27, column: "body", expression: "replace(body, 'person4@', 'someone-else@')"),
        (seq: 27, column: "salt", expression: "randomblob(16)"),
    ])
    func personalDataChanged(_ edit: (seq: Int64, column: String, expression: String)) throws {
        let scratch = try ScratchLedger.small()
        let changed = try scratch.tamper { db in
            try db.execute(sql: "UPDATE personal_data SET \(edit.column) = \(edit.expression) WHERE seq = ?", arguments: [edit.seq])
            return db.changesCount
        }
        #expect(changed == 1)
        let report = try scratch.ledger.verify()
        #expect(report.problem == .personalDataChanged(seq: edit.seq), "\(String(describing: report.problem))")
        #expect(report.entries == edit.seq - 1)
    }

    @Test("personal data deleted behind OptGate's back, with no erasure recorded, is not passed off as erased")
    func personalDataDeletedWithoutErasure() throws {
        let scratch = try ScratchLedger.small()
        // Entry 22's IP address and user agent: the evidence of how that consent was captured.
        try scratch.tamper { db in try db.execute(sql: "DELETE FROM personal_data WHERE seq = 22") }
        let report = try scratch.ledger.verify()
        #expect(report.problem?.seq == 22, "\(String(describing: report.problem)); counted as erased: \(report.erasedPersonalData)")
    }

    // MARK: Deleted, inserted, reordered

    @Test("a deleted row is reported missing at its seq", arguments: [1, 2, 25, 26, 49] as [Int64])
    func deleted(seq: Int64) throws {
        let scratch = try ScratchLedger.small()
        try scratch.deleteEntries(seq...seq)
        #expect(try scratch.ledger.verify().problem == .missing(seq: seq))
    }

    @Test("several deleted rows are reported missing at the first")
    func deletedRange() throws {
        let scratch = try ScratchLedger.small()
        try scratch.deleteEntries(10...12)
        #expect(try scratch.ledger.verify().problem == .missing(seq: 10))
    }

    @Test("a deleted row with the following rows renumbered to close the gap is a broken link there")
    func deletedAndRenumbered() throws {
        let scratch = try ScratchLedger.small()
        try scratch.tamper { db in
            try db.execute(sql: "DELETE FROM ledger WHERE seq = 30")
            for s in Int64(31)...50 { try db.execute(sql: "UPDATE ledger SET seq = seq - 1 WHERE seq = ?", arguments: [s]) }
        }
        #expect(try scratch.ledger.verify().problem == .brokenLink(seq: 30))
    }

    @Test("a row inserted in the middle, later rows renumbered, is reported at the insert", arguments: [1, 25, 50] as [Int64])
    func inserted(at seq: Int64) throws {
        let scratch = try ScratchLedger.small()
        try scratch.makeRoom(at: seq)
        var forged = ScratchLedger.forgedEntry(ScratchLedger.forgedConsent, seq: seq, previous: HashChain.genesis, recordedAt: Day.at(2026, 1, 3))
        forged.hash = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
        try scratch.insertRow(forged)
        #expect(try scratch.entryCount == 51)
        let problem = try #require(try scratch.ledger.verify().problem)
        #expect(problem.seq == seq, "\(problem)")
        #expect(problem == .brokenLink(seq: seq) || problem == .changed(seq: seq), "\(problem)")
    }

    @Test("a row inserted with a correctly chained hash still breaks the chain at the row it displaced")
    func insertedWithChainedHash() throws {
        let scratch = try ScratchLedger.small()
        let previous = try #require(try scratch.allEntries().first { $0.entry.seq == 24 }).entry.hash
        try scratch.makeRoom(at: 25)
        try scratch.insertRow(ScratchLedger.forgedEntry(ScratchLedger.forgedConsent, seq: 25, previous: previous, recordedAt: Day.at(2026, 1, 4)))
        #expect(try scratch.ledger.verify().problem == .brokenLink(seq: 26))
    }

    @Test("two rows swapped are a broken link at the lower seq", arguments: [(24, 25), (12, 40), (1, 50)] as [(Int64, Int64)])
    func swapped(_ a: Int64, _ b: Int64) throws {
        let scratch = try ScratchLedger.small()
        try scratch.swapEntries(a, b)
        #expect(try scratch.ledger.verify().problem == .brokenLink(seq: a))
    }

    // MARK: The end of the chain

    @Test("rows cut off the end are reported as truncation", arguments: [50, 45, 27] as [Int64])
    func truncated(from seq: Int64) throws {
        let scratch = try ScratchLedger.small()
        try scratch.deleteEntries(seq...50)
        let report = try scratch.ledger.verify()
        #expect(report.problem == .truncated(expected: 50, actual: seq - 1))
        #expect(report.problem?.seq == seq)
    }

    @Test("rows cut off the end of a large ledger, back past an interval checkpoint, are reported as truncation")
    func largeTruncated() throws {
        let scratch = try ScratchLedger.large()
        try scratch.deleteEntries(2_000...2_100)
        #expect(try scratch.ledger.verify().problem == .truncated(expected: 2_100, actual: 1_999))
    }

    @Test("the end cut off together with its checkpoint, back to an earlier write's checkpoint")
    func truncatedWithCheckpoint() throws {
        let scratch = try ScratchLedger.small()
        try scratch.deleteEntries(45...50)
        try scratch.tamper { db in try db.execute(sql: "DELETE FROM checkpoints WHERE seq = 50") }
        // Every remaining checkpoint is genuine and matches: nothing inside the database tells
        // that entries 45 to 50 ever existed. Detecting this needs the head kept outside the file.
        let problem = try scratch.ledger.verify().problem
        withKnownIssue("a truncation back to a sealed checkpoint is undetectable from the database alone") {
            #expect(problem == .truncated(expected: 50, actual: 44))
        }
    }

    @Test("a correctly chained row appended after the head without a checkpoint is unsealed")
    func appendedOutsideOptGate() throws {
        let scratch = try ScratchLedger.small()
        let head = try #require(try scratch.head)
        try scratch.insertRow(ScratchLedger.forgedEntry(ScratchLedger.forgedConsent, seq: 51, previous: head.hash, recordedAt: Day.at(2026, 1, 20)))
        let report = try scratch.ledger.verify()
        #expect(report.problem == .unsealed(seq: 51))
        #expect(report.entries == 51, "the forged row chains correctly; only its missing seal gives it away")
    }

    @Test("several rows appended outside OptGate are unsealed from the first")
    func severalAppendedOutsideOptGate() throws {
        let scratch = try ScratchLedger.small()
        var previous = try #require(try scratch.head).hash
        for seq in Int64(51)...53 {
            var record = ScratchLedger.forgedConsent
            if case .event(let c, var event, let e) = record {
                event.id = "forged-\(seq)"
                record = .event(contactID: c, event, e)
            }
            let entry = ScratchLedger.forgedEntry(record, seq: seq, previous: previous, recordedAt: Day.at(2026, 1, 20))
            try scratch.insertRow(entry)
            previous = entry.hash
        }
        #expect(try scratch.ledger.verify().problem == .unsealed(seq: 51))
    }

    // MARK: Rewritten history

    @Test("history rewritten with recomputed hashes, without the secret, fails at the next checkpoint")
    func rewrittenHistory() throws {
        let scratch = try ScratchLedger.small()
        try scratch.rewriteHistory(at: 29) { $0.replacingOccurrences(of: "unticked_box", with: "signed_form") }
        let report = try scratch.ledger.verify()
        #expect(report.problem == .checkpointMismatch(seq: 32), "\(String(describing: report.problem))")
        #expect(report.entries == 31, "entries 29 to 31 chain correctly: only the checkpoint gives the rewrite away")
    }

    @Test("history rewritten together with the checkpoints' hashes still fails: their seals need the secret")
    func rewrittenHistoryAndCheckpoints() throws {
        let scratch = try ScratchLedger.small()
        try scratch.rewriteHistory(at: 29, alsoCheckpoints: true) { $0.replacingOccurrences(of: "unticked_box", with: "signed_form") }
        #expect(try scratch.ledger.verify().problem == .checkpointMismatch(seq: 32))
    }

    @Test("a large ledger rewritten from an entry fails at the first interval checkpoint after it",
          arguments: [(1, 1024), (100, 1024), (1024, 1024), (1500, 2048), (2050, 2100)] as [(Int64, Int64)])
    func largeRewritten(from seq: Int64, caughtAt checkpoint: Int64) throws {
        let scratch = try ScratchLedger.large()
        try scratch.rewriteHistory(at: seq) { $0 + " " }
        #expect(try scratch.ledger.verify().problem == .checkpointMismatch(seq: checkpoint))
    }

    @Test("history rewritten and re-sealed with another secret fails; it verifies only under that other secret")
    func resealedWithAnotherSecret() throws {
        let scratch = try ScratchLedger.small()
        try scratch.rewriteHistory(at: 29) { $0.replacingOccurrences(of: "unticked_box", with: "signed_form") }
        try scratch.tamper { db in try db.execute(sql: "DELETE FROM checkpoints") }
        // The forger's own OptGate seals the rewritten chain with the forger's secret.
        let forgersSecret = LedgerSecret.generate()
        let forger = try scratch.reopened(secret: forgersSecret)
        try forger.append([.entity(Entity(id: "forger-co", kind: .company), validFrom: Day.origin)], recordedAt: Day.at(2026, 2, 1))
        #expect(try forger.verify().isValid)
        #expect(try scratch.ledger.verify().problem == .checkpointMismatch(seq: 51))
    }

    @Test("history rewritten with every checkpoint deleted is unsealed from the first entry")
    func rewrittenWithoutCheckpoints() throws {
        let scratch = try ScratchLedger.small()
        try scratch.rewriteHistory(at: 29) { $0 + " " }
        try scratch.tamper { db in try db.execute(sql: "DELETE FROM checkpoints") }
        #expect(try scratch.ledger.verify().problem == .unsealed(seq: 1))
    }

    @Test("a checkpoint's seal altered is a checkpoint mismatch at it")
    func sealAltered() throws {
        let scratch = try ScratchLedger.small()
        try scratch.tamper { db in try db.execute(sql: "UPDATE checkpoints SET mac = randomblob(32) WHERE seq = 20") }
        #expect(try scratch.ledger.verify().problem == .checkpointMismatch(seq: 20))
    }

    @Test("a checkpoint's time altered invalidates its seal")
    func sealTimeAltered() throws {
        let scratch = try ScratchLedger.small()
        try scratch.tamper { db in try db.execute(sql: "UPDATE checkpoints SET recorded_at = recorded_at + 1 WHERE seq = 50") }
        #expect(try scratch.ledger.verify().problem == .checkpointMismatch(seq: 50))
    }

    @Test("an untouched ledger does not verify under another installation's secret")
    func wrongSecret() throws {
        let scratch = try ScratchLedger.small()
        #expect(try scratch.reopened(secret: .generate()).verify().problem == .checkpointMismatch(seq: 8))
    }
}
