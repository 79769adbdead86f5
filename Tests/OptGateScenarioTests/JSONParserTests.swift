import OptGateScenario
import Testing

/// Valid RFC 8259 documents: what the parser builds, and where it says each value stood.
@Suite("JSONParser: valid documents")
struct JSONParserTests {
    @Test func parsesNestedObjectsAndArraysInDocumentOrder() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": [true, false, null, {"b": []}], "m": {"n": {"o": "p"}}}"#)
        #expect(Plain(value) == .object([
            .init(key: "z", value: .number("1")),
            .init(key: "a", value: .array([.bool(true), .bool(false), .null, .object([.init(key: "b", value: .array([]))])])),
            .init(key: "m", value: .object([.init(key: "n", value: .object([.init(key: "o", value: .string("p"))]))])),
        ]))
    }

    @Test func emptyContainersAndTopLevelScalarsAreDocuments() throws {
        #expect(Plain(try JSONParser.parse("{}")) == .object([]))
        #expect(Plain(try JSONParser.parse("[]")) == .array([]))
        #expect(Plain(try JSONParser.parse("[[], {}]")) == .array([.array([]), .object([])]))
        #expect(Plain(try JSONParser.parse(" true ")) == .bool(true))
        #expect(Plain(try JSONParser.parse("null")) == .null)
        #expect(Plain(try JSONParser.parse(#""x""#)) == .string("x"))
        #expect(Plain(try JSONParser.parse("42")) == .number("42"))
    }

    @Test func recordsTheLineAndColumnOfEveryValue() throws {
        let text = "{\n  \"a\": [1, true, null],\n  \"b\": {\"c\": \"d\"}\n}"
        let root = try JSONParser.parse(text)
        #expect(root.position == SourcePosition(line: 1, column: 1))
        guard case .object(let members) = root.kind else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["a", "b"])
        #expect(members[0].value.position == SourcePosition(line: 2, column: 8))
        guard case .array(let elements) = members[0].value.kind else { Issue.record("not an array"); return }
        #expect(elements.map(\.position) == [
            SourcePosition(line: 2, column: 9), SourcePosition(line: 2, column: 12), SourcePosition(line: 2, column: 18),
        ])
        #expect(members[1].value.position == SourcePosition(line: 3, column: 8))
        guard case .object(let inner) = members[1].value.kind else { Issue.record("not an object"); return }
        #expect(inner[0].value.position == SourcePosition(line: 3, column: 14))
    }

    @Test func crlfLineEndsAndTabsAreWhitespace() throws {
        let root = try JSONParser.parse("{\r\n\t\"a\": 1\r\n}\r\n")
        guard case .object(let members) = root.kind else { Issue.record("not an object"); return }
        #expect(Plain(members[0].value) == .number("1"))
        #expect(members[0].value.position == SourcePosition(line: 2, column: 7))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let root = try JSONParser.parse(#"{"é": "ü😀", "k": 1}"#)
        guard case .object(let members) = root.kind else { Issue.record("not an object"); return }
        #expect(members[0].key == "é")
        #expect(Plain(members[0].value) == .string("ü😀"))
        #expect(members[1].value.position == SourcePosition(line: 1, column: 18))
    }

    @Test func decodesEverySimpleEscape() throws {
        let value = try JSONParser.parse(#""\"\\\/\b\f\n\r\t""#)
        #expect(Plain(value) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
    }

    @Test func decodesUnicodeEscapesInEitherCase() throws {
        #expect(Plain(try JSONParser.parse(#""\u00e9\u00C9\u0041""#)) == .string("éÉA"))
        #expect(Plain(try JSONParser.parse(#""a\u0000b""#)) == .string("a\u{0}b"))
        #expect(Plain(try JSONParser.parse(#""\u20AC""#)) == .string("€"))
    }

    @Test func joinsSurrogatePairsIntoOneScalar() throws {
        let value = try JSONParser.parse(#""\uD83D\uDE00 \ud834\udd1e""#)
        #expect(Plain(value) == .string("😀 𝄞"))
        guard case .string(let text) = value.kind else { return }
        #expect(text.unicodeScalars.map(\.value) == [0x1F600, 0x20, 0x1D11E])
    }

    @Test func keepsRawUTF8AsIs() throws {
        #expect(Plain(try JSONParser.parse(#"["Zoë", "日本", "🇬🇧"]"#)) == .array([.string("Zoë"), .string("日本"), .string("🇬🇧")]))
    }

    @Test(arguments: ["0", "-0", "7", "-12", "3.25", "-0.5", "1e10", "1E+2", "2.5e-3", "123456789012345678901234567890"])
    func keepsNumbersAsWritten(_ number: String) throws {
        #expect(Plain(try JSONParser.parse("[\(number)]")) == .array([.number(number)]))
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = 256
        let value = try JSONParser.parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        var levels = 0
        var current = value
        while case .array(let elements) = current.kind {
            levels += 1
            guard let first = elements.first else { break }
            current = first
        }
        #expect(levels == depth)
    }

    @Test func acceptsAByteOrderMarkWithoutCountingIt() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8)
        let root = try JSONParser.parse(bytes)
        guard case .object(let members) = root.kind else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["a"])
        #expect(root.position == SourcePosition(line: 1, column: 1))
        #expect(members[0].value.position == SourcePosition(line: 1, column: 7))
        // The String entry point sees the same bytes.
        #expect(Plain(try JSONParser.parse("\u{FEFF}[true]")) == .array([.bool(true)]))
    }

    @Test func sameKeyInDifferentObjectsIsNotADuplicate() throws {
        let value = try JSONParser.parse(#"{"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}]}"#)
        guard case .object(let members) = value.kind else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["a", "b"])
    }
}
