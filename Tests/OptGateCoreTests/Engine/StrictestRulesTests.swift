import OptGateCore
import Testing

/// Unknown jurisdictions, and channels a rule set does not cover, get the strictest answer.
@Suite("Strictest rules")
struct StrictestRulesTests {
    @Test("Contract: a missing jurisdiction applies the strictest rules — consent on every channel, post included",
          arguments: Channel.allCases)
    func missingJurisdiction(channel: Channel) {
        var f = Fixture(nil)
        f.message.channel = channel
        f.collected("2025-11-02T12:00:00Z", channels: .all)
        let decision = f.decide()
        expectDenied(decision, naming: .consentNone)
        #expect(decision.has(.jurisdictionUnknown))
        #expect(decision.rules == "strictest (jurisdiction unknown)")
        f.consented("2025-12-01T00:00:00Z", channels: [channel])
        expectAllowed(f.decide(), .consent)
    }

    @Test("Contract: a well-formed but uncovered country (AU, JP) applies the strictest rules", arguments: ["AU", "JP", "NO"])
    func uncoveredCountry(code: String) {
        var f = Fixture(code)
        f.message.channel = .post
        expectDenied(f.decide(), naming: .consentNone)
    }

    @Test("Strictest: every register listing binds from the day it is made")
    func registersBindAtOnce() {
        var f = Fixture(nil)
        f.message.channel = .liveCall
        f.consented("2025-12-01T00:00:00Z", channels: [.liveCall])
        f.listed("2026-02-28T00:00:00Z", .tps)
        expectDenied(f.decide(), naming: .registerListed)
    }

    @Test("A subdivision resolves to its country's rule set (US-CA → US)")
    func subdivision() {
        #expect(Fixture("US-CA").decide().rules == "US/CAN-SPAM, TCPA, CCPA")
        #expect(Fixture("GB-SCT", subscriber: .corporate).decide().rules.hasPrefix("GB/"))
    }
}
