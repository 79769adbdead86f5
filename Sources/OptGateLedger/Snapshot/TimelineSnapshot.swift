import Foundation
import OptGateCore

/// Why a timeline snapshot cannot be used, read or written.
public struct SnapshotError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Every contact's decision-ready timeline as of one position of the chain, in one file mapped into
/// memory: what a campaign check needs to judge millions of recipients without reading and decoding
/// the ledger's JSON for each of them.
///
/// A snapshot is derived data. It holds nothing the ledger does not (identifiers only as the same
/// keyed hashes), it is never the record of anything, and it can be deleted and rebuilt at any
/// time. It describes the chain up to `seq`, whose hash it names: entries appended later are read
/// from the ledger itself (see `SnapshotDelta`), and a ledger whose entry at `seq` has another hash
/// (restored, replaced) does not accept it.
///
/// File layout (little-endian): a fixed 256-byte header (magic, encoding schema, installation tag,
/// chain position and hash, counts, section offsets and the index's checksum); the string table; the
/// key directory; the keys; the timelines, each followed by its own checksum; the contacts' offsets
/// into the timelines. The index is checked when the file is opened, a timeline when it is read.
///
/// Keys are the first 12 bytes (96 bits) of each identifier's keyed hash (HMAC-SHA256 under the
/// installation secret), with the contact's ordinal, sorted, and found through a directory of
/// buckets by their leading bits. Contact ids are keyed the same way. A wrong match between two
/// 96-bit prefixes is about one in 10^21 for ten million keys.
public final class TimelineSnapshot: Sendable {
    static let magic = Array("OGTLSNP1".utf8)
    static let headerSize = 256
    /// The ordinal that marks a key on the suppression list.
    static let suppressedOrdinal = UInt32.max

    /// The position and hash of the newest entry the snapshot includes.
    public let seq: Int64
    public let headHash: Data
    public let contactCount: Int
    public let keyCount: Int

    private let file: MappedFile
    private let strings: TimelineEncoding.Strings
    private let bucketShift: UInt64
    private let directoryOffset: Int
    private let keysOffset: Int
    private let timelinesOffset: Int
    private let timelinesLength: Int
    private let contactOffsetsOffset: Int

    /// What a key names.
    public enum Found: Sendable, Equatable {
        case contact(ordinal: Int)
        case suppressed
    }

    /// Opens the snapshot at `path`, made by this installation with this build's encoding.
    public init(path: String, secret: LedgerSecret) throws(SnapshotError) {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw SnapshotError(description: error.description) }
        self.file = file
        let bytes = file.bytes
        guard bytes.count >= Self.headerSize else { throw SnapshotError(description: "\(path): too short to be a snapshot") }
        var r = SnapshotByteReader(bytes)
        do {
            guard Array(try r.bytes(8)) == Self.magic else { throw SnapshotError(description: "\(path): not a timeline snapshot") }
            guard Array(try r.bytes(32)) == TimelineEncoding.schema else {
                throw SnapshotError(description: "\(path): written by a build with another encoding")
            }
            guard Array(try r.bytes(32)) == Self.installationTag(secret) else {
                throw SnapshotError(description: "\(path): made by another installation (another secret)")
            }
            seq = try r.fixed(Int64.self)
            headHash = Data(try r.bytes(32))
            contactCount = try r.size()
            keyCount = try r.size()
            let bits = try r.fixed(UInt32.self)
            guard (1...32).contains(bits) else { throw SnapshotByteReader.Damaged() }
            bucketShift = UInt64(64 - bits)
            let stringsOffset = try r.size()
            directoryOffset = try r.size()
            keysOffset = try r.size()
            timelinesOffset = try r.size()
            contactOffsetsOffset = try r.size()
            let length = try r.size()
            let headerChecked = r.offset
            let indexChecksum = try r.fixed(UInt64.self)
            guard bytes[r.offset..<Self.headerSize].allSatisfy({ $0 == 0 }) else { throw SnapshotByteReader.Damaged() }
            guard length == bytes.count,
                  stringsOffset == Self.headerSize,
                  directoryOffset >= stringsOffset,
                  keysOffset == directoryOffset + ((1 << Int(bits)) + 1) * 4,
                  timelinesOffset == keysOffset + keyCount * 16,
                  contactOffsetsOffset >= timelinesOffset,
                  contactOffsetsOffset + (contactCount + 1) * 8 == length
            else { throw SnapshotError(description: "\(path): damaged (its sections do not add up)") }
            timelinesLength = contactOffsetsOffset - timelinesOffset
            func checksum(_ range: Range<Int>) -> UInt64 { SnapshotChecksum.of(UnsafeRawBufferPointer(rebasing: bytes[range])) }
            let computed = SnapshotChecksum.combine([
                checksum(0..<headerChecked), checksum(stringsOffset..<directoryOffset), checksum(directoryOffset..<keysOffset),
                checksum(keysOffset..<timelinesOffset), checksum(contactOffsetsOffset..<length),
            ])
            guard computed == indexChecksum else { throw SnapshotError(description: "\(path): damaged (its index does not match its checksum)") }
            var s = SnapshotByteReader(UnsafeRawBufferPointer(rebasing: bytes[stringsOffset..<directoryOffset]))
            let count = try s.count()
            var strings: [String] = []
            strings.reserveCapacity(count)
            for _ in 0..<count { strings.append(try s.string()) }
            self.strings = TimelineEncoding.Strings(strings)
        } catch let error as SnapshotError {
            throw error
        } catch {
            throw SnapshotError(description: "\(path): damaged header")
        }
    }

    /// Tags a snapshot with the installation it belongs to (HMAC under a key derived from the secret):
    /// another installation's snapshot, or a copy of one, is not used.
    static func installationTag(_ secret: LedgerSecret) -> [UInt8] {
        Array(secret.authenticationCode(for: Data("timeline snapshot".utf8), purpose: "optgate timeline snapshot"))
    }

    /// The 96-bit prefix of a keyed hash the key table holds, as two big-endian numbers (so that
    /// numeric order is byte order, and the leading bits pick the bucket).
    static func prefix(of digest: Data) -> (hi: UInt64, lo: UInt32) {
        digest.withUnsafeBytes { raw in
            (UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)), UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        }
    }

    /// What a key (a full 32-byte keyed hash) names, if the snapshot holds it.
    public func find(key: Data) -> Found? {
        guard key.count >= 12 else { return nil }
        let (hi, lo) = Self.prefix(of: key)
        let bytes = file.bytes
        let bucket = Int(hi >> bucketShift)
        let start = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: directoryOffset + bucket * 4, as: UInt32.self)))
        let end = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: directoryOffset + bucket * 4 + 4, as: UInt32.self)))
        guard start <= end, end <= keyCount else { return nil }
        var index = start
        while index < end {
            let at = keysOffset + index * 16
            let entryHi = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
            if entryHi == hi, UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at + 8, as: UInt32.self)) == lo {
                let ordinal = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at + 12, as: UInt32.self))
                if ordinal == Self.suppressedOrdinal { return .suppressed }
                return Int(ordinal) < contactCount ? .contact(ordinal: Int(ordinal)) : nil
            }
            if entryHi > hi { return nil }
            index += 1
        }
        return nil
    }

    /// A reader of the timeline at `ordinal`, whose checksum has been checked.
    private func timelineReader(ordinal: Int) throws(SnapshotByteReader.Damaged) -> SnapshotByteReader {
        guard ordinal >= 0, ordinal < contactCount else { throw SnapshotByteReader.Damaged() }
        let bytes = file.bytes
        let start = Int(truncatingIfNeeded: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: contactOffsetsOffset + ordinal * 8, as: UInt64.self)))
        let end = Int(truncatingIfNeeded: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: contactOffsetsOffset + ordinal * 8 + 8, as: UInt64.self)))
        guard start >= 0, start + 8 <= end, end <= timelinesLength else { throw SnapshotByteReader.Damaged() }
        let body = UnsafeRawBufferPointer(rebasing: bytes[(timelinesOffset + start)..<(timelinesOffset + end - 8)])
        let stored = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: timelinesOffset + end - 8, as: UInt64.self))
        guard SnapshotChecksum.of(body) == stored else { throw SnapshotByteReader.Damaged() }
        return SnapshotByteReader(body)
    }


    /// The timeline of the contact at `ordinal`.
    public func timeline(ordinal: Int) throws -> ContactTimeline {
        do {
            var r = try timelineReader(ordinal: ordinal)
            let timeline = try TimelineEncoding.decode(&r, strings: strings)
            guard r.isAtEnd else { throw SnapshotByteReader.Damaged() }
            return timeline
        } catch {
            throw SnapshotError(description: "the timeline snapshot is damaged at contact \(ordinal): delete it to rebuild it")
        }
    }

    /// The size of the file, in bytes.
    public var byteCount: Int { file.bytes.count }
}
