import OptGateScenario
import Testing

/// Dates are full RFC 3339 instants on the real calendar; anything else is rejected where it stands.
@Suite("ScenarioDecoder: dates and times")
struct ScenarioDecoderDateTests {
    private func expectBadNow(_ value: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = ScenarioText.with { $0.now = "\"\(value)\"" }.text
        expectSingleProblem(
            in: text, path: "now", at: "\"\(value)\"", message: "\"\(value)\": \(message)", sourceLocation: sourceLocation)
    }

    private let malformed = "not an RFC 3339 date-time (expected e.g. 2026-03-01T10:00:00Z)"

    @Test func thirtiethOfFebruary() {
        expectBadNow("2026-02-30T00:00:00Z", "impossible date or time: 2026-02-30")
    }

    @Test func twentyNinthOfFebruaryOutsideALeapYear() {
        expectBadNow("2026-02-29T00:00:00Z", "impossible date or time: 2026-02-29")
        expectBadNow("2100-02-29T00:00:00Z", "impossible date or time: 2100-02-29")
    }

    @Test func thirteenthMonth() {
        expectBadNow("2026-13-01T00:00:00Z", "impossible date or time: 2026-13-01")
        expectBadNow("2026-00-10T00:00:00Z", "impossible date or time: 2026-00-10")
    }

    @Test func dayZeroAndDay32() {
        expectBadNow("2026-01-00T00:00:00Z", "impossible date or time: 2026-01-00")
        expectBadNow("2026-01-32T00:00:00Z", "impossible date or time: 2026-01-32")
        expectBadNow("2026-04-31T00:00:00Z", "impossible date or time: 2026-04-31")
    }

    @Test func hour25() {
        expectBadNow("2026-03-01T25:00:00Z", "impossible date or time: 25:00:00")
        expectBadNow("2026-03-01T24:00:00Z", "impossible date or time: 24:00:00")
    }

    @Test func minute60() {
        expectBadNow("2026-03-01T10:60:00Z", "impossible date or time: 10:60:00")
    }

    @Test func offsetOf24Hours() {
        let text = ScenarioText.with { $0.now = #""2026-03-01T10:00:00+24:00""# }.text
        expectSingleProblem(in: text, path: "now", at: #""2026-03-01T10:00:00+24:00""#, prefix: #""2026-03-01T10:00:00+24:00": impossible date or time: offset +24:00"#)
    }

    @Test func offsetMinutesOutOfRange() {
        let text = ScenarioText.with { $0.now = #""2026-03-01T10:00:00+01:60""# }.text
        expectSingleProblem(in: text, path: "now", at: #""2026-03-01T10:00:00+01:60""#, prefix: #""2026-03-01T10:00:00+01:60": impossible date or time: offset"#)
    }

    @Test func aDateWithoutATime() {
        expectBadNow("2026-03-01", malformed)
    }

    @Test func aTimeWithoutAnOffset() {
        expectBadNow("2026-03-01T10:00:00", malformed)
    }

    @Test func otherMalformedDates() {
        expectBadNow("01/03/2026 10:00:00Z", malformed)
        expectBadNow("2026-3-1T10:00:00Z", malformed)
        expectBadNow("2026-03-01T10:00Z", malformed)
        expectBadNow("2026-03-01T10:00:00.Z", malformed)
        expectBadNow("2026-03-01T10:00:00Z ", malformed)
        expectBadNow("2026-03-01T10:00:00+0100", malformed)
    }

    @Test func anImpossibleEventTime() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "opt_out", "at": "2025-02-30T12:00:00Z"}"#]
        }.text
        expectSingleProblem(
            in: text, path: "events[0].at", at: #""2025-02-30T12:00:00Z""#,
            message: #""2025-02-30T12:00:00Z": impossible date or time: 2025-02-30"#)
    }

    @Test func anImpossibleConsentExpiry() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "consent_given", "at": "2025-06-01T00:00:00Z", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"], "method": "signed_form", "expires_at": "2027-06-31T00:00:00Z"}"#]
        }.text
        expectSingleProblem(in: text, path: "events[0].expires_at", at: #""2027-06-31T00:00:00Z""#, prefix: #""2027-06-31T00:00:00Z": impossible date or time"#)
    }

    @Test func aDateThatIsNotAString() {
        let text = ScenarioText.with { $0.now = "1772359200" }.text
        expectSingleProblem(in: text, path: "now", at: "1772359200", message: "expected a string, found a number")
    }

    @Test func lowerCaseSeparatorsAndLeapSecondsAreRFC3339() throws {
        let file = try decoded(ScenarioText.with { $0.now = #""2026-03-01t10:00:00z""# }.text)
        #expect(file.scenario.now.rfc3339 == "2026-03-01T10:00:00Z")
        let leap = try decoded(ScenarioText.with { $0.now = #""2016-12-31T23:59:60Z""# }.text)
        #expect(leap.scenario.now.rfc3339 == "2016-12-31T23:59:59Z")
    }
}
