import Foundation
import OptGateCore
import OptGateLedger
import Testing

/// Identifiers are normalised, so that one person written differently is one contact, and
/// anything that is not an email address or a phone number is refused.
@Suite("Identifiers")
struct IdentifierTests {
    // MARK: Email

    @Test("an email address is trimmed and case-folded", arguments: [
        "ann.smith@example.com", "Ann.Smith@Example.com", "  ANN.SMITH@EXAMPLE.COM  ", "\tann.smith@example.COM\n",
    ])
    func emailNormalised(_ raw: String) throws {
        let identifier = try Identifier.email(raw)
        #expect(identifier.kind == .email)
        #expect(identifier.value == "ann.smith@example.com")
        #expect(identifier.description == "email:ann.smith@example.com")
        #expect(identifier == (try Identifier.email("ann.smith@example.com")))
    }

    @Test("what is not an email address is refused", arguments: [
        "", "   ", "ann", "ann@", "@example.com", "ann@example", "ann@@example.com", "ann@b@example.com", "ann smith@example.com",
        "ann@.example.com", "ann@example.com.", "ann@example.com,bob@example.com", "ann@example.com;", "+447700900123",
    ])
    func emailRefused(_ raw: String) {
        #expect(throws: Identifier.Invalid.self, "\"\(raw)\"") { try Identifier.email(raw) }
    }

    // MARK: Phone

    @Test("international forms become E.164 with or without a country", arguments: [
        ("+44 7700 900123", nil), ("+447700900123", nil), ("0044 7700 900123", nil), ("+44-7700-900123", "US"), ("00 44 (7700) 900.123", "GB"),
    ] as [(String, String?)])
    func phoneInternational(_ raw: String, _ country: String?) throws {
        let identifier = try Identifier.phone(raw, country: country)
        #expect(identifier.kind == .phone)
        #expect(identifier.value == "+447700900123")
        #expect(identifier.description == "phone:+447700900123")
    }

    @Test("a national number takes the contact's country", arguments: [
        ("07700 900123", "GB", "+447700900123"),
        ("(415) 555-0100", "US", "+14155550100"),
        ("1 415 555 0100", "US", "+14155550100"),
        ("415.555.0100", "CA", "+14155550100"),
        ("087 123 4567", "IE", "+353871234567"),
        ("030 1234567", "DE", "+49301234567"),
        ("06 12345678", "NL", "+31612345678"),
        ("06 1234 5678", "IT", "+390612345678"),
    ])
    func phoneNational(_ raw: String, _ country: String, _ expected: String) throws {
        #expect(try Identifier.phone(raw, country: country).value == expected)
    }

    @Test("a national number without a country, or with one OptGate has no numbering plan for, is refused", arguments: [
        ("07700 900123", nil), ("(415) 555-0100", nil), ("07700 900123", "AU"), ("07700 900123", "gb"),
    ] as [(String, String?)])
    func phoneWithoutCountry(_ raw: String, _ country: String?) {
        #expect(throws: Identifier.Invalid.self) { try Identifier.phone(raw, country: country) }
    }

    @Test("what is not a phone number is refused", arguments: [
        ("", "GB"), ("+44 7700 9001x3", nil), ("7700 900123", "GB"), ("+44 12", nil), ("+1234567890123456", nil),
        ("+0 7700 900123", nil), ("0044", nil), ("44+7700900123", nil), ("ann@example.com", "GB"),
    ] as [(String, String?)])
    func phoneRefused(_ raw: String, _ country: String?) {
        #expect(throws: Identifier.Invalid.self, "\"\(raw)\"") { try Identifier.phone(raw, country: country) }
    }

    // MARK: One contact, any identifier

    @Test("one contact is reachable by its email or its phone, however written")
    func reachableByEither() throws {
        let scratch = try ScratchLedger()
        try scratch.importNDJSON(ImportFiles.organisation + ImportFiles.people)
        let ledger = scratch.ledger
        for identifier in [
            try Identifier.email("ann.smith@example.com"), try Identifier.email(" Ann.Smith@EXAMPLE.com"),
            try Identifier.phone("+44 7700 900123"), try Identifier.phone("0044 7700 900 123"), try Identifier.phone("07700 900123", country: "GB"),
        ] {
            #expect(try ledger.contactID(for: identifier) == "c-1", "\(identifier)")
        }
        #expect(try ledger.contactID(for: try Identifier.email("bob@example.org")) == "c-2")
        #expect(try ledger.contactID(for: try Identifier.email("nobody@example.org")) == nil)
    }

    @Test("an import line naming a contact by its national phone number finds the contact")
    func importByNationalPhone() throws {
        let scratch = try ScratchLedger()
        try scratch.importNDJSON(ImportFiles.organisation + ImportFiles.people)
        let summary = try scratch.importNDJSON(ImportFiles.event(
            #""phone": "07700 900123", "jurisdiction": "GB", "id": "sms-stop", "type": "opt_out", "at": "2026-01-05T00:00:00Z", "channels": ["sms"], "via": "sms_stop""#))
        #expect(summary.events == 1)
        #expect(summary.contactsCreated == 0)
        #expect(try scratch.ledger.history(contactID: "c-1").events.map(\.id).last == "sms-stop")
    }

    @Test("an identifier belongs to one contact: another contact claiming it, however written, is refused")
    func identifierTaken() throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + [try Chain.contact(1)], recordedAt: Day.recorded)
        let before = try scratch.snapshot()
        let claim = ContactProfile(id: "c-2", jurisdiction: nil, identifiers: [try Identifier.email("  PERSON1@example.com")])
        #expect(throws: LedgerError.identifierTaken(try Identifier.email("person1@example.com"), contactID: "c-1")) {
            try scratch.ledger.append([.contact(claim)], recordedAt: Day.recorded)
        }
        #expect(try scratch.snapshot() == before)
    }

    @Test("a contact id that is itself an email address or phone number is refused", arguments: ["ann@example.com", "+447700900123"])
    func personalContactID(_ id: String) throws {
        let scratch = try ScratchLedger()
        #expect(throws: LedgerError.personalContactID(id)) {
            try scratch.ledger.append([.contact(ContactProfile(id: id, jurisdiction: nil))], recordedAt: Day.recorded)
        }
        #expect(try scratch.entryCount == 0)
    }

    @Test("identifiers are looked up by keyed hash: another installation's secret finds nothing")
    func keyedLookup() throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + [try Chain.contact(1)], recordedAt: Day.recorded)
        let email = try Identifier.email("person1@example.com")
        #expect(try scratch.ledger.contactID(for: email) == "c-1")
        #expect(try scratch.reopened(secret: .generate()).contactID(for: email) == nil)
        #expect(scratch.secret.key(for: email).count == 32)
        #expect(scratch.secret.key(for: email) != LedgerSecret.generate().key(for: email))
    }
}
