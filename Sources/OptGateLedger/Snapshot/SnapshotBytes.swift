import Foundation

/// Appends the snapshot's binary forms: little-endian fixed-width integers, LEB128 varints and
/// length-prefixed byte strings.
struct SnapshotByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func varint(_ value: Int) { varint(UInt64(value)) }

    /// A signed value, zigzag-encoded so that small negatives stay short.
    mutating func signed(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    mutating func fixed<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            varint(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    /// An optional string: its length plus one, or 0 for none.
    mutating func optionalString(_ text: String?) {
        guard var text else { return varint(0) }
        text.withUTF8 { utf8 in
            varint(utf8.count + 1)
            bytes.append(contentsOf: utf8)
        }
    }
}

/// Reads what `SnapshotByteWriter` wrote, checking every bound: a damaged snapshot is an error,
/// never a crash or a read outside the file.
struct SnapshotByteReader {
    struct Damaged: Error {}

    let base: UnsafeRawBufferPointer
    var offset: Int

    init(_ base: UnsafeRawBufferPointer, offset: Int = 0) {
        self.base = base
        self.offset = offset
    }

    var isAtEnd: Bool { offset >= base.count }

    mutating func u8() throws(Damaged) -> UInt8 {
        guard offset < base.count else { throw Damaged() }
        defer { offset += 1 }
        return base[offset]
    }

    mutating func varint() throws(Damaged) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8()
            guard shift < 64 else { throw Damaged() }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    /// A varint that counts something held in memory (a length or an index).
    mutating func count() throws(Damaged) -> Int {
        let value = try varint()
        guard value <= UInt64(Int32.max) else { throw Damaged() }
        return Int(value)
    }

    /// A fixed 64-bit size or offset, within what a file can hold.
    mutating func size() throws(Damaged) -> Int {
        let value = try fixed(UInt64.self)
        guard value <= UInt64(1) << 48 else { throw Damaged() }
        return Int(value)
    }

    mutating func signed() throws(Damaged) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func fixed<T: FixedWidthInteger>(_: T.Type) throws(Damaged) -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= base.count else { throw Damaged() }
        defer { offset += size }
        return T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    mutating func bytes(_ count: Int) throws(Damaged) -> UnsafeRawBufferPointer {
        guard count >= 0, offset + count <= base.count else { throw Damaged() }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: base[offset..<(offset + count)])
    }

    mutating func string() throws(Damaged) -> String {
        let bytes = try bytes(try count())
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func optionalString() throws(Damaged) -> String? {
        let length = try count()
        guard length > 0 else { return nil }
        return String(decoding: try bytes(length - 1), as: UTF8.self)
    }
}
