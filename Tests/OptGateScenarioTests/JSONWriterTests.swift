import OptGateScenario
import Testing

/// JSON string literals as the writer gives them: plain text copied whole, everything JSON must
/// escape escaped, and every result read back by the parser as the original string.
@Suite("JSONWriter: string literals")
struct JSONWriterTests {
    @Test func plainTextIsCopiedWholeAndSpecialCharactersAreEscaped() {
        #expect(JSONWriter.quoted("soft_opt_in") == #""soft_opt_in""#)
        #expect(JSONWriter.quoted("") == #""""#)
        #expect(JSONWriter.quoted("UWG §7(3) – naïve ✓") == "\"UWG §7(3) – naïve ✓\"")
        #expect(JSONWriter.quoted(#"say "no""#) == #""say \"no\"""#)
        #expect(JSONWriter.quoted(#"a\b"#) == #""a\\b""#)
        #expect(JSONWriter.quoted("line\nnext\ttab\r") == #""line\nnext\ttab\r""#)
        #expect(JSONWriter.quoted("bell\u{07}") == #""bell\u0007""#)
    }

    @Test func appendingKeepsWhatWasThere() {
        var out = "{\"a\":"
        JSONWriter.appendQuoted("x\"y", to: &out)
        out += ",\"b\":"
        JSONWriter.appendQuoted("z", to: &out)
        out += "}"
        #expect(out == #"{"a":"x\"y","b":"z"}"#)
    }

    @Test func everyLiteralReadsBackAsItsString() throws {
        let samples = ["", "plain", "quote \" here", "back\\slash", "\u{01}\u{1F}", "é ü 🙂", "mixed \"\\\n\u{7F}"]
        for text in samples {
            let parsed = try JSONParser.parse(JSONWriter.quoted(text))
            guard case .string(let back) = parsed.kind else { Issue.record("not a string: \(text)"); continue }
            #expect(back == text)
        }
    }
}
