#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a subset of JSON straight from its bytes, for the hot paths that see the same shapes over
/// and over (import lines, stored records, decision requests): no `JSONValue` tree, no positions,
/// no diagnostics.
///
/// The subset: non-empty strings without escapes or control characters, arrays of such strings,
/// small positive whole numbers, `true` and `false`. A method returns nil for anything else, and the
/// reader built on it then gives up, so that its caller reads the text with the full reader
/// (`JSONParser` and the decoders over it), which names every problem by position and field.
public struct JSONByteScanner {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let end: Int
    /// The offset of the next byte to read.
    public var index = 0

    @inlinable
    public init(base: UnsafePointer<UInt8>, end: Int) {
        self.base = base
        self.end = end
    }

    /// Whether every byte has been read (whitespace aside).
    @inlinable
    public mutating func atEnd() -> Bool {
        skipWhitespace()
        return index == end
    }

    /// The next byte after any whitespace, not consumed.
    @inlinable
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < end ? base[index] : nil
    }

    @inlinable
    public mutating func skipWhitespace() {
        while index < end {
            switch base[index] {
            case 0x20, 0x09, 0x0D, 0x0A: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte` after any whitespace, if it is next.
    @inlinable
    public mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < end, base[index] == byte else { return false }
        index += 1
        return true
    }

    /// A member name, one of `names`.
    @inlinable
    public mutating func key<F>(_ names: [(StaticString, F)]) -> F? {
        guard let (start, count) = rawString() else { return nil }
        for (name, field) in names where name.utf8CodeUnitCount == count {
            if memcmp(name.utf8Start, base + start, count) == 0 { return field }
        }
        return nil
    }

    /// A non-empty string without escapes or control characters, valid UTF-8.
    @inlinable
    public mutating func string() -> String? {
        guard let (start, count) = rawString(), count > 0 else { return nil }
        return UTF8Text.string(UnsafeBufferPointer(start: base + start, count: count))
    }

    /// The bytes between the quotes of a string without escapes or control characters.
    @inlinable
    public mutating func rawString() -> (start: Int, count: Int)? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < end {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (start, index - 1 - start)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// An array of strings as `string()` reads them (possibly empty).
    @inlinable
    public mutating func stringArray() -> [String]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var list: [String] = []
        if consume(UInt8(ascii: "]")) { return list }
        repeat {
            guard let text = string() else { return nil }
            list.append(text)
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? list : nil
    }

    /// A positive whole number of at most 5 digits, written plainly (no sign, fraction or exponent).
    @inlinable
    public mutating func smallInteger() -> Int? {
        plainDigits(atMost: 5).map(Int.init)
    }

    /// A whole number that fits in 64 bits, written plainly: an optional minus sign and at most 18
    /// digits without leading zeros, no fraction or exponent.
    @inlinable
    public mutating func integer() -> Int64? {
        skipWhitespace()
        var negative = false
        if index < end, base[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        if end - index >= 2, base[index] == UInt8(ascii: "0"), base[index + 1] >= UInt8(ascii: "0"), base[index + 1] <= UInt8(ascii: "9") {
            return nil
        }
        return plainDigits(atMost: 18).map { negative ? -$0 : $0 }
    }

    /// A run of 1 to `limit` (at most 18) digits not followed by a fraction or an exponent, as a
    /// number. Longer runs are read to their end but not added up, so no length of input overflows.
    @inlinable @usableFromInline
    mutating func plainDigits(atMost limit: Int) -> Int64? {
        var number: Int64 = 0
        var digits = 0
        while index < end, base[index] >= UInt8(ascii: "0"), base[index] <= UInt8(ascii: "9") {
            if digits < limit { number = number * 10 + Int64(base[index] - UInt8(ascii: "0")) }
            digits += 1
            index += 1
        }
        guard (1...limit).contains(digits), index < end else { return nil }
        switch base[index] {
        case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
        default: return number
        }
    }

    @inlinable
    public mutating func bool() -> Bool? {
        skipWhitespace()
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    @inlinable
    public mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard end - index >= count, memcmp(word.utf8Start, base + index, count) == 0 else { return false }
        index += count
        return true
    }
}
