import OptGateCore
import Testing

/// A decision applies the history and the law as they stood at `now`.
@Suite("Decision time")
struct DecisionTimeTests {
    @Test("Contract: events dated after now are ignored")
    func futureEventsIgnored() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z")
        f.optedOut("2026-03-01T10:00:01Z")
        expectAllowed(f.decide(), .softOptIn)
        f.now = t("2026-03-01T10:00:01Z")
        expectDenied(f.decide(), naming: .optedOut)
    }

    @Test("Events may arrive in any order")
    func orderIndependent() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z")
        f.optedOut("2026-01-10T08:00:00Z")
        f.consented("2026-02-01T00:00:00Z")
        let forward = f.decide()
        f.events.reverse()
        let backward = f.decide()
        #expect(forward.allowed == backward.allowed)
        #expect(forward.basis == backward.basis)
    }

    @Test("Sender policy: the frequency cap counts the sender's sends on the channel in the last 30 days")
    func frequencyCap() {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z")
        f.policy.maxMarketingPer30Days = 2
        f.sent("2026-01-15T10:00:00Z")                        // outside the 30 days
        f.sent("2026-02-10T10:00:00Z")
        f.sent("2026-02-20T10:00:00Z", channel: .sms)         // other channel
        f.sent("2026-02-21T10:00:00Z", by: "acme-travel")     // other sender
        expectAllowed(f.decide(), .softOptIn)
        f.sent("2026-02-25T10:00:00Z")
        let decision = f.decide()
        expectDenied(decision, naming: .frequencyCapReached)
        #expect(decision.reason(.frequencyCapReached)?.evidence.count == 2)
    }
}
