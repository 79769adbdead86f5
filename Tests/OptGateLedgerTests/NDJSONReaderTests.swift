import Foundation
import OptGateCore
import OptGateLedger
import Testing

/// `NDJSONReader`: one record per line, read into import items, with problems located by line,
/// column and field.
@Suite("NDJSON reader")
struct NDJSONReaderTests {
    static func lines(_ text: String) -> [ImportLine] {
        var reader = NDJSONReader(data: Data(text.utf8))
        var lines: [ImportLine] = []
        while let line = reader.next() { lines.append(line) }
        return lines
    }

    static func organisation(_ line: ImportLine) -> [LedgerRecord] {
        line.items.compactMap { if case .organisation(let record) = $0 { record } else { nil } }
    }

    @Test("each record kind reads into its item")
    func recordKinds() throws {
        let lines = Self.lines("""
            {"record": "entity", "id": "acme", "kind": "company", "group": "acme-group", "valid_from": "2024-01-01T00:00:00Z"}
            {"record": "product", "id": "bags", "similar_to": ["laptops"], "reasoning": "carried with them", "valid_from": "2024-02-01T00:00:00Z", "retired": true}
            {"record": "policy", "valid_from": "2024-03-01T00:00:00Z", "uk_soft_opt_in_months": 12, "abandoned_checkout_is_negotiation": false, "eu_soft_opt_in_months": 18, "max_marketing_per_30_days": 4, "uk_indirect_consent_months": 3}
            {"record": "notice", "version": "v1", "text": "Tick to hear from us.", "valid_from": "2024-04-01T00:00:00Z"}
            {"record": "contact", "id": "c-1", "email": "Ann@Example.com", "phone": "07700 900123", "jurisdiction": "GB", "subscriber": "sole_trader"}
            {"record": "entity", "id": "acme-travel", "kind": "company"}

            """)
        #expect(lines.flatMap(\.problems).isEmpty, "\(lines.flatMap(\.problems))")
        #expect(lines.count == 6)
        var policy = Policy()
        policy.ukSoftOptInMonths = 12
        policy.abandonedCheckoutIsNegotiation = false
        policy.euSoftOptInMonths = 18
        policy.maxMarketingPer30Days = 4
        policy.ukIndirectConsentMonths = 3
        #expect(Self.organisation(lines[0]) == [.entity(Entity(id: "acme", kind: .company, group: "acme-group"), validFrom: Day.at(2024, 1, 1))])
        #expect(Self.organisation(lines[1]) == [.product(Product(id: "bags", similarTo: ["laptops"], reasoning: "carried with them"), validFrom: Day.at(2024, 2, 1), retired: true)])
        #expect(Self.organisation(lines[2]) == [.policy(policy, validFrom: Day.at(2024, 3, 1))])
        #expect(Self.organisation(lines[3]) == [.notice(NoticeText(version: "v1", text: "Tick to hear from us.", validFrom: Day.at(2024, 4, 1)))])
        guard case .contact(let draft) = try #require(lines[4].items.first) else {
            Issue.record("line 5 is not a contact: \(lines[4].items)")
            return
        }
        #expect(draft == ContactDraft(
            id: "c-1", jurisdiction: JurisdictionCode("GB"), subscriber: .soleTrader,
            identifiers: [try Identifier.email("ann@example.com"), try Identifier.phone("+447700900123")]))
        #expect(Self.organisation(lines[5]) == [.entity(Entity(id: "acme-travel", kind: .company), validFrom: Timestamp(secondsSinceEpoch: 0))],
                "without valid_from, in effect from the start")
    }

    @Test("an event line names its contact by id, or by identifier (which only names an existing contact)")
    func eventLines() throws {
        let lines = Self.lines("""
            {"record": "event", "contact": "c-1", "id": "e1", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}
            {"type": "register_listed", "contact": "c-1", "id": "e2", "at": "2026-01-02T00:00:00Z", "register": "tps"}
            {"record": "event", "email": " Ann@Example.com", "id": "e3", "type": "opt_out", "at": "2026-01-02T00:00:00Z", "via": "link", "evidence": {"collection_point": "footer", "ip": "203.0.113.9"}}
            {"record": "event", "contact": "c-2", "jurisdiction": "IE", "id": "e4", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": false}

            """)
        #expect(lines.flatMap(\.problems).isEmpty, "\(lines.flatMap(\.problems))")
        guard case .event(let r1, let e1, nil) = try #require(lines[0].items.first), lines[0].items.count == 1 else {
            Issue.record("\(lines[0].items)")
            return
        }
        #expect(r1 == .id("c-1"))
        #expect(e1 == Event(id: "e1", at: Day.at(2026, 1, 2), .gpcSignal(true)))
        guard case .event(_, let e2, _) = try #require(lines[1].items.first) else { return }
        #expect(e2.kind == .registerListed(.tps), "a line with a type and no record is an event")

        // An email on an NDJSON event names a contact; it does not create one (a typo must not).
        #expect(lines[2].items.count == 1)
        guard case .event(let r3, _, let evidence) = lines[2].items[0] else {
            Issue.record("\(lines[2].items)")
            return
        }
        #expect(r3 == .identifier(try Identifier.email("ann@example.com")))
        #expect(evidence == EventEvidence(collectionPoint: "footer", ip: "203.0.113.0"))

        guard case .contact(let described) = lines[3].items[0] else { return }
        #expect(described == ContactDraft(id: "c-2", jurisdiction: JurisdictionCode("IE")))
    }

    @Test("blank lines are skipped but counted; CRLF and a byte order mark are read")
    func lineNumbers() {
        let text = "\u{FEFF}{\"record\": \"entity\", \"id\": \"a\", \"kind\": \"company\"}\r\n\r\n   \n\t\n{\"record\": \"entity\", \"id\": \"b\", \"kind\": \"charity\"}\r\n{\"record\": \"entity\", \"id\": \"c\", \"kind\": \"club\"}"
        let lines = Self.lines(text)
        #expect(lines.map(\.line) == [1, 5, 6])
        #expect(lines[0].problems.isEmpty && lines[1].problems.isEmpty)
        #expect(lines[2].problems.map(\.line) == [6])
        #expect(lines[2].problems.map(\.field) == ["kind"])
    }

    @Test("invalid JSON is reported at its line and column")
    func invalidJSON() {
        let lines = Self.lines("{\"record\": \"entity\", \"id\": \"a\", \"kind\": \"company\"}\n{\"record\": \"entity\", \"id\": }\n[1, 2\n")
        #expect(lines.count == 3)
        #expect(lines[1].problems.count == 1)
        #expect(lines[1].problems.first?.line == 2)
        #expect(lines[1].problems.first?.field == "")
        #expect(lines[1].problems.first?.column == 28)
        #expect(lines[1].problems.first?.message.hasPrefix("invalid JSON") == true)
        #expect(lines[2].problems.first?.line == 3)
    }

    /// One bad line each, and the field its problem names.
    static let badLines: [(String, [String])] = [
        (#"{"id": "c-1"}"#, ["record"]),
        (#"{"record": "person"}"#, ["record"]),
        (#"["record", "entity"]"#, [""]),
        (#"{"record": "entity", "id": "a"}"#, ["kind"]),
        (#"{"record": "entity", "kind": "company", "id": ""}"#, ["id"]),
        (#"{"record": "product", "id": "p", "retired": "yes"}"#, ["retired"]),
        (#"{"record": "policy", "uk_soft_opt_in_months": -1}"#, ["uk_soft_opt_in_months"]),
        (#"{"record": "notice", "version": "v1"}"#, ["text"]),
        (#"{"record": "contact"}"#, ["id"]),
        (#"{"record": "contact", "id": "c-1", "subscriber": "company"}"#, ["subscriber"]),
        (#"{"record": "contact", "id": "c-1", "jurisdiction": "Britain"}"#, ["jurisdiction"]),
        (#"{"record": "contact", "id": "c-1", "phone": "07700 900123"}"#, ["phone"]),
        (#"{"record": "event", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}"#, ["contact"]),
        (#"{"record": "event", "contact": "c-1", "type": "gpc_signal", "at": "2026-01-02", "value": true}"#, ["at"]),
        (#"{"record": "event", "contact": "c-1", "type": "gpc_signal", "value": true}"#, ["at"]),
        (#"{"record": "event", "contact": "c-1", "type": "opt_out", "at": "2026-01-02T00:00:00Z", "via": "pigeon"}"#, ["via"]),
        (#"{"record": "event", "contact": "c-1", "type": "opt_out", "at": "2026-01-02T00:00:00Z", "channels": ["email", "telegram"]}"#, ["channels[1]"]),
        (#"{"record": "event", "contact": "c-1", "type": "opt_out", "at": "2026-01-02T00:00:00Z", "evidence": "web"}"#, ["evidence"]),
        (#"{"record": "event", "contact": "c-1", "type": "opt_out", "at": "2026-01-02T00:00:00Z", "reason": "spam", "evidence": {"ip": 1}}"#, ["evidence.ip", "reason"]),
    ]

    @Test("a bad line reports the field at fault", arguments: badLines.map(\.0))
    func badLine(_ line: String) throws {
        let expected = try #require(Self.badLines.first { $0.0 == line }).1
        let lines = Self.lines(line + "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.items.isEmpty == true, "a line with a problem yields no items")
        #expect(Set(lines.flatMap(\.problems).map(\.field)) == Set(expected), "\(lines.flatMap(\.problems))")
        #expect(lines.flatMap(\.problems).allSatisfy { $0.line == 1 })
    }
}
