import Foundation

/// Deterministic mutation of valid inputs into the malformed, truncated and hostile ones a parser
/// meets in the wild: bytes replaced, inserted, deleted and repeated, tokens a JSON, CSV, form or
/// date reader finds hard (escapes, surrogates, huge numbers, stray UTF-8), truncation, and splices
/// of two inputs.
///
/// Every mutant is rebuilt from `(seed, index)` alone, so a failure names the two numbers that
/// reproduce it (`OPTGATE_FUZZ_SEED`), and `OPTGATE_FUZZ_SCALE` runs a suite longer than CI does.
public struct InputMutator: Sendable {
    /// One mutated input and how to get it back.
    public struct Mutant: Sendable, CustomStringConvertible {
        public let seed: UInt64
        public let index: Int
        public let bytes: [UInt8]

        /// The mutant as text, with invalid UTF-8 replaced (for APIs that take a `String`).
        public var text: String { String(decoding: bytes, as: UTF8.self) }
        /// Whether the bytes are valid UTF-8 (a `String` API then sees exactly these bytes).
        public var isUTF8: Bool { String(validating: bytes, as: UTF8.self) != nil }

        public var description: String {
            let shown = bytes.prefix(600).map { byte -> String in
                switch byte {
                case 0x20..<0x7F where byte != UInt8(ascii: "\\"): String(UnicodeScalar(byte))
                case UInt8(ascii: "\\"): "\\\\"
                case UInt8(ascii: "\n"): "\\n"
                default: "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
                }
            }.joined()
            return "mutant \(index) of seed \(seed) (\(bytes.count) bytes): \(shown)\(bytes.count > 600 ? "…" : "")"
        }
    }

    /// The valid inputs mutants are made from.
    public let inputs: [[UInt8]]
    public let seed: UInt64

    public init(inputs: [String], seed: UInt64 = InputMutator.environmentSeed) {
        precondition(!inputs.isEmpty, "a mutator needs at least one input")
        self.inputs = inputs.map { Array($0.utf8) }
        self.seed = seed
    }

    /// `count` mutants, scaled by `OPTGATE_FUZZ_SCALE`.
    public func mutants(_ count: Int) -> [Mutant] {
        (0..<count * Self.environmentScale).map(mutant)
    }

    /// The `index`-th mutant: one to four mutations of one input.
    public func mutant(_ index: Int) -> Mutant {
        var random = SeededGenerator(seed: seed ^ (UInt64(index) &* 0xD6E8_FEB8_6659_FD93))
        var bytes = inputs[Int(random.next() % UInt64(inputs.count))]
        // Half the mutants change one thing only, so that many stay close enough to valid to reach
        // the readers' deeper paths.
        let count = random.next() % 2 == 0 ? 1 : 2 + Int(random.next() % 3)
        for _ in 0..<count { mutate(&bytes, &random) }
        return Mutant(seed: seed, index: index, bytes: bytes)
    }

    /// Bytes that end or begin tokens, escapes, and bytes that are not UTF-8 on their own.
    static let bytes: [UInt8] = Array(#""\{}[]:,0123456789-+.eE uU ntf@%&=;#"#.utf8) + [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFF]

    /// Pieces of text that readers of JSON, CSV, forms, dates and identifiers get wrong.
    static let tokens: [[UInt8]] = [
        #"\""#, #"\\"#, #"\u"#, #"\u0000"#, #"\ud800"#, #"\udc00"#, #"\ud83d\ude00"#, #"\u00e9"#, #"\/"#, #"\x"#,
        "null", "true", "false", "0", "-0", "-", "1.5", "1e999", "-1e-999", "99999999999999999999", "0x10", "NaN",
        "[]", "{}", "[", "{", "]", "}", "\"\"", #""a":1"#, ",,", "::", #"{"a":[{"b":[[[]]]}]}"#,
        String(repeating: "[", count: 600), String(repeating: "{\"a\":", count: 300),
        "2026-02-29T00:00:00Z", "2025-02-29T00:00:00Z", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z",
        "2026-11-23T12:00:00.999999999+14:00", "2026-13-01", "T", "Z", "+447700900123", "07700 900123", "+0", "+",
        "a@b", "@", "ann@@example.com", "ANN@EXAMPLE.COM", "é", "ß", "İ", "\u{202E}", "\u{FEFF}", "\u{10FFFF}",
        "%", "%zz", "%00", "%e9", "%C3%A9", "&", "=", "&&==", "\r\n", "\n\n", "\t", ",\"", "\"\"\"",
        "--boundary", "\r\n--boundary--\r\n", "Content-Disposition: form-data; name=\"a\"\r\n\r\n",
    ].map { Array($0.utf8) } + [[0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xEF, 0xBF, 0xBF], [0xFF, 0xFE]]

    private func mutate(_ bytes: inout [UInt8], _ random: inout SeededGenerator) {
        func position(_ extra: Int = 0) -> Int { Int(random.next() % UInt64(bytes.count + extra)) }
        func length(_ most: Int) -> Int { 1 + Int(random.next() % UInt64(most)) }
        if bytes.isEmpty {
            bytes = Self.tokens[Int(random.next() % UInt64(Self.tokens.count))]
            return
        }
        switch random.next() % 13 {
        case 0: bytes[position()] = Self.bytes[Int(random.next() % UInt64(Self.bytes.count))]
        case 1: bytes.insert(Self.bytes[Int(random.next() % UInt64(Self.bytes.count))], at: position(1))
        case 2:
            let start = position()
            bytes.removeSubrange(start..<min(bytes.count, start + length(8)))
        case 3:
            let start = position()
            let piece = bytes[start..<min(bytes.count, start + length(24))]
            bytes.insert(contentsOf: piece, at: position(1))
        case 4, 5: bytes.insert(contentsOf: Self.tokens[Int(random.next() % UInt64(Self.tokens.count))], at: position(1))
        case 6:
            // Replace a run with a token: a value or a key swapped for something else.
            let start = position()
            let token = Self.tokens[Int(random.next() % UInt64(Self.tokens.count))]
            bytes.replaceSubrange(start..<min(bytes.count, start + length(12)), with: token)
        case 7: bytes.removeSubrange(position()...)
        case 8:
            // The start of this input, the end of another.
            let other = inputs[Int(random.next() % UInt64(inputs.count))]
            bytes = Array(bytes[..<position()]) + other[Int(random.next() % UInt64(other.count + 1))...]
        case 9: bytes[position()] ^= 1 << UInt8(random.next() % 8)
        default:
            // A quoted value's content replaced: the shape kept, one value changed.
            let quote = UInt8(ascii: "\"")
            guard let open = bytes[position()...].firstIndex(of: quote) ?? bytes.firstIndex(of: quote),
                  let close = bytes[(open + 1)...].firstIndex(of: quote)
            else { return }
            let content: [UInt8] = switch random.next() % 4 {
            case 0: []
            case 1: [Self.bytes[Int(random.next() % UInt64(Self.bytes.count))]]
            case 2: Array(bytes[(open + 1)..<close]) + Array(bytes[(open + 1)..<close])
            default: Self.tokens[Int(random.next() % UInt64(Self.tokens.count))]
            }
            bytes.replaceSubrange((open + 1)..<close, with: content)
        }
    }

    /// `OPTGATE_FUZZ_SEED`, or a fixed seed so that CI runs the same mutants every time.
    public static var environmentSeed: UInt64 {
        ProcessInfo.processInfo.environment["OPTGATE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x0F71_6A7E
    }

    /// `OPTGATE_FUZZ_SCALE` (at least 1): how many times the default number of mutants to run.
    public static var environmentScale: Int {
        max(1, ProcessInfo.processInfo.environment["OPTGATE_FUZZ_SCALE"].flatMap { Int($0) } ?? 1)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
