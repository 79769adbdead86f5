import Foundation
import GRDB
import OptGateCore
import OptGateLedger
import Testing

/// A bulk append (an import into a ledger without contacts sets the look-up indexes aside and
/// rebuilds them at the end, checking idempotency keys in memory) records exactly what an ordinary
/// import records, and is just as all-or-nothing and idempotent.
@Suite("Bulk import")
struct BulkImportTests {
    /// An organisation and a deterministic mix of contacts and events, in the generator's shape
    /// (`Benchmarks/scripts/generate-ledger.py`).
    static func generatedFile(contacts: Int, events: Int) -> String {
        var lines = [
            #"{"record":"entity","id":"acme-retail","kind":"company","group":"acme-group","valid_from":"2020-01-01T00:00:00Z"}"#,
            #"{"record":"entity","id":"acme-travel","kind":"company","group":"acme-group","valid_from":"2020-01-01T00:00:00Z"}"#,
            #"{"record":"entity","id":"acme-foundation","kind":"charity","valid_from":"2020-01-01T00:00:00Z"}"#,
            #"{"record":"product","id":"p0","valid_from":"2020-01-01T00:00:00Z"}"#,
            #"{"record":"product","id":"p1","valid_from":"2020-01-01T00:00:00Z","similar_to":["p0"],"reasoning":"same product family"}"#,
            #"{"record":"policy","valid_from":"2020-01-01T00:00:00Z","uk_soft_opt_in_months":24}"#,
            #"{"record":"notice","version":"v1","text":"Tick to receive offers.","valid_from":"2020-01-01T00:00:00Z"}"#,
        ]
        let jurisdictions = ["GB", "IE", "DE", "US-CA", "CA"]
        for c in 0..<contacts {
            lines.append(#"{"record":"contact","id":"c\#(c)","email":"person\#(c)@example.com","phone":"+4470000\#(String(format: "%05d", c))","jurisdiction":"\#(jurisdictions[c % 5])","subscriber":"individual"}"#)
        }
        for n in 0..<events {
            let contact = "c\((n * 7919) % contacts)"
            let at = Timestamp(secondsSinceEpoch: 1_609_459_200 + Int64(n) * 86_317).rfc3339
            let head = #"{"record":"event","contact":"\#(contact)","id":"e\#(n)","at":"\#(at)","#
            switch n % 7 {
            case 0, 1:
                lines.append(head + #""type":"details_collected","by":"acme-retail","context":"sale","products":["p\#(n % 2)"],"channels":["email","sms"],"refusal_offered":true,"evidence":{"collection_point":"web checkout","ip":"203.0.\#(n % 256).\#(n % 99)"}}"#)
            case 2:
                lines.append(head + #""type":"consent_given","to":["acme-travel"],"channels":["email"],"purposes":["marketing"],"method":"unticked_box","notice_version":"v1","source":"web","evidence":{"collection_point":"signup form","ip":"198.51.1.\#(n % 256)","user_agent":"Mozilla/5.0"}}"#)
            case 3, 4:
                lines.append(head + #""type":"marketing_sent","by":"acme-retail","channel":"email","products":["p1"]}"#)
            case 5:
                lines.append(head + #""type":"opt_out","channels":["sms"],"via":"one_click"}"#)
            default:
                lines.append(head + #""type":"register_listed","register":"tps"}"#)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func importer(_ ledger: Ledger, bulk: Bool) -> Importer {
        var importer = Importer(ledger: ledger)
        importer.bulkAppendBytes = bulk ? 0 : Int.max
        return importer
    }

    /// Everything recorded, except what is random by design (personal data salts, and so the
    /// digests and hashes that cover them).
    static func contents(_ scratch: ScratchLedger) throws -> [String] {
        try scratch.inspect { db in
            try String.fetchAll(db, sql: """
                SELECT 'entry ' || seq || ' ' || kind || ' ' || IFNULL(contact_id, '-') || ' ' || IFNULL(entry_id, '-') || ' ' ||
                       IFNULL(occurred_at, '-') || ' ' || (personal_digest IS NULL) || ' ' || body FROM ledger ORDER BY seq
                """)
                + String.fetchAll(db, sql: "SELECT 'personal ' || seq || ' ' || IFNULL(contact_id, '-') || ' ' || body FROM personal_data ORDER BY seq")
                + String.fetchAll(db, sql: "SELECT 'checkpoint ' || seq FROM checkpoints ORDER BY seq")
                + String.fetchAll(db, sql: "SELECT 'contact ' || id || ' ' || created_seq || ' ' || IFNULL(erased_seq, '-') FROM contacts ORDER BY id")
                + String.fetchAll(db, sql: "SELECT 'identifier ' || hex(key) || ' ' || contact_id FROM identifiers ORDER BY key")
                + String.fetchAll(db, sql: "SELECT 'state ' || contact_id || ' ' || state FROM contact_state ORDER BY contact_id")
        }
    }

    static func schema(_ scratch: ScratchLedger) throws -> [String] {
        try scratch.inspect { db in
            try String.fetchAll(db, sql: "SELECT type || ' ' || name || ' ' || IFNULL(sql, '') FROM sqlite_master ORDER BY name")
        }
    }

    @Test("a bulk import records what an ordinary import records, and the chain verifies")
    func sameAsOrdinary() throws {
        let text = Self.generatedFile(contacts: 30, events: 600)
        let secret = LedgerSecret.generate()
        let ordinary = try ScratchLedger(secret: secret)
        let bulk = try ScratchLedger(secret: secret)
        let schemaBefore = try Self.schema(bulk)
        let a = try Self.importer(ordinary.ledger, bulk: false).run(Data(text.utf8), format: .ndjson, recordedAt: Day.recorded)
        let b = try Self.importer(bulk.ledger, bulk: true).run(Data(text.utf8), format: .ndjson, recordedAt: Day.recorded)
        #expect(a.events == 600 && b.events == 600)
        #expect(a.contactsCreated == b.contactsCreated && a.organisationRecords == b.organisationRecords && a.lastSeq == b.lastSeq)
        #expect(try Self.contents(ordinary) == Self.contents(bulk))
        #expect(try Self.schema(bulk) == schemaBefore, "the indexes are back, exactly as created")
        #expect(try bulk.ledger.verify().isValid)
        #expect(try bulk.ledger.history(contactID: "c3").events.count == (try ordinary.ledger.history(contactID: "c3").events.count))
        #expect(try bulk.ledger.contactID(for: try Identifier.email("person7@example.com")) == "c7")
    }

    @Test("into a ledger holding only the organisation, records already there are duplicates")
    func organisationAlreadyThere() throws {
        let text = Self.generatedFile(contacts: 5, events: 20)
        let scratch = try ScratchLedger()
        let organisation = text.split(separator: "\n").prefix(7).joined(separator: "\n") + "\n"
        try scratch.importNDJSON(organisation)
        let summary = try Self.importer(scratch.ledger, bulk: true).run(Data(text.utf8), format: .ndjson, recordedAt: Day.recorded)
        #expect(summary.duplicates == 7)
        #expect(summary.organisationRecords == 0)
        #expect(summary.events == 20)
        #expect(try scratch.ledger.verify().isValid)
    }

    @Test("the same event twice in one file is stored once; the same id with other content is refused with its line")
    func duplicatesWithinTheFile() throws {
        let text = Self.generatedFile(contacts: 5, events: 20)
        let repeated = String(try #require(text.split(separator: "\n").first { $0.contains(#""id":"e13""#) }))
        let scratch = try ScratchLedger()
        let summary = try Self.importer(scratch.ledger, bulk: true).run(Data((text + repeated + "\n").utf8), format: .ndjson, recordedAt: Day.recorded)
        #expect(summary.duplicates == 1)
        #expect(summary.events == 20)

        let other = try ScratchLedger()
        let schemaBefore = try Self.schema(other)
        let changed = repeated.replacingOccurrences(of: "\"tps\"", with: "\"mps\"")
        let lines = text.split(separator: "\n").count
        let failed = try #require(throws: Importer.Failed.self) {
            try Self.importer(other.ledger, bulk: true).run(Data((text + changed + "\n").utf8), format: .ndjson, recordedAt: Day.recorded)
        }
        #expect(failed.problems.map { "\($0.line):\($0.field)" } == ["\(lines + 1):id"])
        #expect(try other.entryCount == 0, "nothing written")
        #expect(try Self.schema(other) == schemaBefore, "a refused bulk import leaves the indexes as they were")
    }

    @Test("a file imported again, in bulk, adds nothing")
    func reimport() throws {
        let text = Self.generatedFile(contacts: 10, events: 50)
        let scratch = try ScratchLedger()
        try Self.importer(scratch.ledger, bulk: true).run(Data(text.utf8), format: .ndjson, recordedAt: Day.recorded)
        let before = try scratch.snapshot()
        // The ledger now holds contacts: the second import is an ordinary one.
        let again = try Self.importer(scratch.ledger, bulk: true).run(Data(text.utf8), format: .ndjson, recordedAt: Day.recorded.adding(days: 1))
        #expect(again.duplicates == 57)
        #expect(again.events == 0)
        #expect(try scratch.snapshot() == before)
    }

    @Test("a session into a ledger with contacts is not a bulk append")
    func notWithContacts() throws {
        let scratch = try ImporterTests.populated()
        let bulk = try scratch.ledger.withSession(recordedAt: Day.recorded) { session in try session.beginBulkAppend() }
        #expect(!bulk)
        let empty = try ScratchLedger()
        let started = try empty.ledger.withSession(recordedAt: Day.recorded) { session in try session.beginBulkAppend() }
        #expect(started)
        #expect(try Self.schema(empty) == Self.schema(try ScratchLedger()), "an empty bulk session restores the indexes")
    }
}
