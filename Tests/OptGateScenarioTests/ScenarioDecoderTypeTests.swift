import OptGateScenario
import Testing

/// A value of the wrong JSON type is rejected where it stands, naming what was expected and found.
@Suite("ScenarioDecoder: wrong types")
struct ScenarioDecoderTypeTests {
    @Test func theDocumentMustBeAnObject() {
        let found = problems(in: "[1, 2]")
        #expect(found.count == 1)
        #expect(found.first?.path == "")
        #expect(found.first?.position == SourcePosition(line: 1, column: 1))
        #expect(found.first?.message == "expected an object, found an array")
    }

    @Test func entitiesMustBeAnArray() {
        let text = ScenarioText.with { $0.entities = nil; $0.extra = [#""entities": {"id": "acme"}"#] }.text
        let found = problems(in: text)
        let problem = found.first { $0.path == "entities" }
        #expect(problem?.message == "expected an array, found an object")
        #expect(problem?.position == position(of: #"{"id": "acme"}"#, in: text))
    }

    @Test func contactMustBeAnObject() {
        let text = ScenarioText.with { $0.contact = #""c-1""# }.text
        expectSingleProblem(in: text, path: "contact", at: #""c-1""#, message: "expected an object, found a string")
    }

    @Test func messageMustBeAnObject() {
        let text = ScenarioText.with { $0.message = #"["acme", "email"]"# }.text
        expectSingleProblem(in: text, path: "message", at: #"["acme", "email"]"#, message: "expected an object, found an array")
    }

    @Test func eventsMustBeObjects() {
        let text = ScenarioText.with { $0.events = ["\"opt_out\""] }.text
        expectSingleProblem(in: text, path: "events[0]", at: "\"opt_out\"", message: "expected an object, found a string")
    }

    @Test func aFlagMustBeABoolean() {
        let text = ScenarioText.with {
            $0.message = #"{"from": "acme", "channel": "email", "purpose": "marketing", "includes_opt_out": "yes"}"#
        }.text
        expectSingleProblem(in: text, path: "message.includes_opt_out", at: #""yes""#, message: "expected true or false, found a string")
    }

    @Test func anEventFlagMustBeABoolean() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "details_collected", "at": "2025-11-02T12:00:00Z", "by": "acme", "context": "sale", "channels": ["email"], "refusal_offered": 1}"#]
        }.text
        expectSingleProblem(in: text, path: "events[0].refusal_offered", at: "1}", message: "expected true or false, found a number")
    }

    @Test func channelsMustBeAnArray() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "details_collected", "at": "2025-11-02T12:00:00Z", "by": "acme", "context": "sale", "channels": "email"}"#]
        }.text
        expectSingleProblem(in: text, path: "events[0].channels", at: #""email"}"#, message: "expected an array, found a string")
    }

    @Test func aListElementMustBeAString() {
        let text = ScenarioText.with {
            $0.message = #"{"from": "acme", "channel": "email", "purpose": "marketing", "products": ["bags", 7]}"#
        }.text
        expectSingleProblem(in: text, path: "message.products[1]", at: "7]", message: "expected a string, found a number")
    }

    @Test func anIDMustNotBeEmpty() {
        let text = ScenarioText.with { $0.contact = #"{"id": ""}"# }.text
        expectSingleProblem(in: text, path: "contact.id", at: #""""#, message: "must not be empty")
    }

    @Test func policyMonthsMustBeAWholeNumber() {
        expectSingleProblem(
            in: ScenarioText.with { $0.policy = #"{"uk_soft_opt_in_months": "24"}"# }.text,
            path: "policy.uk_soft_opt_in_months", at: #""24""#, message: "expected a whole number, found a string")
        expectSingleProblem(
            in: ScenarioText.with { $0.policy = #"{"uk_soft_opt_in_months": 24.5}"# }.text,
            path: "policy.uk_soft_opt_in_months", at: "24.5", message: "expected a whole number, found 24.5")
        expectSingleProblem(
            in: ScenarioText.with { $0.policy = #"{"eu_soft_opt_in_months": 3e1}"# }.text,
            path: "policy.eu_soft_opt_in_months", at: "3e1", message: "expected a whole number, found 3e1")
    }

    @Test func policyNumbersMustBeInRange() {
        expectSingleProblem(
            in: ScenarioText.with { $0.policy = #"{"uk_soft_opt_in_months": 601}"# }.text,
            path: "policy.uk_soft_opt_in_months", at: "601", message: "601 is out of range (0 to 600)")
        expectSingleProblem(
            in: ScenarioText.with { $0.policy = #"{"max_marketing_per_30_days": -1}"# }.text,
            path: "policy.max_marketing_per_30_days", at: "-1", message: "-1 is out of range (0 to 100000)")
        expectSingleProblem(
            in: ScenarioText.with { $0.policy = #"{"uk_indirect_consent_months": 99999999999999999999}"# }.text,
            path: "policy.uk_indirect_consent_months", at: "99999999999999999999",
            message: "expected a whole number, found 99999999999999999999")
    }

    @Test func aPolicyFlagMustBeABoolean() {
        expectSingleProblem(
            in: ScenarioText.with { $0.policy = #"{"abandoned_checkout_is_negotiation": "true"}"# }.text,
            path: "policy.abandoned_checkout_is_negotiation", at: #""true""#, message: "expected true or false, found a string")
    }

    @Test func theNoteMustBeAString() {
        let text = ScenarioText.with { $0.note = #"{"text": "hi"}"# }.text
        expectSingleProblem(in: text, path: "note", at: #"{"text""#, message: "expected a string, found an object")
    }

    @Test func expectAllowedMustBeABoolean() {
        let text = ScenarioText.with { $0.expect = #"{"allowed": "yes"}"# }.text
        expectSingleProblem(in: text, path: "expect.allowed", at: #""yes""#, message: "expected true or false, found a string")
    }

    @Test func theFormatMustBeAString() {
        let text = ScenarioText.with { $0.format = "1" }.text
        expectSingleProblem(in: text, path: "format", at: "1,", message: "expected a string, found a number")
    }
}
