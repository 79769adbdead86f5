import OptGateScenario
import Testing

/// A missing required field is reported at the object that lacks it, by the field's path. A null
/// value counts as missing.
@Suite("ScenarioDecoder: missing required fields")
struct ScenarioDecoderRequiredFieldTests {
    // MARK: Top level (located at the document's opening brace, 1:1)

    @Test func missingNow() {
        expectSingleProblem(
            in: ScenarioText.with { $0.now = nil }.text, path: "now", at: "{",
            message: "missing required field (the decision time, RFC 3339)")
    }

    @Test func nullNowIsMissing() {
        expectSingleProblem(
            in: ScenarioText.with { $0.now = "null" }.text, path: "now", at: "{",
            message: "missing required field (the decision time, RFC 3339)")
    }

    @Test func missingContact() {
        expectSingleProblem(
            in: ScenarioText.with { $0.contact = nil }.text, path: "contact", at: "{",
            message: "missing required field (the recipient)")
    }

    @Test func missingMessage() {
        expectSingleProblem(
            in: ScenarioText.with { $0.message = nil }.text, path: "message", at: "{",
            message: "missing required field (the proposed message)")
    }

    @Test func missingFormat() {
        expectSingleProblem(
            in: ScenarioText.with { $0.format = nil }.text, path: "format", at: "{",
            message: #"missing required field ("scenario/v1")"#)
    }

    @Test func missingEntities() {
        let text = ScenarioText.with {
            $0.entities = nil
            $0.events = []
            $0.message = nil
        }.text
        let found = problems(in: text)
        #expect(found.map(\.path).sorted() == ["entities", "message"])
        #expect(found.first { $0.path == "entities" }?.message == "missing required field (the legal persons involved)")
        #expect(found.first { $0.path == "entities" }?.position == SourcePosition(line: 1, column: 1))
    }

    // MARK: Message (located at the message object)

    @Test(arguments: [
        ("from", #"{"channel": "email", "purpose": "marketing"}"#, "missing required field (the sending entity)"),
        ("channel", #"{"from": "acme", "purpose": "marketing"}"#, "missing required field (email, sms, ...)"),
        ("purpose", #"{"from": "acme", "channel": "email"}"#, "missing required field (marketing, fundraising, campaigning, service)"),
    ])
    func missingMessageField(_ field: String, _ message: String, _ expected: String) {
        let text = ScenarioText.with { $0.message = message }.text
        expectSingleProblem(in: text, path: "message.\(field)", at: message, message: expected)
    }

    @Test func missingContactID() {
        let contact = #"{"jurisdiction": "GB"}"#
        expectSingleProblem(
            in: ScenarioText.with { $0.contact = contact }.text, path: "contact.id", at: contact,
            message: "missing required field (contact id)")
    }

    @Test func missingEntityIDAndKind() {
        let text = ScenarioText.with {
            $0.entities = [#"{"id": "acme", "kind": "company"}"#, #"{"group": "g"}"#]
        }.text
        let found = problems(in: text)
        let at = position(of: #"{"group": "g"}"#, in: text)
        #expect(found.map(\.path) == ["entities[1].id", "entities[1].kind"])
        #expect(found.allSatisfy { $0.position == at })
        #expect(found.map(\.message) == ["missing required field (entity id)", "missing required field (company, charity, ...)"])
    }

    @Test func missingProductID() {
        let item = #"{"reasoning": "no id"}"#
        expectSingleProblem(
            in: ScenarioText.with { $0.catalogue = [#"{"id": "laptops"}"#, #"{"id": "bags"}"#, item] }.text,
            path: "catalogue[2].id", at: item, message: "missing required field (product id)")
    }

    @Test func missingExpectAllowed() {
        let expect = #"{"basis": "consent"}"#
        expectSingleProblem(
            in: ScenarioText.with { $0.expect = expect }.text, path: "expect.allowed", at: expect,
            message: "missing required field (true or false)")
    }

    // MARK: Events (located at the event object)

    @Test func missingEventTime() {
        let event = #"{"type": "opt_out"}"#
        expectSingleProblem(
            in: ScenarioText.with { $0.events = [event] }.text, path: "events[0].at", at: event,
            message: "missing required field (when it happened, RFC 3339)")
    }

    @Test func missingEventType() {
        let event = #"{"at": "2025-01-01T00:00:00Z"}"#
        expectSingleProblem(
            in: ScenarioText.with { $0.events = [event] }.text, path: "events[0].type", at: event,
            message: "missing required field (details_collected, consent_given, opt_out, register_listed, register_removed, marketing_sent, gpc_signal, frequency_set)")
    }

    @Test func missingEventTypeAndTimeAreBothReported() {
        let event = #"{"by": "acme"}"#
        let found = problems(in: ScenarioText.with { $0.events = [event] }.text)
        #expect(found.map(\.path) == ["events[0].at", "events[0].type"])
    }

    @Test(arguments: [
        ("to", #""channels": ["email"], "purposes": ["marketing"], "method": "signed_form""#, "missing required field (the entities named in the request)"),
        ("channels", #""to": ["acme"], "purposes": ["marketing"], "method": "signed_form""#, "missing required field (the channels consented to)"),
        ("purposes", #""to": ["acme"], "channels": ["email"], "method": "signed_form""#, "missing required field (marketing, fundraising, campaigning)"),
        ("method", #""to": ["acme"], "channels": ["email"], "purposes": ["marketing"]"#, "missing required field (how consent was obtained)"),
    ])
    func missingConsentField(_ field: String, _ members: String, _ expected: String) {
        let event = #"{"type": "consent_given", "at": "2025-06-01T00:00:00Z", "# + members + "}"
        expectSingleProblem(
            in: ScenarioText.with { $0.events = [event] }.text, path: "events[0].\(field)", at: event, message: expected)
    }

    @Test(arguments: [
        ("by", #""context": "sale", "channels": ["email"]"#, "missing required field (the entity that obtained the details)"),
        ("context", #""by": "acme", "channels": ["email"]"#, "missing required field (sale, quote_request, ...)"),
        ("channels", #""by": "acme", "context": "sale""#, "missing required field (the channels the details reach)"),
    ])
    func missingDetailsField(_ field: String, _ members: String, _ expected: String) {
        let event = #"{"type": "details_collected", "at": "2025-11-02T12:00:00Z", "# + members + "}"
        expectSingleProblem(
            in: ScenarioText.with { $0.events = [event] }.text, path: "events[0].\(field)", at: event, message: expected)
    }

    @Test func missingMarketingSentFields() {
        let event = #"{"type": "marketing_sent", "at": "2025-11-02T12:00:00Z"}"#
        let found = problems(in: ScenarioText.with { $0.events = [event] }.text)
        #expect(found.map(\.path) == ["events[0].by", "events[0].channel"])
    }

    @Test func missingRegisterAndSignalValue() {
        let text = ScenarioText.with {
            $0.events = [
                #"{"type": "register_listed", "at": "2025-01-01T00:00:00Z"}"#,
                #"{"type": "gpc_signal", "at": "2025-01-01T00:00:00Z"}"#,
            ]
        }.text
        let found = problems(in: text)
        #expect(found.map(\.path) == ["events[0].register", "events[1].value"])
    }

    @Test func consentMustNameAtLeastOneEntity() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "consent_given", "at": "2025-06-01T00:00:00Z", "to": [], "channels": ["email"], "purposes": ["marketing"], "method": "signed_form"}"#]
        }.text
        expectSingleProblem(
            in: text, path: "events[0].to", at: #"[], "channels""#,
            message: "must name at least one entity: consent must name the organisation relying on it")
    }
}
