import Fuzzing
import OptGateCore
import PropertyBased
import Testing

/// Invariants that hold for every scenario, checked on random ones. A failure reports the seed;
/// `RandomScenario.make(seed:)` rebuilds the exact scenario.
@Suite("Decision invariants (property tests)")
struct DecisionInvariantTests {
    static let seeds = Gen.uint64(in: 0...UInt64.max)

    @Test("The same input always gives the same output")
    func deterministic() async {
        await propertyCheck(count: 300, input: Self.seeds) { seed in
            let f = RandomScenario.make(seed: seed)
            #expect(f.decide() == f.decide(), "seed \(seed)")
            #expect(f.decide() == DecisionEngine().decide(f.scenario), "seed \(seed)")
        }
    }

    @Test("Events after now change nothing")
    func futureEventsChangeNothing() async {
        await propertyCheck(count: 300, input: Self.seeds) { seed in
            var f = RandomScenario.make(seed: seed)
            let before = f.decide()
            var rng = SeededGenerator(seed: seed ^ 0xFFFF)
            for _ in 0..<5 {
                var event = RandomScenario.randomEvent(&rng, now: f.now, sender: f.message.from)
                event.at = f.now.adding(seconds: Int64.random(in: 1...86_400 * 400, using: &rng))
                f.events.append(event)   // appended, so evidence positions of past events stay the same
            }
            #expect(f.decide() == before, "seed \(seed)")
        }
    }

    @Test("UK GDPR/GDPR Art 21: an opt-out covering the message, later than every other event, always wins")
    func optOutAlwaysWins() async {
        await propertyCheck(count: 400, input: Self.seeds) { seed in
            var f = RandomScenario.make(seed: seed)
            guard f.message.purpose != .service, !f.message.solicited else { return }
            let latest = f.events.map(\.at).filter { $0 <= f.now }.max() ?? f.now.adding(days: -1)
            var rng = SeededGenerator(seed: seed ^ 0xABCD)
            let scoped = Bool.random(using: &rng)
            f.events.append(Event(at: min(latest.adding(seconds: 1), f.now), .optOut(OptOut(
                channels: scoped ? [f.message.channel] : nil,
                products: nil,
                entity: scoped ? f.message.from : nil,
                via: .oneClick))))
            let decision = f.decide()
            #expect(!decision.allowed, "seed \(seed): \(decision.codes)")
            #expect(decision.has(.optedOut), "seed \(seed): \(decision.codes)")
        }
    }

    @Test("PECR reg 22(3)(a), Art 13(2): details from a third party, broker, group company or public source never ground a soft opt-in")
    func thirdPartyDetailsNeverGroundSoftOptIn() async {
        await propertyCheck(count: 400, input: Self.seeds) { seed in
            var f = RandomScenario.make(seed: seed)
            var rng = SeededGenerator(seed: seed ^ 0x1234)
            let indirect: [DetailsCollected.Source] = [.thirdParty, .groupCompany, .dataBroker, .publicSource]
            for i in f.events.indices {
                if case .detailsCollected(var details) = f.events[i].kind {
                    details.from = indirect.randomElement(using: &rng)!
                    f.events[i].kind = .detailsCollected(details)
                }
            }
            let basis = f.decide().basis
            #expect(basis != .softOptIn && basis != .charitySoftOptIn, "seed \(seed)")
        }
    }

    @Test("PECR reg 23(b), Art 13(4), CAN-SPAM 7704(a)(3), CASL s.6(2)(c): electronic marketing without an opt-out is never allowed")
    func noOptOutNeverAllowed() async {
        await propertyCheck(count: 400, input: Self.seeds) { seed in
            var f = RandomScenario.make(seed: seed)
            guard f.message.purpose != .service, !f.message.solicited else { return }
            var rng = SeededGenerator(seed: seed ^ 0x5555)
            f.message.channel = [Channel.email, .sms, .voicemail, .inApp, .socialDM].randomElement(using: &rng)!
            f.message.includesOptOut = false
            let decision = f.decide()
            #expect(!decision.allowed, "seed \(seed): \(decision.codes)")
        }
    }

    @Test("A disguised sender is never allowed to send marketing")
    func concealedSenderNeverAllowed() async {
        await propertyCheck(count: 300, input: Self.seeds) { seed in
            var f = RandomScenario.make(seed: seed)
            guard f.message.purpose != .service, !f.message.solicited, f.message.channel != .onlineAd else { return }
            f.message.identifiesSender = false
            #expect(!f.decide().allowed, "seed \(seed)")
        }
    }

    @Test("Decisions are well formed: a basis and grounds when allowed, failures and no requirements when denied, valid_until after now")
    func wellFormed() async {
        await propertyCheck(count: 400, input: Self.seeds) { seed in
            let f = RandomScenario.make(seed: seed)
            let decision = f.decide()
            if decision.allowed {
                #expect(decision.basis != nil, "seed \(seed)")
                #expect(decision.reasons.contains { $0.code.isGround }, "seed \(seed)")
                #expect(decision.reasons.allSatisfy { $0.code.isGround }, "seed \(seed): \(decision.codes)")
            } else {
                #expect(decision.basis == nil, "seed \(seed)")
                #expect(decision.requirements.isEmpty, "seed \(seed)")
                #expect(decision.reasons.contains { !$0.code.isGround }, "seed \(seed): \(decision.codes)")
                #expect(decision.validUntil == nil, "seed \(seed)")
            }
            if let until = decision.validUntil { #expect(until > f.now, "seed \(seed)") }
            for reason in decision.reasons {
                #expect(!reason.detail.isEmpty && !reason.rule.citation.isEmpty, "seed \(seed)")
            }
        }
    }

    @Test("Adding valid consent never turns an allowed decision into a denial")
    func consentNeverHurts() async {
        await propertyCheck(count: 300, input: Self.seeds) { seed in
            var f = RandomScenario.make(seed: seed)
            guard f.decide().allowed else { return }
            f.events.append(Event(at: f.now.adding(days: -1), .consentGiven(ConsentGiven(
                to: [f.message.from] + (f.message.onBehalfOf.map { [$0] } ?? []), channels: [f.message.channel],
                purposes: [f.message.purpose], method: .signedForm))))
            #expect(f.decide().allowed, "seed \(seed): \(f.decide().codes)")
        }
    }
}
