import Foundation
import OptGateCore
import OptGateLedger
import Testing

@Suite("Consent receipt")
struct ConsentReceiptTests {
    static let kantaraRequired = [
        "version", "jurisdiction", "consentTimestamp", "collectionMethod", "consentReceiptID", "language",
        "piiPrincipalId", "piiControllers", "policyUrl", "services", "sensitive", "spiCat",
    ]

    @Test("has the Kantara CR v1.1 fields")
    func kantaraFields() throws {
        let fixture = try ExportFixture()
        defer { fixture.remove() }
        let text = try ConsentReceipt.json(try fixture.history(), consentSeq: try fixture.consentSeq(), generatedAt: ExportFixture.generatedAt)
        let receipt = try #require(try parseJSON(text) as? [String: Any])
        for key in Self.kantaraRequired { #expect(receipt[key] != nil, "missing \(key)") }
        #expect(receipt["publicKey"] == nil)
        #expect(receipt["version"] as? String == "KI-CR-v1.1.0")
        #expect(receipt["jurisdiction"] as? String == "GB")
        #expect((receipt["consentTimestamp"] as? NSNumber)?.int64Value == ExportFixture.consentAt.secondsSinceEpoch)
        #expect(receipt["language"] as? String == "en")
        #expect(receipt["piiPrincipalId"] as? String == "c-1")
        #expect(receipt["sensitive"] as? Bool == false)
        #expect((receipt["spiCat"] as? [Any])?.isEmpty == true)
        #expect((receipt["collectionMethod"] as? String)?.contains("signup-form") == true)

        let id = try #require(receipt["consentReceiptID"] as? String)
        #expect(UUID(uuidString: id) != nil)

        let controllers = try #require(receipt["piiControllers"] as? [[String: Any]])
        #expect(controllers.map { $0["piiController"] as? String } == ["acme"])

        let services = try #require(receipt["services"] as? [[String: Any]])
        #expect(services.count == 1)
        let purposes = try #require(services.first?["purposes"] as? [[String: Any]])
        let purpose = try #require(purposes.first)
        #expect(purpose["consentType"] as? String == "EXPLICIT")
        #expect(purpose["primaryPurpose"] as? Bool == true)
        #expect(purpose["thirdPartyDisclosure"] as? Bool == false)
        #expect(purpose["purposeCategory"] as? [String] == ["Marketing"])
        #expect((purpose["piiCategory"] as? [String])?.contains("contact details") == true)
        #expect(purpose["termination"] is String)
        #expect(purpose["purpose"] is String)

        // No personal data in a receipt.
        #expect(!text.contains("ann@example.com"))
        #expect(!text.contains("203.0.113"))
    }

    @Test("maps the consent to ISO/IEC TS 27560 record fields")
    func iso27560() throws {
        let fixture = try ExportFixture()
        defer { fixture.remove() }
        let history = try fixture.history()
        let seq = try fixture.consentSeq()
        let receipt = try #require(try parseJSON(try ConsentReceipt.json(history, consentSeq: seq, generatedAt: ExportFixture.generatedAt)) as? [String: Any])
        let iso = try #require(receipt["iso27560"] as? [String: Any])
        #expect(iso["record_id"] as? String == "e1")
        #expect(iso["pii_principal_id"] as? String == "c-1")
        #expect(iso["event_state"] as? String == "given")
        #expect(iso["event_time"] as? String == "2026-01-10T09:30:00Z")
        #expect(iso["channels"] as? [String] == ["email"])
        #expect(iso["collection_method"] as? String == "unticked_box")
        #expect(iso["valid_until"] is NSNull)
        let notice = try #require(iso["privacy_notice"] as? [String: Any])
        #expect(notice["version"] as? String == "v1")
        #expect(notice["text"] as? String == ExportFixture.noticeText)
        #expect((notice["text_sha256"] as? String)?.count == 64)
        let integrity = try #require(iso["integrity"] as? [String: Any])
        let entry = try #require(history.entries.first { $0.stored.seq == seq })
        #expect(integrity["entry_hash"] as? String == entry.stored.hash.map { String(format: "%02x", $0) }.joined())
        #expect((integrity["seq"] as? NSNumber)?.int64Value == seq)
    }

    @Test("the receipt id is derived from the entry hash: stable across exports")
    func stableID() throws {
        let fixture = try ExportFixture()
        defer { fixture.remove() }
        let seq = try fixture.consentSeq()
        func id(_ at: Timestamp) throws -> String? {
            let receipt = try parseJSON(try ConsentReceipt.json(try fixture.history(), consentSeq: seq, generatedAt: at)) as? [String: Any]
            return receipt?["consentReceiptID"] as? String
        }
        let first = try id(ExportFixture.generatedAt)
        #expect(first != nil)
        #expect(try id(ExportFixture.generatedAt.adding(days: 7)) == first)
    }

    @Test("a seq that is not a consent_given entry of the contact throws")
    func wrongSeq() throws {
        let fixture = try ExportFixture()
        defer { fixture.remove() }
        let history = try fixture.history()
        let sendSeq = try #require(history.entries.first { $0.stored.entryID == "event:e2" }).stored.seq
        let contactSeq = try #require(history.entries.first { $0.stored.kind == .contact }).stored.seq
        #expect(throws: ConsentReceiptError.self) {
            try ConsentReceipt.json(history, consentSeq: sendSeq, generatedAt: ExportFixture.generatedAt)
        }
        #expect(throws: ConsentReceiptError.self) {
            try ConsentReceipt.json(history, consentSeq: contactSeq, generatedAt: ExportFixture.generatedAt)
        }
        // The notice is an organisation entry, not the contact's.
        #expect(throws: ConsentReceiptError.self) {
            try ConsentReceipt.json(history, consentSeq: 1, generatedAt: ExportFixture.generatedAt)
        }
        let error = #expect(throws: ConsentReceiptError.self) {
            try ConsentReceipt.json(history, consentSeq: 999, generatedAt: ExportFixture.generatedAt)
        }
        #expect(error?.seq == 999)
        #expect(error?.contactID == "c-1")
        #expect(error?.description.contains("999") == true)
    }

    @Test("all: one receipt per consent, as a JSON array")
    func all() throws {
        let fixture = try ExportFixture()
        defer { fixture.remove() }
        let later = ConsentGiven(
            to: ["acme"], channels: [.sms], method: .preTickedBox, expiresAt: Timestamp(year: 2027, month: 1, day: 1)!)
        try fixture.ledger.append([
            .event(contactID: "c-1", Event(id: "e4", at: ExportFixture.sentAt.adding(days: 2), .consentGiven(later)), nil),
        ], recordedAt: ExportFixture.recordedAt.adding(days: 3))
        let text = ConsentReceipt.all(try fixture.history(), generatedAt: ExportFixture.generatedAt)
        let receipts = try #require(try parseJSON(text) as? [[String: Any]])
        #expect(receipts.count == 2)
        #expect(receipts.map { ($0["iso27560"] as? [String: Any])?["record_id"] as? String } == ["e1", "e4"])
        let ids = receipts.compactMap { $0["consentReceiptID"] as? String }
        #expect(Set(ids).count == 2)
        // A pre-ticked box is not explicit consent, and this one expires.
        let second = try #require(receipts.last)
        let purpose = try #require(((second["services"] as? [[String: Any]])?.first?["purposes"] as? [[String: Any]])?.first)
        #expect(purpose["consentType"] as? String == "IMPLIED")
        #expect((second["iso27560"] as? [String: Any])?["valid_until"] as? String == "2027-01-01T00:00:00Z")
        #expect((second["iso27560"] as? [String: Any])?["privacy_notice"] is NSNull)
    }

    @Test("controller details fill piiControllers and policyUrl")
    func controllerDetails() throws {
        let fixture = try ExportFixture()
        defer { fixture.remove() }
        let controller = ConsentReceipt.Controller(
            contact: "Data Protection Officer", address: "1 High St, London", email: "dpo@acme.example", phone: "+44 20 7946 0000",
            url: "https://acme.example", policyURL: "https://acme.example/privacy")
        let text = try ConsentReceipt.json(
            try fixture.history(), consentSeq: try fixture.consentSeq(), controller: controller, generatedAt: ExportFixture.generatedAt)
        let receipt = try #require(try parseJSON(text) as? [String: Any])
        #expect(receipt["policyUrl"] as? String == "https://acme.example/privacy")
        let first = try #require((receipt["piiControllers"] as? [[String: Any]])?.first)
        #expect(first["piiController"] as? String == "acme")
        #expect(first["email"] as? String == "dpo@acme.example")
        #expect(first["contact"] as? String == "Data Protection Officer")
    }
}
