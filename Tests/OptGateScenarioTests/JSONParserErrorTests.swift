import OptGateScenario
import Testing

/// Every syntax error names the line and column (in characters) where the parser stopped.
@Suite("JSONParser: syntax errors")
struct JSONParserErrorTests {
    private func expectError(
        _ text: String, _ line: Int, _ column: Int, _ message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error = syntaxError(text, sourceLocation: sourceLocation) else { return }
        #expect(error.position == SourcePosition(line: line, column: column), sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
    }

    // MARK: Trailing commas

    @Test func trailingCommaInAnObject() {
        expectError(#"{"a": 1,}"#, 1, 9, "expected a quoted member name")
    }

    @Test func trailingCommaInAnObjectOnItsOwnLine() {
        expectError("{\n  \"a\": 1,\n}", 3, 1, "expected a quoted member name")
        expectError("{\r\n  \"a\": 1,\r\n}", 3, 1, "expected a quoted member name")
    }

    @Test func trailingCommaInAnArray() {
        expectError("[1, 2,]", 1, 7, "unexpected character ']': a value was expected")
    }

    // MARK: Strings

    @Test func unterminatedString() {
        expectError(#"{"a": "abc"#, 1, 11, "unterminated string")
        expectError("{\n  \"a\": \"abc", 2, 12, "unterminated string")
        expectError(#"["abc\"#, 1, 7, "unterminated string")
    }

    @Test func unterminatedMemberName() {
        expectError(#"{"abc"#, 1, 6, "unterminated string")
    }

    @Test func controlCharacterInString() {
        let message = "control character in string (use \\n, \\t or \\u escapes)"
        expectError("{\"a\": \"x\ty\"}", 1, 9, message)
        // A raw line break inside a string is a control character, not a new line.
        expectError("[\"ab\ncd\"]", 1, 5, message)
        expectError("[\"\u{1F}\"]", 1, 3, message)
    }

    @Test func invalidEscape() {
        guard let error = syntaxError(#"["\x"]"#) else { return }
        #expect(error.message == "invalid escape '\\x' in string")
        #expect(error.position.line == 1)
    }

    @Test func invalidUnicodeEscape() {
        expectError(#"["\u12G4"]"#, 1, 7, "invalid \\u escape")
        expectError(#"["\u12"]"#, 1, 7, "invalid \\u escape")
    }

    @Test func unpairedSurrogates() {
        let message = "unpaired surrogate in \\u escape"
        expectError(#"["\uD800"]"#, 1, 9, message)
        expectError(#"["\uDC00"]"#, 1, 9, message)
        expectError(#"["\uD800\u0041"]"#, 1, 15, message)
    }

    @Test func invalidUTF8InString() {
        guard let error = syntaxError([0x5B, 0x22, 0xFF, 0x22, 0x5D]) else { return }
        #expect(error.message == "string is not valid UTF-8")
        #expect(error.position.line == 1)
    }

    // MARK: Objects

    @Test func duplicateKeyIsReportedAtTheSecondOccurrence() {
        expectError("{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": 3\n}", 4, 3, "duplicate member \"a\"")
    }

    @Test func duplicateKeyIsComparedAfterUnescaping() {
        expectError(#"{"a": 1, "\u0061": 2}"#, 1, 10, "duplicate member \"a\"")
    }

    @Test func duplicateKeyInANestedObject() {
        expectError(#"{"x": {"k": 1, "k": 1}}"#, 1, 16, "duplicate member \"k\"")
    }

    @Test func malformedObjects() {
        expectError(#"{a: 1}"#, 1, 2, "expected a quoted member name")
        expectError(#"{'a': 1}"#, 1, 2, "expected a quoted member name")
        expectError(#"{"a" 1}"#, 1, 6, "expected ':' after member name")
        expectError(#"{"a": 1 "b": 2}"#, 1, 9, "expected ',' or '}' in an object")
        expectError(#"{"a": 1"#, 1, 8, "unexpected end of document inside an object")
        expectError("{", 1, 2, "unexpected end of document inside an object")
    }

    @Test func malformedArrays() {
        expectError("[1 2]", 1, 4, "expected ',' or ']' in an array")
        expectError("[1, 2", 1, 6, "unexpected end of document inside an array")
        expectError("[,1]", 1, 2, "unexpected character ',': a value was expected")
    }

    // MARK: After the document

    @Test func trailingGarbage() {
        let message = "unexpected text after the end of the document"
        expectError("{} x", 1, 4, message)
        expectError("[1] [2]", 1, 5, message)
        expectError("{}\n}", 2, 1, message)
        expectError("true false", 1, 6, message)
    }

    @Test func emptyDocument() {
        expectError("", 1, 1, "unexpected end of document: a value was expected")
        expectError("  \n  ", 2, 3, "unexpected end of document: a value was expected")
    }

    // MARK: Literals

    @Test func badLiterals() {
        expectError("[tru]", 1, 5, "invalid literal: expected 'true'")
        expectError(#"{"a": nul}"#, 1, 10, "invalid literal: expected 'null'")
        expectError("[falsy]", 1, 6, "invalid literal: expected 'false'")
        expectError("nul", 1, 4, "invalid literal: expected 'null'")
    }

    @Test func wordsThatAreNotLiterals() {
        expectError("[True]", 1, 2, "unexpected character 'T': a value was expected")
        expectError("[undefined]", 1, 2, "unexpected character 'u': a value was expected")
        expectError("[NaN]", 1, 2, "unexpected character 'N': a value was expected")
        expectError("\u{0C}{}", 1, 1, "unexpected character '\\u{c}': a value was expected")
    }

    // MARK: Numbers

    @Test func invalidNumbers() {
        expectError("[-]", 1, 3, "invalid number")
        expectError("-", 1, 2, "invalid number")
        expectError("[-a]", 1, 3, "invalid number")
        expectError("[1.]", 1, 4, "invalid number: digits expected after '.'")
        expectError("[1.e5]", 1, 4, "invalid number: digits expected after '.'")
        expectError("[1e]", 1, 4, "invalid number: digits expected in the exponent")
        expectError("[1e+]", 1, 5, "invalid number: digits expected in the exponent")
    }

    @Test func numbersJSONDoesNotAllow() {
        expectError("[.5]", 1, 2, "unexpected character '.': a value was expected")
        expectError("[+1]", 1, 2, "unexpected character '+': a value was expected")
        // A leading zero ends the number; the digit after it is then out of place.
        expectError("[01]", 1, 3, "expected ',' or ']' in an array")
        expectError("[0x1F]", 1, 3, "expected ',' or ']' in an array")
        expectError("[1.5.2]", 1, 5, "expected ',' or ']' in an array")
    }

    // MARK: Nesting

    @Test func nestingDeeperThanTheLimit() {
        expectError(String(repeating: "[", count: 257) + String(repeating: "]", count: 257), 1, 257, "nesting deeper than 256 levels")
        let objects = String(repeating: #"{"a":"#, count: 257) + "1" + String(repeating: "}", count: 257)
        expectError(objects, 1, 1281, "nesting deeper than 256 levels")
    }

    @Test func deepNestingFailsCleanlyEvenWhenUnclosed() {
        // A hostile input must end in an error, not a stack overflow.
        expectError(String(repeating: "[", count: 100_000), 1, 257, "nesting deeper than 256 levels")
    }

    // MARK: Byte-order mark

    @Test func errorsAfterAByteOrderMarkCountColumnsWithoutIt() {
        guard let error = syntaxError([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1,}"#.utf8)) else { return }
        #expect(error.position == SourcePosition(line: 1, column: 9))
        #expect(error.message == "expected a quoted member name")
    }

    @Test func aByteOrderMarkIsOnlyToleratedAtTheStart() {
        guard let error = syntaxError(Array("[1]".utf8) + [0xEF, 0xBB, 0xBF]) else { return }
        #expect(error.message == "unexpected text after the end of the document")
        #expect(error.position == SourcePosition(line: 1, column: 4))
    }

    @Test func columnsCountCharactersNotBytesInErrors() {
        expectError(#"{"é": "ü",}"#, 1, 11, "expected a quoted member name")
    }
}
