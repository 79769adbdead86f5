import OptGateCore
import OptGateScenario
import Testing

/// What a valid scenario/v1 document decodes to, including the contract's defaults.
@Suite("ScenarioDecoder: decoded values and defaults")
struct ScenarioDecoderTests {
    private func time(_ text: String) throws -> Timestamp { try Timestamp(rfc3339: text) }

    @Test func theDefaultFixtureIsValid() throws {
        let file = try decoded(ScenarioText().text)
        #expect(file.scenario.message.products == ["bags"])
        #expect(file.expect == nil)
    }

    // MARK: Defaults

    @Test func messageDefaults() throws {
        let file = try decoded(ScenarioText.with {
            $0.message = #"{"from": "acme", "channel": "sms", "purpose": "service"}"#
        }.text)
        let message = file.scenario.message
        #expect(message.includesOptOut == true)
        #expect(message.identifiesSender == true)
        #expect(message.solicited == false)
        #expect(message.relevantToRole == false)
        #expect(message.products == [])
        #expect(message.onBehalfOf == nil)
        #expect(message.channel == .sms)
        #expect(message.purpose == .service)
    }

    @Test func messageFlagsAreRead() throws {
        let file = try decoded(ScenarioText.with {
            $0.entities = [#"{"id": "acme", "kind": "company"}"#, #"{"id": "partner", "kind": "charity"}"#]
            $0.message = #"{"from": "acme", "channel": "email", "purpose": "fundraising", "products": ["laptops", "bags"], "on_behalf_of": "partner", "includes_opt_out": false, "identifies_sender": false, "solicited": true, "relevant_to_role": true}"#
        }.text)
        #expect(file.scenario.message == Message(
            from: "acme", channel: .email, purpose: .fundraising, products: ["laptops", "bags"], onBehalfOf: "partner",
            includesOptOut: false, identifiesSender: false, solicited: true, relevantToRole: true))
    }

    @Test func nullMeansAbsentForOptionalFields() throws {
        let file = try decoded(ScenarioText.with {
            $0.message = #"{"from": "acme", "channel": "email", "purpose": "marketing", "on_behalf_of": null, "includes_opt_out": null}"#
            $0.policy = "null"
            $0.note = "null"
        }.text)
        #expect(file.scenario.message.onBehalfOf == nil)
        #expect(file.scenario.message.includesOptOut == true)
        #expect(file.scenario.policy == Policy())
        #expect(file.note == nil)
    }

    @Test func contactDefaults() throws {
        let file = try decoded(ScenarioText.with { $0.contact = #"{"id": "c-9"}"# }.text)
        #expect(file.scenario.contact.subscriber == .unknown)
        #expect(file.scenario.contact.jurisdiction == nil)
        #expect(file.scenario.contact.id == "c-9")
    }

    @Test(arguments: SubscriberType.allCases)
    func everySubscriberTypeIsRead(_ subscriber: SubscriberType) throws {
        let file = try decoded(ScenarioText.with {
            $0.contact = #"{"id": "c-1", "subscriber": "\#(subscriber.rawValue)"}"#
        }.text)
        #expect(file.scenario.contact.subscriber == subscriber)
    }

    @Test func jurisdictionWithASubdivision() throws {
        let file = try decoded(ScenarioText.with { $0.contact = #"{"id": "c-1", "jurisdiction": "US-CA"}"# }.text)
        let code = try #require(file.scenario.contact.jurisdiction)
        #expect(code.country == "US")
        #expect(code.subdivision == "CA")
    }

    @Test func policyDefaultsWhenAbsent() throws {
        let policy = try decoded(ScenarioText().text).scenario.policy
        #expect(policy.ukSoftOptInMonths == 24)
        #expect(policy.euSoftOptInMonths == 36)
        #expect(policy.abandonedCheckoutIsNegotiation == nil)
        #expect(policy.maxMarketingPer30Days == nil)
        #expect(policy.ukIndirectConsentMonths == 6)
    }

    @Test func policyValuesAreRead() throws {
        let file = try decoded(ScenarioText.with {
            $0.policy = #"{"uk_soft_opt_in_months": 12, "abandoned_checkout_is_negotiation": false, "eu_soft_opt_in_months": 0, "max_marketing_per_30_days": 4, "uk_indirect_consent_months": 600}"#
        }.text)
        var expected = Policy()
        expected.ukSoftOptInMonths = 12
        expected.abandonedCheckoutIsNegotiation = false
        expected.euSoftOptInMonths = 0
        expected.maxMarketingPer30Days = 4
        expected.ukIndirectConsentMonths = 600
        #expect(file.scenario.policy == expected)
    }

    @Test func optionalTopLevelMembersMayBeAbsent() throws {
        let file = try decoded(ScenarioText.with {
            $0.catalogue = nil
            $0.events = nil
            $0.message = #"{"from": "acme", "channel": "post", "purpose": "marketing"}"#
        }.text)
        #expect(file.scenario.catalogue.products.isEmpty)
        #expect(file.scenario.events.isEmpty)
        #expect(file.expect == nil)
    }

    @Test func expectationAndNote() throws {
        let file = try decoded(ScenarioText.with {
            $0.expect = #"{"allowed": true, "basis": "soft_opt_in"}"#
            $0.note = #""why this case matters""#
        }.text)
        #expect(file.expect == ScenarioFile.Expectation(allowed: true, basis: .softOptIn))
        #expect(file.note == "why this case matters")
        let withoutBasis = try decoded(ScenarioText.with { $0.expect = #"{"allowed": true}"# }.text)
        #expect(withoutBasis.expect == ScenarioFile.Expectation(allowed: true, basis: nil))
    }

    // MARK: Events

    @Test func detailsCollectedDefaults() throws {
        let file = try decoded(ScenarioText.with {
            $0.events = [#"{"type": "details_collected", "at": "2025-11-02T12:00:00Z", "by": "acme", "context": "quote_request", "channels": ["email", "live_call"]}"#]
        }.text)
        #expect(file.scenario.events == [
            Event(at: try time("2025-11-02T12:00:00Z"), .detailsCollected(DetailsCollected(
                by: "acme", from: .recipient, context: .quoteRequest, products: [], channels: [.email, .liveCall],
                refusalOffered: false, refused: false)))
        ])
    }

    @Test func detailsCollectedWithEveryField() throws {
        let file = try decoded(ScenarioText.with {
            $0.events = [#"{"type": "details_collected", "id": "e-1", "at": "2025-11-02T12:00:00Z", "by": "acme", "from": "group_company", "context": "abandoned_checkout", "products": ["bags"], "channels": ["sms"], "refusal_offered": true, "refused": true}"#]
        }.text)
        #expect(file.scenario.events == [
            Event(id: "e-1", at: try time("2025-11-02T12:00:00Z"), .detailsCollected(DetailsCollected(
                by: "acme", from: .groupCompany, context: .abandonedCheckout, products: ["bags"], channels: [.sms],
                refusalOffered: true, refused: true)))
        ])
    }

    @Test func consentGivenWithEveryField() throws {
        let file = try decoded(ScenarioText.with {
            $0.entities = [#"{"id": "acme", "kind": "company"}"#, #"{"id": "lists-ltd", "kind": "company"}"#]
            $0.events = [#"{"type": "consent_given", "at": "2025-06-01T09:30:00Z", "to": ["acme", "lists-ltd"], "channels": ["email", "sms"], "purposes": ["marketing", "campaigning"], "products": ["laptops"], "method": "double_opt_in", "notice_version": "v3", "source": "signup form", "collected_by": "lists-ltd", "expires_at": "2027-06-01T00:00:00Z"}"#]
        }.text)
        #expect(file.scenario.events == [
            Event(at: try time("2025-06-01T09:30:00Z"), .consentGiven(ConsentGiven(
                to: ["acme", "lists-ltd"], channels: [.email, .sms], purposes: [.marketing, .campaigning],
                products: ["laptops"], method: .doubleOptIn, noticeVersion: "v3", source: "signup form",
                collectedBy: "lists-ltd", expiresAt: try time("2027-06-01T00:00:00Z"))))
        ])
    }

    @Test func consentGivenWithoutProductsCoversAll() throws {
        let file = try decoded(ScenarioText.with {
            $0.events = [#"{"type": "consent_given", "at": "2025-06-01T09:30:00Z", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"], "method": "pre_ticked_box"}"#]
        }.text)
        guard case .consentGiven(let consent) = file.scenario.events.first?.kind else {
            Issue.record("not a consent event")
            return
        }
        #expect(consent.products == nil)
        #expect(consent.method == .preTickedBox)
        #expect(consent.expiresAt == nil)
        #expect(consent.collectedBy == nil)
    }

    @Test func optOutDefaultsCoverEverything() throws {
        let file = try decoded(ScenarioText.with {
            $0.events = [#"{"type": "opt_out", "at": "2026-01-10T08:00:00Z"}"#]
        }.text)
        #expect(file.scenario.events == [
            Event(at: try time("2026-01-10T08:00:00Z"), .optOut(OptOut(channels: nil, products: nil, entity: nil, via: .other)))
        ])
    }

    @Test func optOutWithEveryField() throws {
        let file = try decoded(ScenarioText.with {
            $0.events = [#"{"type": "opt_out", "at": "2026-01-10T08:00:00Z", "channels": ["sms"], "products": ["bags"], "entity": "acme", "via": "sms_stop"}"#]
        }.text)
        #expect(file.scenario.events == [
            Event(at: try time("2026-01-10T08:00:00Z"), .optOut(OptOut(channels: [.sms], products: ["bags"], entity: "acme", via: .smsStop)))
        ])
    }

    @Test func registerAndHistoryAndSignalEvents() throws {
        let file = try decoded(ScenarioText.with {
            $0.events = [
                #"{"type": "register_listed", "at": "2025-01-01T00:00:00Z", "register": "tps"}"#,
                #"{"type": "register_removed", "at": "2025-02-01T00:00:00Z", "register": "us_dnc"}"#,
                #"{"type": "marketing_sent", "at": "2025-03-01T00:00:00Z", "by": "acme", "channel": "email", "products": ["bags"]}"#,
                #"{"type": "marketing_sent", "at": "2025-03-02T00:00:00Z", "by": "acme", "channel": "social_dm"}"#,
                #"{"type": "gpc_signal", "at": "2025-04-01T00:00:00Z", "value": true}"#,
            ]
        }.text)
        #expect(file.scenario.events == [
            Event(at: try time("2025-01-01T00:00:00Z"), .registerListed(.tps)),
            Event(at: try time("2025-02-01T00:00:00Z"), .registerRemoved(.usDNC)),
            Event(at: try time("2025-03-01T00:00:00Z"), .marketingSent(MarketingSent(by: "acme", channel: .email, products: ["bags"]))),
            Event(at: try time("2025-03-02T00:00:00Z"), .marketingSent(MarketingSent(by: "acme", channel: .socialDM, products: []))),
            Event(at: try time("2025-04-01T00:00:00Z"), .gpcSignal(true)),
        ])
    }

    @Test func eventsAfterNowAreKeptForTheEngineToIgnore() throws {
        let file = try decoded(ScenarioText.with {
            $0.events = [#"{"type": "opt_out", "at": "2030-01-01T00:00:00Z"}"#]
        }.text)
        #expect(file.scenario.events.count == 1)
    }

    // MARK: Organisation

    @Test func entitiesOfEveryKind() throws {
        let entities = Entity.Kind.allCases.enumerated().map { i, kind in #"{"id": "e\#(i)", "kind": "\#(kind.rawValue)"}"# }
        let file = try decoded(ScenarioText.with {
            $0.entities = entities + [#"{"id": "acme", "kind": "company", "group": "g"}"#]
        }.text)
        #expect(file.scenario.entities.map(\.kind) == Entity.Kind.allCases + [.company])
        #expect(file.scenario.entities.last == Entity(id: "acme", kind: .company, group: "g"))
        #expect(file.scenario.entities.first?.group == nil)
    }

    @Test func similarityIsSymmetricButNotTransitive() throws {
        let file = try decoded(ScenarioText.with {
            $0.catalogue = [#"{"id": "a"}"#, #"{"id": "b", "similar_to": ["a"]}"#, #"{"id": "c", "similar_to": ["b"]}"#]
            $0.events = []
            $0.message = #"{"from": "acme", "channel": "email", "purpose": "marketing", "products": ["c"]}"#
        }.text)
        let catalogue = file.scenario.catalogue
        #expect(catalogue.isSameOrSimilar("a", "b"))
        #expect(catalogue.isSameOrSimilar("b", "a"))
        #expect(catalogue.isSameOrSimilar("c", "b"))
        #expect(!catalogue.isSameOrSimilar("a", "c"))
    }

    // MARK: Time

    @Test func offsetsAndFractionsAreNormalisedToUTC() throws {
        let file = try decoded(ScenarioText.with { $0.now = #""2026-03-01T11:00:00.250+01:00""# }.text)
        #expect(file.scenario.now.rfc3339 == "2026-03-01T10:00:00Z")
        let west = try decoded(ScenarioText.with { $0.now = #""2026-02-28T19:30:00-05:00""# }.text)
        #expect(west.scenario.now.rfc3339 == "2026-03-01T00:30:00Z")
    }

    @Test func aLeapDayInALeapYearIsValid() throws {
        let file = try decoded(ScenarioText.with { $0.now = #""2024-02-29T12:00:00Z""# }.text)
        #expect(file.scenario.now.dayText == "2024-02-29")
    }

    @Test func aByteOrderMarkIsAccepted() throws {
        let file = try ScenarioDecoder.decode([0xEF, 0xBB, 0xBF] + Array(ScenarioText().text.utf8))
        #expect(file.scenario.contact.id == "c-1")
    }
}
