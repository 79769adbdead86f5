import OptGateCore
import Testing

/// Choices a person makes in a preference centre: a pause (an opt-out with an end) and a limit on
/// how often. UK GDPR / GDPR Art 21(2)-(3): an objection binds for what it covers, and may cover
/// only part of the marketing; it never permits what the law forbids.
@Suite("Preference choices: pause and frequency")
struct PreferenceChoiceTests {
    func customer() -> Fixture {
        var f = Fixture()
        f.collected("2025-11-02T12:00:00Z")
        return f
    }

    @Test("Art 21: a pause binds until its end, citing the end")
    func pauseBinds() throws {
        var f = customer()
        f.optedOut("2026-02-20T08:00:00Z", entity: "acme-retail", via: .preferenceCentre, until: "2026-03-22T08:00:00Z")
        let decision = f.decide()
        expectDenied(decision, naming: .optedOut)
        let reason = try #require(decision.reason(.optedOut))
        #expect(reason.evidence.date == t("2026-03-22T08:00:00Z"))
        #expect(reason.detail.contains("paused until 2026-03-22"))
    }

    @Test("A pause lapses at its end: the soft opt-in stands again")
    func pauseLapses() {
        var f = customer()
        f.optedOut("2026-01-20T08:00:00Z", entity: "acme-retail", via: .preferenceCentre, until: "2026-02-19T08:00:00Z")
        expectAllowed(f.decide(), .softOptIn)
        f.now = t("2026-02-19T07:59:59Z")
        expectDenied(f.decide(), naming: .optedOut)
    }

    @Test("A pause does not lift an earlier opt-out for good")
    func pauseDoesNotLiftOptOut() {
        var f = customer()
        f.optedOut("2026-01-10T08:00:00Z", channels: [.email])
        f.optedOut("2026-01-20T08:00:00Z", entity: "acme-retail", via: .preferenceCentre, until: "2026-02-19T08:00:00Z")
        expectDenied(f.decide(), naming: .optedOut)
    }

    @Test("PREFERENCE-FREQUENCY: the person's limit denies once reached in the last 30 days")
    func frequencyLimit() throws {
        var f = customer()
        f.limited("2026-02-01T00:00:00Z", to: 1, entity: "acme-retail")
        expectAllowed(f.decide(), .softOptIn)
        f.sent("2026-02-20T09:00:00Z")
        let decision = f.decide()
        expectDenied(decision, naming: .frequencyPreferenceReached)
        let reason = try #require(decision.reason(.frequencyPreferenceReached))
        #expect(reason.rule.id == "PREFERENCE-FREQUENCY")
        #expect(reason.evidence.count == 1)
        f.sent("2026-01-05T09:00:00Z", channel: .email)   // outside the window: still one in it
        #expect(f.decide().reason(.frequencyPreferenceReached)?.evidence.count == 1)
    }

    @Test("The latest limit wins; a limit of null lifts it")
    func frequencyLatestWins() {
        var f = customer()
        f.sent("2026-02-20T09:00:00Z")
        f.limited("2026-02-01T00:00:00Z", to: 1)
        expectDenied(f.decide(), naming: .frequencyPreferenceReached)
        f.limited("2026-02-25T00:00:00Z", to: nil)
        expectAllowed(f.decide(), .softOptIn)
    }

    @Test("A limit covers only its sender and channels")
    func frequencyScope() {
        var f = customer()
        f.sent("2026-02-20T09:00:00Z")
        f.limited("2026-02-01T00:00:00Z", to: 1, entity: "acme-travel")
        f.limited("2026-02-02T00:00:00Z", to: 1, channels: [.sms])
        expectAllowed(f.decide(), .softOptIn)
    }

    @Test("A limit never permits: an opt-out still denies with room under the limit")
    func frequencyNeverPermits() {
        var f = customer()
        f.limited("2026-02-01T00:00:00Z", to: 10)
        f.optedOut("2026-02-10T00:00:00Z")
        expectDenied(f.decide(), naming: .optedOut)
        #expect(!f.decide().has(.frequencyPreferenceReached))
    }
}

/// 47 CFR 64.1200(a)(10): "stop", "quit", "end", "revoke", "opt out", "cancel", "unsubscribe" are
/// reasonable ways to revoke consent by text; read whole, any case, spaces around.
@Suite("SMS reply keywords")
struct SMSKeywordTests {
    @Test("47 CFR 64.1200(a)(10): the opt-out words, any case, surrounding spaces")
    func optOutWords() {
        for reply in ["STOP", "stop", "  Stop ", "UNSUBSCRIBE", "cancel", "End", "QUIT", "revoke", "opt out", "OPT  OUT", "optout", "Stop!", "stop."] {
            #expect(SMSKeyword(reply: reply) == .stop, "\(reply)")
        }
        #expect(SMSKeyword(reply: " STOPALL\n") == .stopAll)
        #expect(SMSKeyword(reply: "Stop all.") == .stopAll)
        #expect(SMSKeyword(reply: "start") == .start)
    }

    @Test("A sentence is not a keyword: it is read as a sentence")
    func sentences() {
        for reply in ["stop sending me offers", "don't stop", "", "yes"] {
            #expect(SMSKeyword(reply: reply) == nil, "\(reply)")
        }
    }

    @Test("47 CFR 64.1200(a)(10): other words revoke when a reasonable person reads them so: STOP, UNSUBSCRIBE, REVOKE or OPT OUT in a sentence revokes; CANCEL, END or QUIT alone goes to a person")
    func sentenceReadings() {
        for reply in ["please stop texting me", "I want to opt out", "how do I unsubscribe?", "STOP. Now.", "don't stop", "Revoke my consent", "optout pls", "Stop-all of it"] {
            #expect(SMSKeyword.sentence(reply) == .revokes, "\(reply)")
        }
        for reply in ["Cancel my offers!", "when does the sale end?", "I quit", "cancel my order", "at the end of the day"] {
            #expect(SMSKeyword.sentence(reply) == .review, "\(reply)")
        }
        for reply in ["when do you open?", "stopping by later", "optional", "out of stock?", "the weekend", "", "opt in", "unstoppable", "endless"] {
            #expect(SMSKeyword.sentence(reply) == .none, "\(reply)")
        }
    }
}
