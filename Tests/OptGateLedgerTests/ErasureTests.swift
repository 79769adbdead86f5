import Foundation
import GRDB
import OptGateCore
import OptGateLedger
import OptGateSQLite
import Testing

/// The right to erasure (UK/EU GDPR Art 17) with suppression: the person's personal data goes,
/// their identifiers stay suppressed as keyed hashes, the chain still verifies, and the same person
/// imported again stays opted out until they give fresh consent.
@Suite("Erasure")
struct ErasureTests {
    static let recorded = Day.at(2026, 1, 1)
    static let erasedAt = Day.at(2026, 3, 1)

    static func ann() throws -> Identifier { try Identifier.email("ann.smith@example.com") }
    static func annPhone() throws -> Identifier { try Identifier.phone("+447700900123") }

    /// Ann and Bob imported; Ann erased.
    static func erased() throws -> (ScratchLedger, Ledger.Erasure) {
        let scratch = try ScratchLedger()
        try scratch.importNDJSON(ImportFiles.organisation + ImportFiles.people, recordedAt: recorded)
        let erasure = try scratch.ledger.erase(contactID: "c-1", recordedAt: erasedAt)
        return (scratch, erasure)
    }

    func personalRows(_ scratch: ScratchLedger, contact: String) throws -> Int {
        try scratch.inspect { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM personal_data WHERE contact_id = ?", arguments: [contact]) ?? -1 }
    }

    // MARK: What erasure does

    @Test("a ledger from before schema v5 loses its personal-data index on opening, and erasure still finds the rows through the ledger")
    func personalDataIndexDropped() throws {
        let scratch = try ScratchLedger()
        try scratch.importNDJSON(ImportFiles.organisation + ImportFiles.people, recordedAt: Self.recorded)
        func hasIndex() throws -> Bool {
            try scratch.inspect { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name = 'personal_data_contact'") } == 1
        }
        #expect(try !hasIndex())
        // As a v4 ledger was: the index present and v5 not yet applied.
        try scratch.tamper { db in
            try db.execute(sql: "CREATE INDEX personal_data_contact ON personal_data(contact_id)")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v5:%'")
        }
        #expect(try hasIndex())
        let reopened = try scratch.reopened()
        #expect(try !hasIndex())
        _ = try reopened.erase(contactID: "c-1", recordedAt: Self.erasedAt)
        #expect(try personalRows(scratch, contact: "c-1") == 0)
        #expect(try personalRows(scratch, contact: "c-2") == 2)
        #expect(try reopened.verify().isValid)
    }

    @Test("deletes the contact's personal data rows, and no one else's")
    func personalDataDeleted() throws {
        let scratch = try ScratchLedger()
        try scratch.importNDJSON(ImportFiles.organisation + ImportFiles.people, recordedAt: Self.recorded)
        #expect(try personalRows(scratch, contact: "c-1") == 3)
        #expect(try personalRows(scratch, contact: "c-2") == 2)
        let erasure = try scratch.ledger.erase(contactID: "c-1", recordedAt: Self.erasedAt)
        #expect(erasure.contactID == "c-1")
        #expect(erasure.personalDataDeleted == 3)
        #expect(erasure.suppressedIdentifiers == 2)
        #expect(erasure.seq == 14)
        #expect(try personalRows(scratch, contact: "c-1") == 0)
        #expect(try personalRows(scratch, contact: "c-2") == 2)
    }

    @Test("unlinks the identifiers and suppresses them")
    func identifiersUnlinkedAndSuppressed() throws {
        let (scratch, _) = try Self.erased()
        let ledger = scratch.ledger
        for identifier in [try Self.ann(), try Self.annPhone(), try Identifier.email(" ANN.SMITH@example.COM "), try Identifier.phone("07700 900123", country: "GB")] {
            #expect(try ledger.contactID(for: identifier) == nil, "\(identifier)")
            #expect(try ledger.isSuppressed(identifier), "\(identifier)")
        }
        #expect(try ledger.contactID(for: try Identifier.email("bob@example.org")) == "c-2")
        #expect(try !ledger.isSuppressed(try Identifier.email("bob@example.org")))
        #expect(try !ledger.isSuppressed(try Identifier.email("someone.else@example.com")))
        let links = try scratch.inspect { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM identifiers WHERE contact_id = 'c-1'") }
        #expect(links == 0)
        // The suppression list holds keyed hashes, never the identifiers themselves.
        let keys = try scratch.inspect { try Data.fetchAll($0, sql: "SELECT key FROM suppression") }
        #expect(Set(keys) == [scratch.secret.key(for: try Self.ann()), scratch.secret.key(for: try Self.annPhone())])
    }

    @Test("records the erasure in the chain, which still verifies and counts the erased entries")
    func chainStillVerifies() throws {
        let (scratch, erasure) = try Self.erased()
        let report = try scratch.ledger.verify()
        #expect(report.isValid, "\(String(describing: report.problem))")
        #expect(report.entries == 14)
        #expect(report.erasedPersonalData == 3)
        let status = try scratch.ledger.store.read { try $0.contactStatus(id: "c-1") }
        #expect(status?.erasedSeq == erasure.seq)
        let last = try #require(try scratch.allEntries().last)
        #expect(last.entry.kind == .erasure)
        #expect(last.entry.contactID == "c-1")
        #expect(last.entry.recordedAt == Self.erasedAt)
    }

    @Test("keeps the events, without personal data, as evidence; the profile loses its identifiers")
    func historyWithoutPersonalData() throws {
        let (scratch, _) = try Self.erased()
        let history = try scratch.ledger.history(contactID: "c-1")
        #expect(history.erased)
        #expect(history.events.map(\.id) == ["ord-1", "cons-1"])
        let profile = try #require(history.profile(at: Self.erasedAt))
        #expect(profile.identifiers.isEmpty)
        #expect(profile.jurisdiction == JurisdictionCode("GB"))
        for entry in history.entries {
            if case .event(_, _, let evidence) = entry.record {
                #expect(evidence?.ip == nil)
                #expect(evidence?.userAgent == nil)
                #expect(evidence?.collectionPoint == "web checkout")
            }
        }
        let bob = try scratch.ledger.history(contactID: "c-2")
        #expect(bob.profile(at: Self.erasedAt)?.identifiers == [try Identifier.email("bob@example.org")])
    }

    @Test("leaves no erased identifier or address readable in the database files")
    func nothingLeftOnDisk() throws {
        let (scratch, _) = try Self.erased()
        let store = try #require(scratch.ledger.store as? SQLiteLedgerStore)
        try store.checkpointWAL()
        var bytes = Data()
        for suffix in ["", "-wal", "-shm"] {
            bytes.append((try? Data(contentsOf: URL(fileURLWithPath: scratch.databasePath + suffix))) ?? Data())
        }
        for secret in ["ann.smith@example.com", "+447700900123", "203.0.113.0", "Mozilla/5.0"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\"\(secret)\" is still in the database files after erasure")
        }
        #expect(bytes.range(of: Data("bob@example.org".utf8)) != nil, "the check can find what is there")
    }

    @Test("an unknown contact cannot be erased, and nothing is written")
    func unknownContact() throws {
        let (scratch, _) = try Self.erased()
        let before = try scratch.snapshot()
        #expect(throws: LedgerError.unknownContact("c-404")) {
            try scratch.ledger.erase(contactID: "c-404", recordedAt: Self.erasedAt)
        }
        #expect(try scratch.snapshot() == before)
    }

    // MARK: The same person again

    @Test("before the erasure the contact could be emailed; a replay of that moment still says so")
    func replayBeforeErasure() throws {
        let (scratch, _) = try Self.erased()
        try scratch.importNDJSON(#"{"record": "contact", "id": "c-1", "email": "ann.smith@example.com", "jurisdiction": "GB"}"# + "\n",
                                 recordedAt: Self.erasedAt.adding(days: 1))
        let history = try scratch.ledger.history(contactID: "c-1")
        #expect(history.decide(.acmeLaptopsByEmail, at: Self.erasedAt.adding(days: -1)).allowed)
        #expect(!history.decide(.acmeLaptopsByEmail, at: Self.erasedAt.adding(days: 2)).allowed)
    }

    /// Re-imports of Ann after the erasure: under her old id or a new one, her email written
    /// differently.
    static let reimports: [(String, String, String)] = [
        ("same id", "c-1", #"{"record": "contact", "id": "c-1", "email": "  ANN.Smith@EXAMPLE.com ", "jurisdiction": "GB", "subscriber": "individual"}"#),
        ("new id", "c-77", #"{"record": "contact", "id": "c-77", "email": "Ann.Smith@example.COM\t", "jurisdiction": "GB", "subscriber": "individual"}"#),
        ("new id, phone only", "c-78", #"{"record": "contact", "id": "c-78", "phone": "07700 900123", "jurisdiction": "GB", "subscriber": "individual"}"#),
    ]

    @Test("the same person imported again is denied email marketing as an objection, until fresh consent", arguments: reimports.map(\.0))
    func reimportedStaysSuppressed(_ name: String) throws {
        let (scratch, _) = try Self.erased()
        let (_, id, line) = try #require(Self.reimports.first { $0.0 == name })
        let day = { (n: Int) in Self.erasedAt.adding(days: n) }
        // A new purchase after the erasure, which alone would ground a soft opt-in.
        try scratch.importNDJSON(line + "\n" + ImportFiles.event(
            #""contact": "\#(id)", "id": "ord-9", "type": "details_collected", "at": "\#(day(1).rfc3339)", "by": "acme", "context": "sale", "products": ["laptops"], "channels": ["email", "sms"], "refusal_offered": true"#),
            recordedAt: day(1))
        let identifier = name.hasSuffix("phone only") ? try Self.annPhone() : try Self.ann()
        #expect(try scratch.ledger.contactID(for: identifier) == id)
        #expect(try scratch.ledger.isSuppressed(identifier))

        let denied = try scratch.ledger.history(contactID: id).decide(.acmeLaptopsByEmail, at: day(2))
        #expect(!denied.allowed)
        #expect(denied.reasonCodes.contains(.optedOut), "\(denied.reasonCodes)")
        let objection = try #require(denied.reasons.first { $0.code == .optedOut })
        #expect(objection.evidence.eventAt == Self.erasedAt, "the objection dates from the erasure")

        // Fresh consent, given after the erasure, lifts it (GDPR: a new, specific, informed act).
        try scratch.importNDJSON(ImportFiles.event(
            #""contact": "\#(id)", "id": "cons-9", "type": "consent_given", "at": "\#(day(3).rfc3339)", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"], "method": "double_opt_in""#),
            recordedAt: day(3))
        let history = try scratch.ledger.history(contactID: id)
        let allowed = history.decide(.acmeLaptopsByEmail, at: day(4))
        #expect(allowed.allowed, "\(allowed.reasonCodes)")
        #expect(!allowed.reasonCodes.contains(.optedOut))
        #expect(!history.decide(.acmeLaptopsByEmail, at: day(2)).allowed, "a replay of the day before the consent still denies")
        #expect(try scratch.ledger.verify().isValid)
    }

    @Test("a consent dated before the erasure, imported after it, does not lift the suppression")
    func backdatedConsentDoesNotLift() throws {
        let (scratch, _) = try Self.erased()
        try scratch.importNDJSON(Self.reimports[0].2 + "\n" + ImportFiles.event(
            #""contact": "c-1", "id": "cons-old", "type": "consent_given", "at": "2026-02-20T00:00:00Z", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"], "method": "double_opt_in""#),
            recordedAt: Self.erasedAt.adding(days: 1))
        let decision = try scratch.ledger.history(contactID: "c-1").decide(.acmeLaptopsByEmail, at: Self.erasedAt.adding(days: 5))
        #expect(!decision.allowed)
        #expect(decision.reasonCodes.contains(.optedOut))
    }

    @Test("a contact found by its email only, after erasure, is suppressed too")
    func reimportedByEmailOnly() throws {
        let (scratch, _) = try Self.erased()
        try scratch.importNDJSON(#"{"record": "contact", "email": "ann.smith@example.com", "jurisdiction": "GB"}"# + "\n",
                                 recordedAt: Self.erasedAt.adding(days: 1))
        let id = try #require(try scratch.ledger.contactID(for: try Self.ann()))
        #expect(id != "c-1")
        let decision = try scratch.ledger.history(contactID: id).decide(.acmeLaptopsByEmail, at: Self.erasedAt.adding(days: 2))
        #expect(decision.reasonCodes.contains(.optedOut))
    }

    @Test("the re-import's summary names every entry it added, the suppression opt-out included")
    func reimportSummary() throws {
        let (scratch, _) = try Self.erased()
        let before = try #require(try scratch.head).seq
        let summary = try scratch.importNDJSON(Self.reimports[1].2 + "\n", recordedAt: Self.erasedAt.adding(days: 1))
        let after = try #require(try scratch.head).seq
        #expect(after == before + 2, "a contact record and its suppression opt-out")
        #expect(summary.contactsCreated == 1)
        #expect(summary.firstSeq == before + 1)
        #expect(summary.lastSeq == after, "the summary (and `optgate import`'s \"ledger entries: A to B\") stops short of the head")
    }

    @Test("erasing again after a re-import removes the new personal data and keeps the first suppression date")
    func eraseAgain() throws {
        let (scratch, _) = try Self.erased()
        try scratch.importNDJSON(Self.reimports[0].2 + "\n", recordedAt: Self.erasedAt.adding(days: 1))
        #expect(try personalRows(scratch, contact: "c-1") == 1)
        let second = try scratch.ledger.erase(contactID: "c-1", recordedAt: Self.erasedAt.adding(days: 10))
        #expect(second.personalDataDeleted == 1)
        #expect(second.suppressedIdentifiers == 1)
        #expect(try personalRows(scratch, contact: "c-1") == 0)
        let since = try scratch.ledger.store.read { try $0.suppressedSince(identifierKey: scratch.secret.key(for: try Self.ann())) }
        #expect(since == Self.erasedAt)
        let report = try scratch.ledger.verify()
        #expect(report.isValid)
        #expect(report.erasedPersonalData == 4)
    }
}
