import Foundation
import OptGateCore
import OptGateLedger
import PropertyBased
import Testing

/// What the ledger accepts it can read back unchanged: the stored canonical form decodes to the
/// very record that was appended.
@Suite("Records: stored and read back")
struct RecordRoundTripTests {
    @Test("random events read back from a contact's history exactly as appended")
    func randomEvents() async {
        await propertyCheck(count: 40, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let stream = RandomEventStream(seed: seed)
            let scratch = try ScratchLedger()
            try stream.record { _ in scratch.ledger }
            for contactID in stream.contactIDs {
                let read = try scratch.reopened().history(contactID: contactID).events
                let appended = stream.events[contactID] ?? []
                #expect(read.count == appended.count, "seed \(seed)")
                #expect(Dictionary(read.map { ($0, 1) }, uniquingKeysWith: +) == Dictionary(appended.map { ($0, 1) }, uniquingKeysWith: +), "seed \(seed)")
            }
        }
    }

    @Test("every kind of record reads back as appended, evidence and identifiers included")
    func everyKind() throws {
        let scratch = try ScratchLedger()
        var policy = Policy()
        policy.ukSoftOptInMonths = 12
        policy.abandonedCheckoutIsNegotiation = false
        policy.maxMarketingPer30Days = 3
        let profile = ContactProfile(
            id: "c-1", jurisdiction: JurisdictionCode("US-CA"), subscriber: .soleTrader,
            identifiers: [try Identifier.email("Ann@Example.com"), try Identifier.phone("(415) 555-0100", country: "US")])
        let evidence = EventEvidence(collectionPoint: "checkout \"step 2\"", actor: "staff-7", ip: "2001:db8:85a3:8d3::1", userAgent: "Mozilla/5.0 (X11; \u{00e9})")
        let records: [LedgerRecord] = Org.records() + [
            .entity(Entity(id: "partner", kind: .nonprofit, group: nil), validFrom: Day.at(2025, 1, 1)),
            .product(Product(id: "holidays", similarTo: [], reasoning: nil), validFrom: Day.at(2025, 2, 1), retired: true),
            .policy(policy, validFrom: Day.at(2025, 3, 1)),
            .notice(NoticeText(version: "v2", text: "Line one\nline \"two\" \\ ✓", validFrom: Day.at(2025, 4, 1))),
            .contact(profile),
            .event(contactID: "c-1", Event(id: "e1", at: Day.at(2025, 5, 1), .consentGiven(ConsentGiven(
                to: [Org.acme, "partner"], channels: [.email, .onlineAd], purposes: [.marketing, .campaigning], products: [],
                method: .verbalRecorded, noticeVersion: "v2", source: "call", collectedBy: "partner", expiresAt: Day.at(2027, 1, 1)))), evidence),
        ]
        try scratch.ledger.append(records, recordedAt: Day.recorded)
        let stored = try scratch.allEntries()
        #expect(stored.count == records.count)
        for ((entry, personal), record) in zip(stored, records) {
            let decoded = try RecordCodec.decode(kind: entry.kind, body: entry.body, personalData: personal?.body)
            if case .event(_, _, let ev?) = record {
                #expect(ev.ip == "2001:db8:85a3::", "the IP address is kept truncated to its network")
            }
            #expect(decoded == record, "entry \(entry.seq)")
        }
    }

    @Test("a campaign record reads back with its lists' digests; one without files has no such members, so earlier records keep their bytes")
    func campaignDigests() throws {
        var summary = CampaignSummary()
        summary.recipients = 3
        summary.send = 1
        summary.excluded = 2
        let message = Message(from: Org.acme, channel: .email, products: ["laptops"])
        let digest = String(repeating: "ab", count: 32)
        let withFiles = CampaignRecord(
            campaignID: "spring", checkedAt: Day.recorded, message: message, summary: summary,
            sendListSHA256: digest, excludedListSHA256: String(repeating: "0", count: 64))
        let streamed = CampaignRecord(campaignID: "spring", checkedAt: Day.recorded, message: message, summary: summary)
        for record in [withFiles, streamed] {
            let body = RecordCodec.encode(.campaign(record)).body
            #expect(try RecordCodec.decode(kind: .campaign, body: body, personalData: nil) == .campaign(record))
            #expect(body.contains("send_list_sha256") == (record.sendListSHA256 != nil))
        }
        let body = RecordCodec.encode(.campaign(streamed)).body
        #expect(body.hasSuffix(#""lapsing_within_30_days":0,"rules":[]}"#), "\(body)")
    }

    /// Events the ledger API takes that the scenario contract's decoder refuses.
    static let outsideTheContract: [(String, Event)] = [
        ("a consent naming no entity", Event(id: "e1", at: Day.at(2025, 5, 1), .consentGiven(ConsentGiven(to: [], channels: [.email], method: .doubleOptIn)))),
        ("an empty event id", Event(id: "", at: Day.at(2025, 5, 1), .gpcSignal(true))),
        ("an empty consent source", Event(id: "e3", at: Day.at(2025, 5, 1), .consentGiven(ConsentGiven(to: [Org.acme], channels: [.email], method: .doubleOptIn, source: "")))),
    ]

    @Test("an event is either refused or readable afterwards: never stored so that the contact's history cannot be read",
          arguments: outsideTheContract.map(\.0))
    func acceptedMeansReadable(_ what: String) throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + [.contact(ContactProfile(id: "c-1", jurisdiction: JurisdictionCode("GB")))], recordedAt: Day.recorded)
        let event = try #require(Self.outsideTheContract.first { $0.0 == what }).1
        let accepted = (try? scratch.ledger.append([.event(contactID: "c-1", event, nil)], recordedAt: Day.recorded)) != nil
        guard accepted else { return }
        do {
            #expect(try scratch.ledger.history(contactID: "c-1").events == [event])
        } catch {
            Issue.record("\(what) was accepted, and now c-1's history (status, decisions, evidence pack) cannot be read: \(error)")
        }
    }
}
