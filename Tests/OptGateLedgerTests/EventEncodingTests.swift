import OptGateCore
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
}
