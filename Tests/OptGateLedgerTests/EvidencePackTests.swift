import Foundation
import OptGateCore
import OptGateLedger
import OptGateSQLite
import Testing

/// A real ledger in a temporary directory: acme, a laptop product, notice v1, contact c-1 (GB,
/// individual, Ann@Example.com) who consented by email at a signup form and was sent one email.
struct ExportFixture {
    static let t0 = Timestamp(year: 2026, month: 1, day: 1)!
    static let consentAt = Timestamp(year: 2026, month: 1, day: 10, hour: 9, minute: 30)!
    static let sentAt = Timestamp(year: 2026, month: 2, day: 1, hour: 12)!
    static let recordedAt = Timestamp(year: 2026, month: 2, day: 2)!
    static let erasedAt = Timestamp(year: 2026, month: 3, day: 1)!
    static let generatedAt = Timestamp(year: 2026, month: 3, day: 2)!
    static let noticeText = "Tick to get our offers by email"

    let directory: URL
    let ledger: Ledger

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("optgate-export-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteLedgerStore(path: directory.path + "/ledger.sqlite")
        ledger = Ledger(store: store, secret: .generate())
        let consent = ConsentGiven(to: ["acme"], channels: [.email], method: .uncheckedBox, noticeVersion: "v1", source: "website")
        try ledger.append([
            .entity(Entity(id: "acme", kind: .company), validFrom: Self.t0),
            .product(Product(id: "laptops"), validFrom: Self.t0, retired: false),
            .notice(NoticeText(version: "v1", text: Self.noticeText, validFrom: Self.t0)),
            .contact(ContactProfile(
                id: "c-1", jurisdiction: JurisdictionCode("GB"), subscriber: .individual,
                identifiers: [try Identifier.email("Ann@Example.com")])),
            .event(
                contactID: "c-1", Event(id: "e1", at: Self.consentAt, .consentGiven(consent)),
                EventEvidence(collectionPoint: "signup-form", ip: "203.0.113.77", userAgent: "Mozilla/5.0")),
            .event(
                contactID: "c-1", Event(id: "e2", at: Self.sentAt, .marketingSent(MarketingSent(by: "acme", channel: .email, products: ["laptops"]))),
                nil),
        ], recordedAt: Self.recordedAt)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func history() throws -> ContactHistory { try ledger.history(contactID: "c-1", withState: true) }

    /// The seq of the contact's consent_given entry.
    func consentSeq() throws -> Int64 {
        try #require(try history().entries.first { $0.stored.entryID == "event:e1" }).stored.seq
    }
}

/// Parses JSON text into Foundation objects, failing the test if it is not valid JSON.
func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

@Suite("Evidence pack")
struct EvidencePackTests {
    @Test("is valid JSON with the format, contact, notice text and evidence")
    func contents() throws {
        let fixture = try ExportFixture()
        defer { fixture.remove() }
        let text = EvidencePack.json(try fixture.history(), generatedAt: ExportFixture.generatedAt)
        let root = try #require(try parseJSON(text) as? [String: Any])

        #expect(root["format"] as? String == "optgate-evidence/v1")
        #expect(root["generated_at"] as? String == "2026-03-02T00:00:00Z")
        let contact = try #require(root["contact"] as? [String: Any])
        #expect(contact["id"] as? String == "c-1")
        #expect(contact["jurisdiction"] as? String == "GB")
        #expect(contact["subscriber"] as? String == "individual")
        #expect(contact["erased"] as? Bool == false)
        let identifiers = try #require(contact["identifiers"] as? [[String: Any]])
        #expect(identifiers.first?["value"] as? String == "ann@example.com")

        #expect(text.contains(ExportFixture.noticeText))
        #expect(text.contains("203.0.113.0"))
        #expect(!text.contains("203.0.113.77"))
        #expect(text.contains("ann@example.com"))
        #expect(text.contains("Mozilla/5.0"))

        let notices = try #require(root["notices"] as? [[String: Any]])
        #expect(notices.count == 1)
        #expect(notices.first?["version"] as? String == "v1")
        #expect(notices.first?["text"] as? String == ExportFixture.noticeText)
    }

    @Test("lists every entry of the contact in chain order with hash and record")
    func entries() throws {
        let fixture = try ExportFixture()
        defer { fixture.remove() }
        let history = try fixture.history()
        let root = try #require(try parseJSON(EvidencePack.json(history, generatedAt: ExportFixture.generatedAt)) as? [String: Any])
        let entries = try #require(root["entries"] as? [[String: Any]])
        #expect(entries.count == 3)
        #expect(entries.map { $0["kind"] as? String } == ["contact", "event", "event"])
        let seqs = entries.compactMap { ($0["seq"] as? NSNumber)?.int64Value }
        #expect(seqs == history.entries.map(\.stored.seq))
        #expect(seqs == seqs.sorted())
        for (json, entry) in zip(entries, history.entries) {
            let hash = try #require(json["hash"] as? String)
            #expect(hash.count == 64)
            #expect(hash == entry.stored.hash.map { String(format: "%02x", $0) }.joined())
            #expect(json["recorded_at"] as? String == "2026-02-02T00:00:00Z")
        }
        let consent = try #require(entries[1]["record"] as? [String: Any])
        let event = try #require(consent["event"] as? [String: Any])
        #expect(event["type"] as? String == "consent_given")
        #expect(event["at"] as? String == "2026-01-10T09:30:00Z")
        #expect(event["id"] as? String == "e1")
        #expect(event["to"] as? [String] == ["acme"])
        #expect(event["notice_version"] as? String == "v1")
        let evidence = try #require(consent["evidence"] as? [String: Any])
        #expect(evidence["collection_point"] as? String == "signup-form")
        #expect(evidence["ip"] as? String == "203.0.113.0")
        #expect(evidence["user_agent"] as? String == "Mozilla/5.0")
    }

    @Test("replays every send: allowed on the basis of consent")
    func sends() throws {
        let fixture = try ExportFixture()
        defer { fixture.remove() }
        let root = try #require(try parseJSON(EvidencePack.json(try fixture.history(), generatedAt: ExportFixture.generatedAt)) as? [String: Any])
        let sends = try #require(root["sends"] as? [[String: Any]])
        #expect(sends.count == 1)
        let send = try #require(sends.first)
        #expect(send["event_id"] as? String == "e2")
        #expect(send["at"] as? String == "2026-02-01T12:00:00Z")
        #expect(send["lawful"] as? Bool == true)
        let message = try #require(send["message"] as? [String: Any])
        #expect(message["from"] as? String == "acme")
        #expect(message["channel"] as? String == "email")
        #expect(message["products"] as? [String] == ["laptops"])
        let decision = try #require(send["decision"] as? [String: Any])
        #expect(decision["allowed"] as? Bool == true)
        #expect(decision["basis"] as? String == "consent")
        #expect((decision["reasons"] as? [Any])?.isEmpty == false)
        let summary = try #require(root["summary"] as? [String: Any])
        #expect((summary["sends_not_allowed"] as? NSNumber)?.intValue == 0)
        let state = try #require(root["permission_state"] as? [String: Any])
        #expect((state["marketing_sent"] as? NSNumber)?.intValue == 1)
    }

    @Test("flags a send that had no lawful basis at the time")
    func unlawfulSend() throws {
        let fixture = try ExportFixture()
        defer { fixture.remove() }
        // An SMS nobody consented to.
        try fixture.ledger.append([
            .event(contactID: "c-1", Event(id: "e3", at: ExportFixture.sentAt.adding(days: 1), .marketingSent(MarketingSent(by: "acme", channel: .sms))), nil),
        ], recordedAt: ExportFixture.recordedAt.adding(days: 1))
        let root = try #require(try parseJSON(EvidencePack.json(try fixture.history(), generatedAt: ExportFixture.generatedAt)) as? [String: Any])
        let sends = try #require(root["sends"] as? [[String: Any]])
        #expect(sends.map { $0["lawful"] as? Bool } == [true, false])
        let decision = try #require(sends.last?["decision"] as? [String: Any])
        #expect(decision["allowed"] as? Bool == false)
        #expect(decision["basis"] is NSNull)
        let summary = try #require(root["summary"] as? [String: Any])
        #expect((summary["sends_not_allowed"] as? NSNumber)?.intValue == 1)
    }

    @Test("each send is judged on the history before it: it does not count against a frequency cap itself")
    func sendJudgedBeforeItself() throws {
        let fixture = try ExportFixture()
        defer { fixture.remove() }
        var policy = Policy()
        policy.maxMarketingPer30Days = 1
        try fixture.ledger.append([
            .policy(policy, validFrom: ExportFixture.t0),
            .event(contactID: "c-1", Event(id: "e3", at: ExportFixture.sentAt.adding(days: 1), .marketingSent(MarketingSent(by: "acme", channel: .email, products: ["laptops"]))), nil),
        ], recordedAt: ExportFixture.recordedAt.adding(days: 1))
        let root = try #require(try parseJSON(EvidencePack.json(try fixture.history(), generatedAt: ExportFixture.generatedAt)) as? [String: Any])
        let sends = try #require(root["sends"] as? [[String: Any]])
        // The first email was the only one in its 30 days; the second went over the cap of one.
        #expect(sends.map { $0["lawful"] as? Bool } == [true, false])
        let reasons = try #require((sends.last?["decision"] as? [String: Any])?["reasons"] as? [[String: Any]])
        #expect(reasons.contains { ($0["code"] as? String)?.contains("frequency") == true })
    }

    @Test("after erasure: no email, IP or user agent, erased flag set, entries still listed")
    func erased() throws {
        let fixture = try ExportFixture()
        defer { fixture.remove() }
        _ = try fixture.ledger.erase(contactID: "c-1", recordedAt: ExportFixture.erasedAt)
        let history = try fixture.history()
        let text = EvidencePack.json(history, generatedAt: ExportFixture.generatedAt)
        let root = try #require(try parseJSON(text) as? [String: Any])

        #expect(!text.lowercased().contains("ann@example.com"))
        #expect(!text.contains("@"))
        #expect(!text.contains("203.0.113"))
        #expect(!text.contains("Mozilla"))
        #expect(!text.contains("user_agent"))
        let contact = try #require(root["contact"] as? [String: Any])
        #expect(contact["erased"] as? Bool == true)
        #expect(contact["identifiers"] == nil)
        #expect(contact["erased_at"] as? String == "2026-03-01T00:00:00Z")

        let entries = try #require(root["entries"] as? [[String: Any]])
        #expect(entries.map { $0["kind"] as? String } == ["contact", "event", "event", "erasure"])
        #expect(entries[1]["personal_data"] as? String == "erased")
        let evidence = try #require((entries[1]["record"] as? [String: Any])?["evidence"] as? [String: Any])
        #expect(evidence["collection_point"] as? String == "signup-form")
        #expect(evidence["ip"] == nil)
        // The notice and the replayed decision survive erasure.
        #expect(text.contains(ExportFixture.noticeText))
        let sends = try #require(root["sends"] as? [[String: Any]])
        #expect((sends.first?["decision"] as? [String: Any])?["allowed"] as? Bool == true)
    }

    @Test("is deterministic: the same history gives the same bytes")
    func deterministic() throws {
        let fixture = try ExportFixture()
        defer { fixture.remove() }
        let history = try fixture.history()
        #expect(EvidencePack.json(history, generatedAt: ExportFixture.generatedAt) == EvidencePack.json(try fixture.history(), generatedAt: ExportFixture.generatedAt))
        let text = EvidencePack.json(history, generatedAt: ExportFixture.generatedAt)
        let keys = ["\"format\"", "\"generated_at\"", "\"contact\"", "\"summary\"", "\"entries\"", "\"notices\"", "\"sends\"", "\"permission_state\""]
        let positions = keys.map { text.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted())
    }
}
