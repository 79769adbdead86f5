import OptGateScenario
import Testing

/// A typo must never silently change a decision: every member the contract does not define is
/// rejected, named by its path and located at its value.
@Suite("ScenarioDecoder: unknown fields")
struct ScenarioDecoderUnknownFieldTests {
    @Test func unknownTopLevelField() {
        let text = ScenarioText.with { $0.extra = [#""colour": "red""#] }.text
        expectSingleProblem(
            in: text, path: "colour", at: #""red""#,
            message: #"unknown field "colour" (expected one of: format, now, entities, catalogue, policy, contact, events, message, expect, note)"#)
    }

    @Test func misspeltTopLevelFieldIsNotSilentlyIgnored() {
        // "event" for "events": the consent history would vanish without an error.
        let text = ScenarioText.with {
            $0.extra = [#""event": [{"type": "opt_out", "at": "2026-01-01T00:00:00Z"}]"#]
        }.text
        expectSingleProblem(in: text, path: "event", at: #"[{"type": "opt_out""#, prefix: #"unknown field "event""#)
    }

    @Test func unknownFieldInAnEvent() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "details_collected", "at": "2025-11-02T12:00:00Z", "by": "acme", "context": "sale", "channels": ["email"], "channel": "sms"}"#]
        }.text
        expectSingleProblem(
            in: text, path: "events[0].channel", at: #""sms""#,
            message: #"unknown field "channel" (expected one of: type, at, id, by, from, context, products, channels, refusal_offered, refused)"#)
    }

    @Test func aFieldOfAnotherEventTypeIsUnknown() {
        // "via" belongs to opt_out, not to consent_given.
        let text = ScenarioText.with {
            $0.events = [
                #"{"type": "opt_out", "at": "2025-01-01T00:00:00Z", "via": "link"}"#,
                #"{"type": "consent_given", "at": "2025-06-01T00:00:00Z", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"], "method": "signed_form", "via": "reply"}"#,
            ]
        }.text
        expectSingleProblem(in: text, path: "events[1].via", at: #""reply""#, prefix: #"unknown field "via" (expected one of: type, at, id, to, channels"#)
    }

    @Test func unknownFieldInTheMessage() {
        let text = ScenarioText.with {
            $0.message = #"{"from": "acme", "channel": "email", "purpose": "marketing", "subject": "Spring sale"}"#
        }.text
        expectSingleProblem(
            in: text, path: "message.subject", at: #""Spring sale""#,
            message: #"unknown field "subject" (expected one of: from, channel, purpose, products, on_behalf_of, includes_opt_out, identifies_sender, solicited, relevant_to_role)"#)
    }

    @Test func misspeltMessageFlag() {
        // "include_opt_out" for "includes_opt_out": the default (true) must not silently apply.
        let text = ScenarioText.with {
            $0.message = #"{"from": "acme", "channel": "email", "purpose": "marketing", "include_opt_out": false}"#
        }.text
        expectSingleProblem(in: text, path: "message.include_opt_out", at: "false", prefix: #"unknown field "include_opt_out""#)
    }

    @Test func unknownFieldInTheContact() {
        let text = ScenarioText.with { $0.contact = #"{"id": "c-1", "country": "GB"}"# }.text
        expectSingleProblem(
            in: text, path: "contact.country", at: #""GB""#,
            message: #"unknown field "country" (expected one of: id, jurisdiction, subscriber)"#)
    }

    @Test func unknownFieldInThePolicy() {
        let text = ScenarioText.with { $0.policy = #"{"uk_soft_opt_in_month": 12}"# }.text
        expectSingleProblem(
            in: text, path: "policy.uk_soft_opt_in_month", at: "12",
            message: #"unknown field "uk_soft_opt_in_month" (expected one of: uk_soft_opt_in_months, abandoned_checkout_is_negotiation, eu_soft_opt_in_months, max_marketing_per_30_days, uk_indirect_consent_months)"#)
    }

    @Test func unknownFieldInAnEntity() {
        let text = ScenarioText.with {
            $0.entities = [#"{"id": "acme", "kind": "company"}"#, #"{"id": "other", "kind": "charity", "name": "Other Trust"}"#]
        }.text
        expectSingleProblem(
            in: text, path: "entities[1].name", at: #""Other Trust""#,
            message: #"unknown field "name" (expected one of: id, kind, group)"#)
    }

    @Test func unknownFieldInACatalogueItem() {
        let text = ScenarioText.with {
            $0.catalogue = [#"{"id": "laptops"}"#, #"{"id": "bags", "similar": ["laptops"]}"#]
        }.text
        expectSingleProblem(
            in: text, path: "catalogue[1].similar", at: #"["laptops"]}"#,
            message: #"unknown field "similar" (expected one of: id, similar_to, reasoning)"#)
    }

    @Test func unknownFieldInTheExpectation() {
        let text = ScenarioText.with { $0.expect = #"{"allowed": true, "reason": "soft_opt_in"}"# }.text
        expectSingleProblem(
            in: text, path: "expect.reason", at: #""soft_opt_in""#,
            message: #"unknown field "reason" (expected one of: allowed, basis)"#)
    }

    @Test func unknownFieldsAreReportedInDocumentOrder() {
        let text = ScenarioText.with {
            $0.contact = #"{"zeta": 1, "id": "c-1", "alpha": 2}"#
        }.text
        let found = problems(in: text)
        #expect(found.map(\.path) == ["contact.zeta", "contact.alpha"])
    }

    @Test func anUnknownFieldWithANullValueIsStillUnknown() {
        let text = ScenarioText.with { $0.extra = [#""colour": null"#] }.text
        expectSingleProblem(in: text, path: "colour", at: "null", prefix: #"unknown field "colour""#)
    }
}
