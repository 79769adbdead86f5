import Foundation
import OptGateCore
import OptGateLedger
import Testing

/// `Importer`: a good file imports with the right counts; a bad one reports every problem by line
/// and field and writes nothing; a file imported again adds nothing.
@Suite("Importer")
struct ImporterTests {
    /// A ledger holding the organisation, Ann (c-1) and Bob (c-2).
    static func populated() throws -> ScratchLedger {
        let scratch = try ScratchLedger()
        try scratch.importNDJSON(ImportFiles.organisation + ImportFiles.people, recordedAt: Day.at(2026, 1, 1))
        return scratch
    }

    func problems(_ failed: Importer.Failed) -> [String] { failed.problems.map { "\($0.line):\($0.field)" } }

    // MARK: Good files

    @Test("the sample NDJSON and CSV files import with the right counts")
    func samples() throws {
        let scratch = try ScratchLedger()
        let records = try scratch.importNDJSON(try Repository.sample("acme-organisation.ndjson"))
        #expect(records.lines == 10)
        #expect(records.organisationRecords == 7)
        #expect(records.contactsCreated == 1)
        #expect(records.contactsUpdated == 0)
        #expect(records.events == 2)
        #expect(records.duplicates == 0)
        #expect(records.firstSeq == 1)
        #expect(records.lastSeq == 10)

        let events = try scratch.importCSV(try Repository.sample("acme-events.csv"))
        #expect(events.lines == 4)
        #expect(events.organisationRecords == 0)
        #expect(events.contactsCreated == 2)
        #expect(events.contactsUpdated == 0)
        #expect(events.events == 3)
        #expect(events.duplicates == 0)
        #expect(events.firstSeq == 11)
        #expect(events.lastSeq == 15)

        #expect(try scratch.entryCount == 15)
        #expect(try scratch.contactCount == 3)
        #expect(try scratch.ledger.verify().isValid)
        #expect(try scratch.ledger.contactID(for: try Identifier.email("ANN.SMITH@example.com")) == "c-1001")
        #expect(try scratch.ledger.contactID(for: try Identifier.phone("+447700900123")) == "c-1001")
        #expect(try scratch.ledger.contactID(for: try Identifier.email("carol@example.net")) == "c-1003")
        let bob = try scratch.ledger.history(contactID: "c-1002")
        #expect(bob.events.map(\.id) == ["ord-7001", "uns-1"])
        #expect(bob.profile(at: Day.recorded)?.jurisdiction == JurisdictionCode("IE"))
    }

    @Test("a file imported again reports its records as duplicates and adds nothing")
    func reimport() throws {
        let scratch = try ScratchLedger()
        let ndjson = try Repository.sample("acme-organisation.ndjson")
        let csv = try Repository.sample("acme-events.csv")
        try scratch.importNDJSON(ndjson)
        try scratch.importCSV(csv)
        let before = try scratch.snapshot()

        let again = try scratch.importNDJSON(ndjson, recordedAt: Day.recorded.adding(days: 1))
        #expect(again.duplicates == 9)
        #expect(again.events == 0)
        #expect(again.organisationRecords == 0)
        #expect(again.contactsCreated == 0)
        #expect(again.contactsUpdated == 0)
        #expect(again.firstSeq == nil)
        #expect(again.lastSeq == nil)
        let csvAgain = try scratch.importCSV(csv, recordedAt: Day.recorded.adding(days: 1))
        #expect(csvAgain.duplicates == 3)
        #expect(csvAgain.events == 0)
        #expect(csvAgain.contactsCreated == 0)
        #expect(csvAgain.contactsUpdated == 0)
        #expect(try scratch.snapshot() == before)
    }

    @Test("a contact line that changes a profile updates it; one that changes nothing adds nothing")
    func contactUpdates() throws {
        let scratch = try Self.populated()
        let count = try scratch.entryCount
        let same = try scratch.importNDJSON(#"{"record": "contact", "id": "c-2", "email": "Bob@Example.org", "jurisdiction": "IE"}"# + "\n")
        #expect(same.contactsUpdated == 0)
        #expect(try scratch.entryCount == count)
        let moved = try scratch.importNDJSON(#"{"record": "contact", "id": "c-2", "phone": "+353 87 123 4567", "subscriber": "sole_trader"}"# + "\n")
        #expect(moved.contactsUpdated == 1)
        #expect(moved.contactsCreated == 0)
        let profile = try #require(try scratch.ledger.history(contactID: "c-2").profile(at: Day.at(2030, 1, 1)))
        #expect(profile.jurisdiction == JurisdictionCode("IE"))
        #expect(profile.subscriber == .soleTrader)
        #expect(profile.identifiers == [try Identifier.email("bob@example.org"), try Identifier.phone("+353871234567")])
        #expect(try scratch.ledger.contactID(for: try Identifier.phone("+353 87 123 4567")) == "c-2")
    }

    @Test("progress is reported as lines are read")
    func progress() throws {
        let scratch = try ScratchLedger()
        var importer = Importer(ledger: scratch.ledger)
        importer.progressInterval = 3
        let data = Data(ImportFiles.organisation.utf8)
        var seen: [Int] = []
        _ = try importer.run(data, format: .ndjson, recordedAt: Day.recorded) { seen.append($0.lines) }
        #expect(seen == [3, 6, 8])
    }

    @Test("the format follows the file name", arguments: [
        ("a.ndjson", Importer.Format.ndjson), ("A.NDJSON", .ndjson), ("b.jsonl", .ndjson), ("c.csv", .csv), ("C.CSV", .csv),
        ("d.json", nil), ("e.txt", nil), ("csv", nil),
    ] as [(String, Importer.Format?)])
    func formatFromName(_ name: String, _ format: Importer.Format?) {
        #expect(Importer.Format(fileName: name) == format)
    }

    // MARK: Bad files

    /// Line by line: the problem each line has (field), or none.
    static let badNDJSON: [(line: String, field: String?)] = [
        (#"{"record": "contact", "id": "c-3", "email": "carol@example.net", "colour": "blue"}"#, "colour"),
        (#"{"record": "event", "contact": "c-1", "id": "x2", "type": "details_collected", "at": "2026-01-02T00:00:00Z", "by": "acme", "context": "purchase", "channels": ["email"]}"#, "context"),
        (#"{"record": "event", "contact": "c-1", "id": "x3", "type": "gpc_signal", "at": "2026-02-30T00:00:00Z", "value": true}"#, "at"),
        (#"{"record": "event", "contact": "c-1", "id": "x4", "type": "marketing_sent", "at": "2026-01-02T00:00:00Z", "by": "nobody", "channel": "email"}"#, "by"),
        (#"{"record": "event", "contact": "c-404", "id": "x5", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}"#, "contact"),
        (#"{"record": "contact", "id": "c-5", "email": "not an email"}"#, "email"),
        (#"{"record": "event", "contact": "c-2", "id": "x7", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}"#, nil),
        ("", nil),
        (#"{"record": "event", "contact": "c-2", "id": "x9", "#, ""),
        (#"{"record": "event", "contact": "c-1", "id": "x10", "type": "consent_given", "at": "2026-01-02T00:00:00Z", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"], "products": ["tablets"], "method": "unticked_box"}"#, "products"),
        (#"{"record": "event", "contact": "c-1", "id": "x11", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true, "evidence": {"ip": "192.0.2.1", "browser": "x"}}"#, "evidence.browser"),
        (#"{"record": "person", "id": "c-12"}"#, "record"),
        (#"{"record": "event", "contact": "c-1", "phone": "07700 900124", "id": "x13", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}"#, "phone"),
        (#"{"record": "contact", "id": "c-14", "jurisdiction": "UK"}"#, "jurisdiction"),
        (#"{"record": "event", "contact": "c-1", "id": "x15", "type": "consent_given", "at": "2026-01-02T00:00:00Z", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"], "method": "unticked_box", "notice_version": "v9"}"#, "notice_version"),
        (#"{"record": "event", "contact": "c-1", "id": "x16", "type": "marketing_sent", "at": "2026-01-02T00:00:00Z", "by": "acme"}"#, "channel"),
        (#"{"record": "event", "contact": "c-1", "id": "ord-1", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}"#, "id"),
        (#"{"record": "contact", "id": "c-18", "email": "BOB@example.org"}"#, "email"),
        (#"{"record": "event", "contact": "c-1", "id": "x19", "type": "purchase", "at": "2026-01-02T00:00:00Z"}"#, "type"),
        (#"{"record": "product", "id": "bags", "similar_to": ["tablets"], "valid_from": "2024-01-01T00:00:00Z"}"#, "similar_to"),
        (#"{"record": "entity", "id": "acme-2", "kind": "corporation"}"#, "kind"),
    ]

    @Test("a dry run reports what the import would add, by the ordinary and the bulk path, and writes nothing; the import then adds exactly that")
    func dryRun() throws {
        for bulk in [false, true] {
            let scratch = try ScratchLedger()
            let text = try Repository.sample("acme-organisation.ndjson")
            var importer = Importer(ledger: scratch.ledger)
            // The bulk path is taken from this size on, for a ledger without contacts.
            importer.bulkAppendBytes = bulk ? 1 : 1 << 30
            importer.dryRun = true
            let checked = try importer.run(Data(text.utf8), format: .ndjson, recordedAt: Day.at(2026, 2, 1))
            #expect(try scratch.entryCount == 0 && scratch.contactCount == 0, "nothing written (bulk: \(bulk))")
            importer.dryRun = false
            let imported = try importer.run(Data(text.utf8), format: .ndjson, recordedAt: Day.at(2026, 2, 1))
            func counts(_ s: Importer.Summary) -> [Int?] {
                [s.lines, s.contactsCreated, s.contactsUpdated, s.events, s.organisationRecords, s.duplicates, s.firstSeq.map(Int.init), s.lastSeq.map(Int.init)]
            }
            #expect(counts(checked) == counts(imported), "bulk: \(bulk)")
            #expect(imported.events == 2 && imported.organisationRecords == 7 && imported.lastSeq == 10)
            #expect(try scratch.entryCount == 10)
            #expect(try scratch.ledger.verify().isValid)
        }
    }

    @Test("a dry run of a bad file lists the problems an import would, and writes nothing")
    func dryRunOfBadFile() throws {
        let scratch = try Self.populated()
        let before = try scratch.snapshot()
        let text = Self.badNDJSON.map(\.line).joined(separator: "\n") + "\n"
        var importer = Importer(ledger: scratch.ledger)
        importer.dryRun = true
        let checked = try #require(throws: Importer.Failed.self) { try importer.run(Data(text.utf8), format: .ndjson, recordedAt: Day.at(2026, 2, 1)) }
        let refused = try #require(throws: Importer.Failed.self) { try scratch.importNDJSON(text, recordedAt: Day.at(2026, 2, 1)) }
        #expect(problems(checked) == problems(refused) && !checked.problems.isEmpty)
        #expect(try scratch.snapshot() == before)
    }

    @Test("a file with many bad lines reports every problem with its line and field, and writes nothing")
    func badNDJSONFile() throws {
        let scratch = try Self.populated()
        let before = try scratch.snapshot()
        let text = Self.badNDJSON.map(\.line).joined(separator: "\n") + "\n"
        let failed = try #require(throws: Importer.Failed.self) { try scratch.importNDJSON(text, recordedAt: Day.at(2026, 2, 1)) }
        let expected = Self.badNDJSON.enumerated().compactMap { i, line in line.field.map { "\(i + 1):\($0)" } }
        #expect(problems(failed) == expected)
        #expect(failed.more == 0)
        let after = try scratch.snapshot()
        #expect(after == before, "nothing written: \(after) vs \(before)")
        #expect(try scratch.ledger.verify().isValid)

        // Each message names what is wrong.
        let messages = Dictionary(failed.problems.map { ($0.line, $0.message) }, uniquingKeysWith: { $0 + " | " + $1 })
        for (line, word) in [(1, "colour"), (2, "purchase"), (3, "2026-02-30"), (4, "nobody"), (5, "c-404"), (6, "not an email"),
                             (10, "tablets"), (11, "browser"), (12, "person"), (14, "UK"), (15, "v9"), (17, "ord-1"), (18, "c-2")] {
            #expect(messages[line]?.contains(word) == true, "line \(line): \(messages[line] ?? "no problem")")
        }
        // Columns point into the line where the reader knows them.
        #expect(failed.problems.first { $0.line == 1 }?.column == 76, "the unknown member's value")
        #expect(failed.problems.first { $0.line == 9 }?.column != nil)
    }

    @Test("a bad CSV file reports every problem with its line and field, and writes nothing")
    func badCSVFile() throws {
        let scratch = try Self.populated()
        let before = try scratch.snapshot()
        let csv = """
            contact,email,jurisdiction,type,at,id,by,context,products,channels,refusal_offered,via,collection_point
            c-1,,,details_collected,2026-01-02T00:00:00Z,csv-2,acme,sale,laptops;accessories,email;sms,yes,,"till, ""front"" desk
            second line"
            c-1,,,opt_out,2026-01-02T00:00:00Z
            c-1,,,opt_out,yesterday,csv-5,,,,email,,one_click,
            c-1,,,details_collected,2026-01-02T00:00:00Z,csv-6,acme,purchase,laptops,email,true,,
            c-1,,,details_collected,2026-01-02T00:00:00Z,csv-7,nobody,sale,laptops,email,true,,
            c-404,,,opt_out,2026-01-02T00:00:00Z,csv-8,,,,email,,one_click,
            c-9,nope,GB,,,,,,,,,,
            c-1,,,details_collected,2026-01-02T00:00:00Z,csv-10,acme,sale,tablets,email,true,,
            c-1,,,opt_out,2026-01-02T00:00:00Z,csv-11,,,,email,,one_click,,
            c-1,,,details_collected,2026-01-02T00:00:00Z,csv-12,acme,sale,laptops,email,maybe,,

            c-2,,,register_listed,2026-01-02T00:00:00Z,csv-14,,,,,,,

            """
        let failed = try #require(throws: Importer.Failed.self) { try scratch.importCSV(csv) }
        #expect(problems(failed) == ["4:", "5:at", "6:context", "7:by", "8:contact", "9:email", "10:products", "11:", "12:refusal_offered", "14:register"])
        #expect(failed.problems.first { $0.line == 5 }?.column == 5, "the at column")
        #expect(failed.problems.first { $0.line == 4 }?.message.contains("5 fields") == true)
        #expect(failed.problems.first { $0.line == 11 }?.message.contains("14 fields") == true)
        #expect(try scratch.snapshot() == before)
    }

    @Test("a CSV file with an unknown column still has its rows checked: every problem is reported")
    func unknownColumnAndBadRows() throws {
        let scratch = try Self.populated()
        let before = try scratch.snapshot()
        let csv = """
            contact,type,at,id,via,colour
            c-1,opt_out,2026-01-02T00:00:00Z,u-1,one_click,blue
            c-1,opt_out,not-a-date,u-2,one_click,green
            c-404,opt_out,2026-01-02T00:00:00Z,u-3,one_click,red

            """
        let failed = try #require(throws: Importer.Failed.self) { try scratch.importCSV(csv) }
        #expect(failed.problems.first?.line == 1)
        #expect(failed.problems.first?.field == "colour")
        #expect(failed.problems.first?.column == 6)
        #expect(problems(failed) == ["1:colour", "3:at", "4:contact"], "the rows' own problems are not reported until the header is fixed")
        #expect(try scratch.snapshot() == before)
    }

    @Test("an event naming its contact by an email no contact has is refused, not recorded for a new contact")
    func eventForUnknownEmail() throws {
        let scratch = try Self.populated()
        let before = try scratch.snapshot()
        let line = ImportFiles.event(
            #""email": "ann.smtih@example.com", "id": "typo-1", "type": "consent_given", "at": "2026-01-02T00:00:00Z", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"], "method": "unticked_box""#)
        let failed = try #require(throws: Importer.Failed.self) { try scratch.importNDJSON(line) }
        #expect(problems(failed) == ["1:email"])
        #expect(try scratch.snapshot() == before)
    }

    @Test("a refused record's message does not repeat its field (printed as FILE:LINE: FIELD: MESSAGE)")
    func messageDoesNotRepeatField() throws {
        let scratch = try Self.populated()
        // Unknown entity (by), unknown product (products), unknown notice (notice_version).
        let text = [3, 9, 14].map { Self.badNDJSON[$0].line }.joined(separator: "\n") + "\n"
        let failed = try #require(throws: Importer.Failed.self) { try scratch.importNDJSON(text) }
        #expect(failed.problems.map(\.field) == ["by", "products", "notice_version"])
        for problem in failed.problems {
            #expect(!problem.message.hasPrefix(problem.field + ":"), "\(problem)")
            #expect(!problem.description.contains("\(problem.field): \(problem.field):"), "\(problem)")
        }
    }

    @Test("the problem list stops at maxProblems and counts the rest")
    func maxProblems() throws {
        let scratch = try Self.populated()
        var importer = Importer(ledger: scratch.ledger)
        importer.maxProblems = 3
        let text = (1...5).map { #"{"record": "contact", "id": "c-\#($0)0", "colour": "blue"}"# }.joined(separator: "\n")
        let failed = try #require(throws: Importer.Failed.self) {
            try importer.run(Data(text.utf8), format: .ndjson, recordedAt: Day.recorded)
        }
        #expect(failed.problems.map(\.line) == [1, 2, 3])
        #expect(failed.more == 2)
        #expect(failed.description.hasSuffix("... and 2 more problems"))
    }

    @Test("a problem on the last line rolls back everything before it")
    func lastLineRollsBack() throws {
        let scratch = try ScratchLedger()
        let text = ImportFiles.organisation + ImportFiles.people + #"{"record": "contact", "id": "c-9", "colour": "blue"}"#
        let failed = try #require(throws: Importer.Failed.self) { try scratch.importNDJSON(text) }
        #expect(problems(failed) == ["14:colour"])
        #expect(try scratch.entryCount == 0)
        #expect(try scratch.contactCount == 0)
        #expect(try scratch.checkpoints.isEmpty)
        #expect(try scratch.ledger.contactID(for: try Identifier.email("ann.smith@example.com")) == nil)
        #expect(try scratch.state("c-1") == nil)
    }
}
