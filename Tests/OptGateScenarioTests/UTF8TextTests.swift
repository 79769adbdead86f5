import OptGateScenario
import Testing

/// `UTF8Text`: the hot paths' strings from bytes. RFC 3629 (UTF-8) decides what is valid: the ASCII
/// shortcut must give the same strings as the standard library, and refuse nothing it accepts.
@Suite("UTF8Text: strings from UTF-8 bytes")
struct UTF8TextTests {
    private func string(_ bytes: [UInt8]) -> String? { UTF8Text.string(bytes, 0..<bytes.count) }

    @Test func asciiAndValidMultibyteTextReadAsTheStandardLibraryReadsThem() {
        for text in ["", "c4711", "person@example.com", "Zoë Brontë", "東京", "opt-out ✓ 🙂"] {
            #expect(string(Array(text.utf8)) == text)
            #expect(string(Array(text.utf8)) == String(validating: Array(text.utf8), as: UTF8.self))
        }
    }

    @Test func invalidBytesAreRefused() {
        #expect(string([0xFF]) == nil)                          // never in UTF-8
        #expect(string([0x61, 0xC3]) == nil)                    // a sequence cut short
        #expect(string([0xC0, 0x80]) == nil)                    // overlong NUL
        #expect(string([0xED, 0xA0, 0x80]) == nil)              // a UTF-16 surrogate
        #expect(string([0x61, 0x62, 0x80, 0x63]) == nil)        // a lone continuation byte among ASCII
    }

    @Test func aRangeReadsOnlyItsOwnBytes() {
        let bytes = Array("ab\u{FF}cd".utf8) + [0xFF]
        #expect(UTF8Text.string(bytes, 0..<2) == "ab")
        #expect(UTF8Text.string(bytes, 2..<4) == "\u{FF}")
        #expect(UTF8Text.string(bytes, 4..<6) == "cd")
        #expect(UTF8Text.string(bytes, 4..<7) == nil)
    }

    @Test func theByteScannerKeepsNonASCIIStringsAndRefusesInvalidOnes() {
        let valid = Array(#""Zoë""#.utf8)
        valid.withUnsafeBufferPointer { buffer in
            var scanner = JSONByteScanner(base: buffer.baseAddress!, end: buffer.count)
            #expect(scanner.string() == "Zoë")
        }
        let invalid: [UInt8] = [0x22, 0x5A, 0xC3, 0x22]
        invalid.withUnsafeBufferPointer { buffer in
            var scanner = JSONByteScanner(base: buffer.baseAddress!, end: buffer.count)
            #expect(scanner.string() == nil)
        }
    }
}
