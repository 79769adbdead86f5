/// Strings made from UTF-8 bytes on the hot paths (import lines, stored records, requests).
///
/// The standard library's `String(validating:as:)` is generic and, called from here, instantiates
/// its type metadata on every call; most strings these paths read (ids, codes, dates) are ASCII,
/// which needs no validation: those are made directly, the same string either way.
public enum UTF8Text {
    /// The string `bytes` spell, or nil if they are not valid UTF-8.
    @inlinable
    public static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        if high < 0x80 { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The string `bytes[range]` spell, or nil if they are not valid UTF-8.
    @inlinable
    public static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        bytes.withUnsafeBufferPointer { string(UnsafeBufferPointer(rebasing: $0[range])) }
    }
}
