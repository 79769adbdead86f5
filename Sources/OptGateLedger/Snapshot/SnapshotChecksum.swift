/// A fast 64-bit checksum of the snapshot's bytes, eight at a time (FNV-style, then mixed): catches a damaged file (a
/// flipped bit, a torn write) before a decision reads it. Not a defence against someone who can
/// write the data directory: they could change the ledger itself, which `audit verify` checks.
enum SnapshotChecksum {
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var offset = 0
        // One multiply per word: for a fixed state, each step is a bijection of the word, and for a
        // fixed word a bijection of the state, so any one changed word changes the result.
        while offset + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        return mix(hash ^ tail ^ 0xFF)
    }

    static func of(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { of($0) } }

    /// One checksum of several.
    static func combine(_ parts: [UInt64]) -> UInt64 { parts.withUnsafeBytes { of($0) } }

    /// One round of a multiply-xorshift mixer (from splitmix64).
    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &* 0xBF58_476D_1CE4_E5B9
        z ^= z >> 31
        z = (z &+ 0x94D0_49BB_1331_11EB) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 29)
    }
}
