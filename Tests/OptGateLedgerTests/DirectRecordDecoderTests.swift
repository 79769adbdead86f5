import Foundation
import Fuzzing
import OptGateCore
@testable import OptGateLedger
import PropertyBased
import Testing

/// Stored events are read straight from their bytes when they have the common shape; every one must
/// come out exactly as the full reader (`JSONParser`, then the scenario decoders) reads it, and
/// anything else must be left to the full reader.
@Suite("Records: direct reading of stored events")
struct DirectRecordDecoderTests {
    /// Both readers on one stored record: the direct one (nil when it leaves the record to the full
    /// reader) and the full one.
    static func readings(_ encoded: RecordCodec.Encoded) -> (direct: LedgerRecord?, full: LedgerRecord?) {
        (DirectRecordDecoder.event(body: encoded.body, personalData: encoded.personalData),
         try? RecordCodec.decodeInFull(kind: .event, body: encoded.body, personalData: encoded.personalData))
    }

    static let at = Timestamp(year: 2025, month: 5, day: 1, hour: 9)!

    /// Events of every type the direct reader takes, with and without evidence and personal data.
    static let commonRecords: [LedgerRecord] = [
        .event(contactID: "c-1", Event(id: "e1", at: at, .consentGiven(ConsentGiven(
            to: ["acme", "partner"], channels: [.email, .onlineAd], purposes: [.marketing, .campaigning], products: [],
            method: .verbalRecorded, noticeVersion: "v2", source: "call", collectedBy: "partner", expiresAt: at.adding(days: 400)))),
            EventEvidence(collectionPoint: "checkout step 2", actor: "staff-7", ip: "2001:db8:85a3::", userAgent: "Mozilla/5.0 (X11)", reason: "asked")),
        .event(contactID: "c-1", Event(id: "e2", at: at, .consentGiven(ConsentGiven(to: ["acme"], channels: [.sms], method: .uncheckedBox))), nil),
        .event(contactID: "c-1", Event(id: "e3", at: at, .detailsCollected(DetailsCollected(
            by: "acme", from: .thirdParty, context: .sale, products: ["p1", "p2"], channels: [.email, .post], refusalOffered: true, refused: true))),
            EventEvidence(collectionPoint: "web checkout")),
        .event(contactID: "c-ü", Event(id: "é4", at: at, .marketingSent(MarketingSent(by: "acme", channel: .post, products: ["Füße"]))), nil),
        .event(contactID: "c-1", Event(id: "e5", at: at, .optOut(OptOut(channels: nil, products: nil, entity: nil, via: .link, until: nil))),
            EventEvidence(ip: "198.51.100.0", userAgent: "Mail client")),
        .event(contactID: "c-1", Event(id: "e6", at: at, .optOut(OptOut(
            channels: [.sms, .liveCall], products: ["p1"], entity: "acme", via: .smsStop, until: at.adding(days: 30)))),
            EventEvidence(actor: "agent 7", reason: "phoned in")),
        .event(contactID: "c-1", Event(id: "e7", at: at, .registerListed(.tps)), nil),
        .event(contactID: "c-1", Event(id: "e8", at: at, .registerRemoved(.bloctel)), nil),
        .event(contactID: "c-1", Event(id: nil, at: at, .gpcSignal(true)), EventEvidence(userAgent: "Browser")),
        .event(contactID: "c-1", Event(id: "e10", at: at, .gpcSignal(false)), nil),
        .event(contactID: "c-1", Event(id: "e11", at: at, .frequencySet(FrequencyPreference(entity: "acme", channels: [.email], maxPer30Days: 4))),
            EventEvidence(collectionPoint: "preference centre", reason: "too_many")),
        .event(contactID: "c-1", Event(id: "e12", at: at, .frequencySet(FrequencyPreference(entity: nil, channels: nil, maxPer30Days: nil))), nil),
    ]

    @Test("events of the common shape are read directly, into exactly the record that was stored")
    func commonShapes() {
        for record in Self.commonRecords {
            let (direct, full) = Self.readings(RecordCodec.encode(record))
            #expect(direct != nil, "\(record) should be read directly")
            #expect(direct == full, "\(record)")
            #expect(direct == record)
        }
    }

    @Test("personal data reads back as stored: an address is not truncated a second time")
    func personalDataAsStored() throws {
        let encoded = RecordCodec.Encoded(
            body: #"{"contact":"c-1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"e1","value":true}}"#,
            personalData: #"{"ip":"2001:db8:85a3:8d3::1","user_agent":"UA"}"#)
        let (direct, full) = Self.readings(encoded)
        #expect(direct == full)
        guard case .event(_, _, let evidence?) = try #require(direct) else { Issue.record("no evidence"); return }
        #expect(evidence.ip == "2001:db8:85a3:8d3::1")
        #expect(evidence.userAgent == "UA")
    }

    /// Stored texts the direct reader leaves to the full reader: events it does not read, strings
    /// with escapes or empty, members it does not expect, members out of the canonical order, damage.
    static let otherTexts: [(String, String?)] = [
        (#"{"contact":"c-1","event":{"type":"frequency_set","at":"2025-05-01T09:00:00Z","id":"f1","max_per_30_days":0}}"#, nil),
        (#"{"contact":"c-1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"f2","value":true},"evidence":{"collection_point":"line\nbreak"}}"#, nil),
        (#"{"contact":"c\u002D1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"f3","value":true}}"#, nil),
        (#"{"contact":"c-1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"","value":true}}"#, nil),
        (#"{"contact":"c-1","event":{"type":"consent_given","at":"2025-05-01T09:00:00Z","id":"f5","to":["acme"],"channels":["email"],"purposes":["marketing"],"method":"double_opt_in","source":""}}"#, nil),
        (#"{"contact":"c-1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"f6","value":true,"register":"tps"}}"#, nil),
        (#"{"contact":"c-1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"f7","value":true,"contact":"c-2"}}"#, nil),
        (#"{"event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"f8","value":true},"contact":"c-1"}"#, nil),
        (#"{"contact":"c-1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"f9","value":true},"evidence":{"ip":"192.0.2.0"}}"#, nil),
        (#"{"contact":"c-1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"f10","value":true}}"#, #"{"collection_point":"form"}"#),
        (#"{"contact":"c-1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"f11","value":true}}"#, #"{"ip":"192.0.2.0","ip":"192.0.2.0"}"#),
        (#"{"contact":"c-1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"f12","value":true},"note":"x"}"#, nil),
        (#"{"contact":"c-1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"f13","value":true}} x"#, nil),
        (#"{"contact":"c-1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"f14","value":true}"#, nil),
        (#"{"contact":"c-1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"f15","value":tru}}"#, nil),
        (#"{"contact":"c-1","event":{"type":"opt_out","at":"2025-05-01T09:00:00Z","id":"f16","via":"pigeon"}}"#, nil),
        (#"{"contact":"c-1","event":{"type":"opt_out","at":"2025-05-01T09:00:00Z","id":"f17","via":"link","until":"2025-04-01T00:00:00Z"}}"#, nil),
        (#"{"contact":"c-1","event":{"type":"marketing_sent","at":"2025-02-30T09:00:00Z","id":"f18","by":"acme","channel":"email","products":[]}}"#, nil),
        (#"{"contact":"c-1","event":{"type":"purchase","at":"2025-05-01T09:00:00Z","id":"f19"}}"#, nil),
        (#"{"contact":"c-1","event":{"type":"gpc_signal","at":"2025-05-01T09:00:00Z","id":"f20","value":true}}"#, #"{"ip":"192.0.2.0"} {}"#),
        (#"{"contact":"c-1","event":{"type":"consent_given","at":"2025-05-01T09:00:00Z","id":"f21","to":[],"channels":["email"],"purposes":["marketing"],"method":"double_opt_in"}}"#, nil),
        (#"{"contact":"c-1","event":null}"#, nil),
        ("", nil),
    ]

    @Test("anything else is left to the full reader, which reads it as it always did")
    func otherShapes() {
        for (body, personal) in Self.otherTexts {
            let encoded = RecordCodec.Encoded(body: body, personalData: personal)
            #expect(Self.readings(encoded).direct == nil, "\(body) should be left to the full reader")
            let viaDecode = try? RecordCodec.decode(kind: .event, body: body, personalData: personal)
            #expect(viaDecode == Self.readings(encoded).full, "\(body)")
        }
        // An escaped string still reads back through `decode`; a damaged record is still refused.
        #expect(throws: Never.self) { try RecordCodec.decode(kind: .event, body: Self.otherTexts[2].0, personalData: nil) }
        #expect(throws: RecordCodec.Corrupt.self) { try RecordCodec.decode(kind: .event, body: Self.otherTexts[0].0, personalData: nil) }
    }

    @Test("random events with random evidence read the same both ways, and as they were stored")
    func randomEvents() async {
        await propertyCheck(count: 60, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SeededGenerator(seed: seed)
            let stream = RandomEventStream(seed: seed)
            for (contactID, events) in stream.events {
                for event in events {
                    func maybe(_ text: String) -> String? { Int.random(in: 0..<3, using: &rng) == 0 ? text : nil }
                    let evidence = EventEvidence(
                        collectionPoint: maybe("form \(Int.random(in: 1...9, using: &rng))"), actor: maybe("staff"),
                        ip: maybe("203.0.113.0"), userAgent: maybe("Mozilla/5.0"), reason: maybe("asked by phone"))
                    let record = LedgerRecord.event(contactID: contactID, event, evidence.isEmpty ? nil : evidence)
                    let (direct, full) = Self.readings(RecordCodec.encode(record))
                    #expect(full == record, "seed \(seed): \(record)")
                    #expect(direct == record, "seed \(seed): \(record)")
                }
            }
        }
    }

    @Test("every event of a demo ledger reads the same both ways")
    func demoLedger() {
        let contacts = DemoContacts(count: 300, seed: 11)
        var events = 0, direct = 0
        for i in 0..<300 {
            for record in contacts.contact(i).records {
                guard case .event = record else { continue }
                events += 1
                let readings = Self.readings(RecordCodec.encode(record))
                #expect(readings.full == record, "contact \(i)")
                if let read = readings.direct {
                    direct += 1
                    #expect(read == record, "contact \(i)")
                }
            }
        }
        #expect(events > 1_000)
        #expect(direct == events, "only \(direct) of \(events) demo events were read directly")
    }
}
