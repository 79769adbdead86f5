import OptGateScenario
import Testing

/// Document-level rules of scenario/v1 (format, jurisdiction codes, the expectation) and how
/// problems are collected and described.
@Suite("ScenarioDecoder: errors")
struct ScenarioDecoderErrorTests {
    // MARK: Format

    @Test func anotherFormatIsRejected() {
        let text = ScenarioText.with { $0.format = #""scenario/v2""# }.text
        expectSingleProblem(
            in: text, path: "format", at: #""scenario/v2""#,
            message: #"unsupported format "scenario/v2" (expected "scenario/v1")"#)
    }

    @Test func theFormatIsCaseSensitive() {
        let text = ScenarioText.with { $0.format = #""Scenario/V1""# }.text
        expectSingleProblem(in: text, path: "format", at: #""Scenario/V1""#, prefix: #"unsupported format "Scenario/V1""#)
    }

    // MARK: Jurisdiction

    @Test func ukIsNotAnISOCode() {
        let text = ScenarioText.with { $0.contact = #"{"id": "c-1", "jurisdiction": "UK"}"# }.text
        expectSingleProblem(
            in: text, path: "contact.jurisdiction", at: #""UK""#,
            message: #""UK" is not an ISO 3166-1 code: the United Kingdom is "GB""#)
    }

    @Test func lowerCaseUKGetsTheSameHint() {
        let text = ScenarioText.with { $0.contact = #"{"id": "c-1", "jurisdiction": "uk"}"# }.text
        expectSingleProblem(
            in: text, path: "contact.jurisdiction", at: #""uk""#,
            message: #""uk" is not an ISO 3166-1 code: the United Kingdom is "GB""#)
    }

    @Test(arguments: ["gb", "GBR", "G", "G1", "GB-", "US-CALIF", "US_CA", "United Kingdom"])
    func malformedJurisdiction(_ code: String) {
        let text = ScenarioText.with { $0.contact = #"{"id": "c-1", "jurisdiction": "\#(code)"}"# }.text
        expectSingleProblem(
            in: text, path: "contact.jurisdiction", at: "\"\(code)\"",
            message: #""\#(code)" is not an ISO 3166-1 alpha-2 code with an optional subdivision (e.g. "GB", "US-CA")"#)
    }

    @Test func anEmptyJurisdictionIsRejected() {
        let text = ScenarioText.with { $0.contact = #"{"id": "c-1", "jurisdiction": ""}"# }.text
        expectSingleProblem(in: text, path: "contact.jurisdiction", at: #""""#, message: "must not be empty")
    }

    @Test func aNullJurisdictionIsUnknown() throws {
        let file = try decoded(ScenarioText.with { $0.contact = #"{"id": "c-1", "jurisdiction": null}"# }.text)
        #expect(file.scenario.contact.jurisdiction == nil)
    }

    // MARK: Expectation

    @Test func aDenialCannotExpectABasis() {
        let text = ScenarioText.with { $0.expect = #"{"allowed": false, "basis": "consent"}"# }.text
        expectSingleProblem(
            in: text, path: "expect.basis", at: #""consent""#,
            message: #"a denied send has no basis (found "consent")"#)
    }

    @Test func aDenialWithANullBasisIsFine() throws {
        let file = try decoded(ScenarioText.with { $0.expect = #"{"allowed": false, "basis": null}"# }.text)
        #expect(file.expect == ScenarioFile.Expectation(allowed: false, basis: nil))
    }

    // MARK: Invalid JSON

    @Test func invalidJSONIsOneProblemAtTheSyntaxError() {
        let text = "{\n  \"format\": \"scenario/v1\",\n}\n"
        let found = problems(in: text)
        #expect(found.count == 1)
        #expect(found.first?.path == "")
        #expect(found.first?.position == SourcePosition(line: 3, column: 1))
        #expect(found.first?.message == "invalid JSON: expected a quoted member name")
    }

    @Test func aDuplicateMemberIsInvalidJSON() {
        let text = ScenarioText.with { $0.extra = [#""now": "2027-01-01T00:00:00Z""#] }.text
        let found = problems(in: text)
        #expect(found.count == 1)
        #expect(found.first?.path == "")
        #expect(found.first?.message == #"invalid JSON: duplicate member "now""#)
        #expect(found.first?.position == position(of: #""now""#, in: text, occurrence: 2))
    }

    // MARK: Every problem

    @Test func everyProblemInADocumentIsReported() {
        let text = ScenarioText.with {
            $0.now = #""2026-02-30T10:00:00Z""#
            $0.contact = #"{"id": "c-1", "jurisdiction": "gb", "subscriber": "person"}"#
            $0.events = [
                #"{"type": "details_collected", "at": "2025-11-02T12:00:00Z", "by": "acme", "context": "purchase", "channels": ["email"]}"#,
                #"{"type": "opt_out", "at": "2025-12-01", "via": "link"}"#,
            ]
            $0.message = #"{"from": "acme-retial", "channel": "e-mail", "purpose": "marketing", "products": ["tablets"]}"#
            $0.expect = #"{"allowed": false, "basis": "consent"}"#
            $0.extra = [#""colour": "red""#]
        }.text
        let found = problems(in: text)
        let expected: [(String, String)] = [
            ("now", #""2026-02-30T10:00:00Z""#),
            ("contact.jurisdiction", #""gb""#),
            ("contact.subscriber", #""person""#),
            ("events[0].context", #""purchase""#),
            ("events[1].at", #""2025-12-01""#),
            ("message.from", #""acme-retial""#),
            ("message.channel", #""e-mail""#),
            ("message.products[0]", #""tablets""#),
            ("expect.basis", #""consent""#),
            ("colour", #""red""#),
        ]
        #expect(found.count == expected.count, "\(found.map(\.description))")
        for (path, needle) in expected {
            let problem = found.first { $0.path == path }
            #expect(problem != nil, "no problem reported at \(path)")
            #expect(problem?.position == position(of: needle, in: text), "position of \(path)")
        }
    }

    @Test func problemsInSeveralEventsAreAllReported() {
        let text = ScenarioText.with {
            $0.events = (0..<5).map { i in #"{"type": "register_listed", "at": "2025-01-0\#(i + 1)T00:00:00Z", "register": "xps\#(i)"}"# }
        }.text
        let found = problems(in: text)
        #expect(found.map(\.path) == (0..<5).map { "events[\($0)].register" })
        #expect(found.map { $0.position?.line } == (0..<5).map { position(of: "\"xps\($0)\"", in: text)?.line })
    }

    // MARK: Description

    @Test func problemDescriptionNamesLineColumnPathAndMessage() throws {
        let text = ScenarioText.with {
            $0.message = #"{"from": "acme", "channel": "e-mail", "purpose": "marketing"}"#
            $0.extra = [#""colour": "red""#]
        }.text
        do {
            _ = try ScenarioDecoder.decode(text)
            Issue.record("decoded")
        } catch {
            let channel = try #require(position(of: #""e-mail""#, in: text))
            let colour = try #require(position(of: #""red""#, in: text))
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines.count == 2)
            #expect(lines.first == "line \(channel.line), column \(channel.column): message.channel: " + error.problems[0].message)
            #expect(lines.last == "line \(colour.line), column \(colour.column): colour: " + error.problems[1].message)
            #expect(error.problems.map(\.description) == lines)
        }
    }

    @Test func aProblemOfTheWholeDocumentHasNoPath() {
        let found = problems(in: "[]")
        #expect(found.count == 1)
        #expect(found.first?.description == "line 1, column 1: expected an object, found an array")
    }
}
