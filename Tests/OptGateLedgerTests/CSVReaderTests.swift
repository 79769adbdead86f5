import Foundation
import OptGateCore
import OptGateLedger
import Testing

/// `CSVReader`: RFC 4180 records with a header naming the columns, read into import items, with
/// problems located by line, column and field.
@Suite("CSV reader")
struct CSVReaderTests {
    static func lines(_ text: String) -> [ImportLine] {
        var reader = CSVReader(data: Data(text.utf8))
        var lines: [ImportLine] = []
        while let line = reader.next() { lines.append(line) }
        return lines
    }

    static func events(_ line: ImportLine) -> [(ContactReference, Event, EventEvidence?)] {
        line.items.compactMap { if case .event(let r, let e, let ev) = $0 { (r, e, ev) } else { nil } }
    }

    static func contacts(_ line: ImportLine) -> [ContactDraft] {
        line.items.compactMap { if case .contact(let draft) = $0 { draft } else { nil } }
    }

    @Test("a row with a type is an event for the contact it names; a row without one is the contact")
    func rowsToItems() throws {
        let lines = Self.lines("""
            contact,email,jurisdiction,subscriber,type,at,id,by,context,products,channels,refusal_offered
            c-1,Ann@Example.com,GB,individual,details_collected,2025-11-02T12:00:00Z,ord-1,acme,sale,laptops,email,true
            c-2,bob@example.org,IE,,,,,,,,,
            c-1,,,,opt_out,2025-11-03T00:00:00Z,o-1,,,,,

            """)
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.problems.isEmpty }, "\(lines.flatMap(\.problems))")
        #expect(lines.map(\.line) == [2, 3, 4])

        // Row 2: the contact (described) and its event.
        #expect(Self.contacts(lines[0]) == [ContactDraft(
            id: "c-1", jurisdiction: JurisdictionCode("GB"), subscriber: .individual, identifiers: [try Identifier.email("ann@example.com")])])
        let (reference, event, evidence) = try #require(Self.events(lines[0]).first)
        #expect(reference == .id("c-1"))
        #expect(event == Event(id: "ord-1", at: Day.at(2025, 11, 2, 12), .detailsCollected(DetailsCollected(
            by: "acme", context: .sale, products: ["laptops"], channels: [.email], refusalOffered: true))))
        #expect(evidence == nil)

        // Row 3: a contact only.
        #expect(Self.contacts(lines[1]) == [ContactDraft(id: "c-2", jurisdiction: JurisdictionCode("IE"), identifiers: [try Identifier.email("bob@example.org")])])
        #expect(Self.events(lines[1]).isEmpty)

        // Row 4: an event for a contact named by id only.
        #expect(Self.contacts(lines[2]).isEmpty)
        #expect(Self.events(lines[2]).map(\.0) == [.id("c-1")])
        #expect(Self.events(lines[2]).map(\.1) == [Event(id: "o-1", at: Day.at(2025, 11, 3), .optOut(OptOut(via: .other)))])
    }

    @Test("quoted fields hold commas, doubled quotes and newlines; later rows keep their true line numbers")
    func quotedFields() throws {
        let text = "contact,type,at,id,via,collection_point,actor\n"
            + "c-1,opt_out,2026-01-02T00:00:00Z,u-1,link,\"till 4, \"\"front\"\" desk\nsecond line\",\"a,b\"\n"
            + "c-1,opt_out,2026-01-03T00:00:00Z,u-2,link,\"\",\"\"\"\"\n"
            + "c-1,opt_out,not-a-date,u-3,link,plain,x\n"
        let lines = Self.lines(text)
        #expect(lines.count == 3)
        let first = try #require(Self.events(lines[0]).first)
        #expect(first.2?.collectionPoint == "till 4, \"front\" desk\nsecond line")
        #expect(first.2?.actor == "a,b")
        #expect(first.1.id == "u-1")
        let second = try #require(Self.events(lines[1]).first)
        #expect(second.2?.collectionPoint == nil, "an empty quoted field is an absent field")
        #expect(second.2?.actor == "\"")
        #expect(lines.map(\.line) == [2, 4, 5])
        #expect(lines[2].problems.map(\.line) == [5])
        #expect(lines[2].problems.map(\.field) == ["at"])
        #expect(lines[2].problems.map(\.column) == [3])
    }

    @Test("a byte order mark, CRLF line endings and a last line without a newline are read")
    func lineEndings() throws {
        let text = "\u{FEFF}contact,type,at,id,register\r\nc-1,register_listed,2026-01-02T00:00:00Z,r-1,tps\r\nc-1,register_removed,2026-01-03T00:00:00Z,r-2,\"ctps\"\r\nc-2,register_listed,2026-01-04T00:00:00Z,r-3,mps"
        let lines = Self.lines(text)
        #expect(lines.flatMap(\.problems).isEmpty, "\(lines.flatMap(\.problems))")
        #expect(lines.flatMap(Self.events).map(\.1) == [
            Event(id: "r-1", at: Day.at(2026, 1, 2), .registerListed(.tps)),
            Event(id: "r-2", at: Day.at(2026, 1, 3), .registerRemoved(.ctps)),
            Event(id: "r-3", at: Day.at(2026, 1, 4), .registerListed(.mps)),
        ])
        #expect(lines.flatMap(Self.events).map(\.0) == [.id("c-1"), .id("c-1"), .id("c-2")])
    }

    @Test("lists are split on semicolons; booleans read true/false, yes/no and 1/0; headers ignore case and spaces")
    func valueForms() throws {
        let text = """
             Contact , TYPE ,at,id,to,channels,purposes,method,products
            c-1,consent_given,2026-01-02T00:00:00Z,k-1, acme ; acme-travel ,email;sms; ;post,marketing;fundraising,unticked_box,laptops
            """
        let lines = Self.lines(text)
        #expect(lines.flatMap(\.problems).isEmpty, "\(lines.flatMap(\.problems))")
        let event = try #require(Self.events(lines[0]).first?.1)
        #expect(event.kind == .consentGiven(ConsentGiven(
            to: ["acme", "acme-travel"], channels: [.email, .sms, .post], purposes: [.marketing, .fundraising], products: ["laptops"],
            method: .uncheckedBox)))

        for (text, value) in [("true", true), ("TRUE", true), ("yes", true), ("1", true), ("false", false), ("No", false), ("0", false)] {
            let lines = Self.lines("contact,type,at,value\nc-1,gpc_signal,2026-01-02T00:00:00Z,\(text)\n")
            #expect(Self.events(lines[0]).first?.1.kind == .gpcSignal(value), "\(text)")
        }
        let bad = Self.lines("contact,type,at,value\nc-1,gpc_signal,2026-01-02T00:00:00Z,maybe\n")
        #expect(bad[0].problems.map(\.field) == ["value"])
        #expect(bad[0].problems.map(\.column) == [4])
    }

    @Test("evidence columns become the event's evidence, the IP address truncated")
    func evidence() throws {
        let lines = Self.lines("contact,type,at,value,collection_point,actor,ip,user_agent\nc-1,gpc_signal,2026-01-02T00:00:00Z,1,site,web,198.51.100.77,Mozilla/5.0\n")
        let evidence = try #require(Self.events(lines[0]).first?.2)
        #expect(evidence == EventEvidence(collectionPoint: "site", actor: "web", ip: "198.51.100.0", userAgent: "Mozilla/5.0"))
    }

    @Test("unknown and duplicate columns are reported on the header line with their column; the rows are still read without them")
    func badHeader() throws {
        let lines = Self.lines("contact,type,colour,at,Type,value\nc-1,gpc_signal,blue,2026-01-02T00:00:00Z,register_listed,true\nc-1,gpc_signal,red,2026-01-03,x,true\n")
        #expect(lines.count == 3)
        let header = lines[0].problems
        #expect(header.map(\.line) == [1, 1])
        #expect(header.map(\.field) == ["colour", "type"])
        #expect(header.map(\.column) == [3, 5])
        #expect(header[0].message.contains("unknown column"))
        #expect(header[1].message.contains("duplicate column"))
        // Row 2 is read with the first type column, the others skipped; row 3's own problem is found.
        #expect(lines[1].problems.isEmpty, "\(lines[1].problems)")
        #expect(Self.events(lines[1]).map(\.1) == [Event(at: Day.at(2026, 1, 2), .gpcSignal(true))])
        #expect(lines[2].problems.map(\.field) == ["at"])
        #expect(lines[2].problems.map(\.line) == [3])
    }

    @Test("a row with too few or too many fields is reported with its line")
    func wrongFieldCount() {
        let lines = Self.lines("contact,type,at,register\nc-1,register_listed\nc-1,register_listed,2026-01-02T00:00:00Z,tps,extra\nc-1,register_listed,2026-01-02T00:00:00Z,tps\n")
        #expect(lines.count == 3)
        #expect(lines[0].problems.map(\.line) == [2])
        #expect(lines[0].problems.first?.message == "2 fields where the header has 4")
        #expect(lines[1].problems.first?.message == "5 fields where the header has 4")
        #expect(lines[1].line == 3)
        #expect(lines[2].problems.isEmpty)
        #expect(lines[2].items.count == 1)
    }

    @Test("blank and empty rows are skipped; an empty file or a header alone has no rows")
    func emptyRows() {
        #expect(Self.lines("").isEmpty)
        #expect(Self.lines("contact,type\n").isEmpty)
        let lines = Self.lines("contact,type,at,register\n\n,,,\n  ,, ,\nc-1,register_listed,2026-01-02T00:00:00Z,tps\n\n")
        #expect(lines.map(\.line) == [5])
        #expect(lines[0].problems.isEmpty)
    }

    @Test("an unterminated quoted field is reported, not left to swallow the rows after it")
    func unterminatedQuote() {
        let text = """
            contact,type,at,id,via,collection_point
            c-1,opt_out,2026-01-02T00:00:00Z,u-1,link,"till 4
            c-2,opt_out,2026-01-03T00:00:00Z,u-2,link,web
            c-3,opt_out,2026-01-04T00:00:00Z,u-3,link,web

            """
        let lines = Self.lines(text)
        let problems = lines.flatMap(\.problems)
        let events = lines.flatMap(Self.events)
        // Either the stray quote is reported where it opens, or the rows after it are still read as rows.
        #expect(problems.contains { $0.line == 2 } || events.count == 3,
                "\(events.count) events read, no problem reported; collection_point of the first: \(String(reflecting: events.first?.2?.collectionPoint))")
    }

    @Test("bytesRead advances to the end of the data")
    func bytesRead() {
        let text = "contact,type,at,register\nc-1,register_listed,2026-01-02T00:00:00Z,tps\n"
        var reader = CSVReader(data: Data(text.utf8))
        #expect(reader.bytesRead == 0)
        _ = reader.next()
        #expect(reader.bytesRead == text.utf8.count)
        #expect(reader.next() == nil)
    }

    @Test("a pause (`until`) and a frequency limit (`max_per_30_days`) read from their columns; a bad limit is named")
    func preferenceColumns() throws {
        let lines = Self.lines("""
            contact,type,at,id,entity,via,until,max_per_30_days
            c-1,opt_out,2026-12-01T10:00:00Z,p-1,acme,preference_centre,2027-01-01T10:00:00Z,
            c-1,frequency_set,2026-12-01T10:00:00Z,f-1,acme,,,4
            c-1,frequency_set,2026-12-01T10:00:00Z,f-2,acme,,,0

            """)
        #expect(lines[0].problems.isEmpty && lines[1].problems.isEmpty, "\(lines.flatMap(\.problems))")
        let pause = try #require(Self.events(lines[0]).first?.1)
        #expect(pause.kind == .optOut(OptOut(entity: "acme", via: .preferenceCentre, until: try Timestamp(rfc3339: "2027-01-01T10:00:00Z"))))
        let limit = try #require(Self.events(lines[1]).first?.1)
        #expect(limit.kind == .frequencySet(FrequencyPreference(entity: "acme", maxPer30Days: 4)))
        #expect(lines[2].problems.map(\.field) == ["max_per_30_days"])
        #expect(lines[2].problems.first?.line == 4)
    }
}
