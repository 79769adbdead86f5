import OptGateCore
import OptGateLedger
import OptGateScenario
import Testing

/// The canonical text of an event is written straight into one string; it must stay byte for
/// byte what the member-by-member writer makes of it, since the chain hashes it.
@Suite("Event encoding")
struct EventEncodingTests {
    static func memberwise(_ event: Event) -> String { JSONWriter(pretty: false).object(EventEncoder.members(event)) }

    @Test("every kind of event, with and without its optional fields, encodes as before", arguments: 0..<200)
    func randomEvents(seed: Int) {
        let stream = RandomEventStream(seed: UInt64(seed))
        for event in stream.events.values.joined() {
            #expect(EventEncoder.json(event) == Self.memberwise(event))
        }
    }

    @Test("strings that need escaping, frequency limits and empty lists encode as before")
    func edgeCases() throws {
        let at = Timestamp(secondsSinceEpoch: -1)
        let events = [
            Event(id: "quote \" back\\slash\ttab\u{1}", at: at, .marketingSent(MarketingSent(by: "ä\"", channel: .sms, products: []))),
            Event(at: at, .frequencySet(FrequencyPreference(entity: "acme", channels: [.email, .post], maxPer30Days: 4))),
            Event(at: at, .frequencySet(FrequencyPreference(entity: nil, channels: nil, maxPer30Days: nil))),
            Event(id: "x", at: at, .optOut(OptOut(channels: [], products: [], entity: nil, via: .other, until: nil))),
            Event(id: "y", at: at, .consentGiven(ConsentGiven(
                to: ["a", "b\n"], channels: [.email], purposes: [.fundraising, .marketing], products: [], method: .signedForm,
                noticeVersion: "v\u{7F}", source: "s", collectedBy: "c", expiresAt: at))),
        ]
        for event in events {
            #expect(EventEncoder.json(event) == Self.memberwise(event))
        }
    }

    @Test("an event record's stored body is the member-wise object of contact, event and visible evidence; IP and user agent stay apart", arguments: 0..<50)
    func eventRecords(seed: Int) {
        let stream = RandomEventStream(seed: UInt64(seed))
        let w = JSONWriter(pretty: false)
        let evidences: [EventEvidence?] = [
            nil, EventEvidence(),
            EventEvidence(collectionPoint: "checkout \"v2\"", actor: "staff:ä", ip: "192.0.2.0", userAgent: "UA/1", reason: "asked"),
            EventEvidence(ip: "198.51.100.0"),
        ]
        for (contact, events) in stream.events {
            for (index, event) in events.enumerated() {
                let evidence = evidences[index % evidences.count]
                var members = [("contact", JSONWriter.quoted(contact)), ("event", Self.memberwise(event))]
                var visible: [(String, String)] = []
                if let v = evidence?.collectionPoint { visible.append(("collection_point", JSONWriter.quoted(v))) }
                if let v = evidence?.actor { visible.append(("actor", JSONWriter.quoted(v))) }
                if let v = evidence?.reason { visible.append(("reason", JSONWriter.quoted(v))) }
                if !visible.isEmpty { members.append(("evidence", w.object(visible))) }
                let encoded = RecordCodec.encode(.event(contactID: contact, event, evidence))
                #expect(encoded.body == w.object(members))
                #expect((encoded.personalData != nil) == (evidence?.ip != nil || evidence?.userAgent != nil))
            }
        }
    }
}
