import Foundation
import OptGateCore

/// Writes a `TimelineSnapshot` of the ledger: one pass through the chain in order (each contact's
/// profiles and events decoded once and encoded in binary), the identifier links and suppression
/// list, then the file, written beside its destination and renamed over it, so that a reader sees
/// the old snapshot or the new one, never a part.
public enum TimelineSnapshotBuilder {
    /// What was written.
    public struct Built: Sendable {
        public var seq: Int64
        public var contacts: Int
        public var keys: Int
        public var bytes: Int
    }

    /// Builds the snapshot of the ledger as it stands, at `path`. `progress` is told the entries read
    /// so far and the chain's length, every 65,536 entries.
    @discardableResult
    public static func build(_ ledger: Ledger, to path: String, progress: (Int64, Int64) -> Void = { _, _ in }) throws -> Built {
        try ledger.store.read { reader in
            let head = try reader.head() ?? .genesis
            var table = TimelineEncoding.StringTable()
            var ordinals: [String: UInt32] = [:]
            var contactIDs: [String] = []
            var pieces = SnapshotByteWriter()
            var pieceStarts: [Int] = []
            // The owning contact's ordinal; the top bit marks a profile.
            var pieceOwners: [UInt32] = []
            let profileBit: UInt32 = 1 << 31
            try reader.forEachEntry(from: 1) { entry, _ in
                if entry.seq & 0xFFFF == 0 { progress(entry.seq, head.seq) }
                guard entry.seq <= head.seq, let contactID = entry.contactID, entry.kind == .contact || entry.kind == .event else { return }
                let ordinal: UInt32
                if let known = ordinals[contactID] {
                    ordinal = known
                } else {
                    guard contactIDs.count < Int(profileBit) - 1 else { throw SnapshotError(description: "more contacts than a snapshot holds (2^31)") }
                    ordinal = UInt32(contactIDs.count)
                    ordinals[contactID] = ordinal
                    contactIDs.append(contactID)
                }
                switch try LedgerSession.decode(entry, personal: nil) {
                case .contact(let profile):
                    pieceStarts.append(pieces.bytes.count)
                    pieceOwners.append(ordinal | profileBit)
                    TimelineEncoding.encodeProfile(profile, recordedAt: entry.recordedAt, table: &table, into: &pieces)
                case .event(_, let event, _):
                    pieceStarts.append(pieces.bytes.count)
                    pieceOwners.append(ordinal)
                    TimelineEncoding.encode(event, table: &table, into: &pieces)
                default:
                    break
                }
            }
            pieceStarts.append(pieces.bytes.count)
            progress(head.seq, head.seq)

            let keys = try sortedKeys(reader, ledger: ledger, ordinals: ordinals, contactIDs: contactIDs)
            let bits = max(1, min(30, Int.bitWidth - max(keys.count, 1).leadingZeroBitCount - 2))
            let file = try SnapshotFileWriter(path: path)
            do {
                let built = try write(
                    file, head: head, secret: ledger.secret, table: table, keys: keys, bits: bits, contactIDs: contactIDs,
                    pieces: pieces.bytes, starts: pieceStarts, owners: pieceOwners, profileBit: profileBit)
                try file.commit()
                return built
            } catch {
                file.abandon()
                throw error
            }
        }
    }

    /// A key as the file orders it: the first 96 bits of the keyed hash, then the ordinal.
    struct Key: Comparable {
        var hi: UInt64
        var lo: UInt32
        var ordinal: UInt32

        init(_ digest: Data, ordinal: UInt32) {
            (hi, lo) = TimelineSnapshot.prefix(of: digest)
            self.ordinal = ordinal
        }

        static func < (a: Key, b: Key) -> Bool { (a.hi, a.lo, a.ordinal) < (b.hi, b.lo, b.ordinal) }
        func sameKey(_ other: Key) -> Bool { hi == other.hi && lo == other.lo }
    }

    /// Identifier links, suppressed identifiers and contact ids, sorted. Where a key is both linked
    /// and suppressed (a suppressed person imported again), the link wins, as in the ledger's own lookup.
    private static func sortedKeys(_ reader: any LedgerReader, ledger: Ledger, ordinals: [String: UInt32], contactIDs: [String]) throws -> [Key] {
        var keys: [Key] = []
        keys.reserveCapacity(contactIDs.count * 3)
        try reader.forEachIdentifierLink { key, contactID in
            guard let ordinal = ordinals[contactID] else { throw LedgerError.corrupt("an identifier is linked to \(contactID), who has no entries") }
            keys.append(Key(key, ordinal: ordinal))
        }
        try reader.forEachSuppressedKey { key in keys.append(Key(key, ordinal: TimelineSnapshot.suppressedOrdinal)) }
        for (ordinal, id) in contactIDs.enumerated() { keys.append(Key(ledger.secret.key(forContactID: id), ordinal: UInt32(ordinal))) }
        keys.sort()
        var unique: [Key] = []
        unique.reserveCapacity(keys.count)
        for key in keys where unique.last.map({ !$0.sameKey(key) }) ?? true { unique.append(key) }
        return unique
    }

    private static func write(
        _ file: SnapshotFileWriter, head: ChainHead, secret: LedgerSecret, table: TimelineEncoding.StringTable, keys: [Key], bits: Int,
        contactIDs: [String], pieces: [UInt8], starts: [Int], owners: [UInt32], profileBit: UInt32
    ) throws -> Built {
        try file.append([UInt8](repeating: 0, count: TimelineSnapshot.headerSize))
        let stringsOffset = file.offset
        var strings = SnapshotByteWriter()
        strings.varint(table.strings.count)
        for text in table.strings { strings.string(text) }
        try file.append(strings.bytes)

        let directoryOffset = file.offset
        var directory = SnapshotByteWriter()
        let shift = UInt64(64 - bits)
        var index = 0
        for bucket in 0...(1 << bits) {
            while index < keys.count, Int(keys[index].hi >> shift) < bucket { index += 1 }
            directory.fixed(UInt32(index))
        }
        try file.append(directory.bytes)

        let keysOffset = file.offset
        var keyBytes = SnapshotByteWriter()
        keyBytes.bytes.reserveCapacity(keys.count * 16)
        for key in keys {
            keyBytes.fixed(key.hi)
            keyBytes.fixed(key.lo)
            keyBytes.fixed(key.ordinal)
        }
        try file.append(keyBytes.bytes)
        let keysChecksum = SnapshotChecksum.of(keyBytes.bytes)
        keyBytes = SnapshotByteWriter()

        // Each contact's pieces, in chain order (a stable counting sort by owner).
        let contactCount = contactIDs.count
        var first = [Int](repeating: 0, count: contactCount + 1)
        for owner in owners { first[Int(owner & ~profileBit) + 1] += 1 }
        for i in 0..<contactCount { first[i + 1] += first[i] }
        var order = [UInt32](repeating: 0, count: owners.count)
        var next = first
        for (piece, owner) in owners.enumerated() {
            let ordinal = Int(owner & ~profileBit)
            order[next[ordinal]] = UInt32(piece)
            next[ordinal] += 1
        }

        let timelinesOffset = file.offset
        var offsets = SnapshotByteWriter()
        offsets.bytes.reserveCapacity((contactCount + 1) * 8)
        var timeline = SnapshotByteWriter()
        var written = 0
        for ordinal in 0..<contactCount {
            offsets.fixed(UInt64(written))
            timeline.bytes.removeAll(keepingCapacity: true)
            timeline.string(contactIDs[ordinal])
            let mine = order[first[ordinal]..<first[ordinal + 1]]
            let profiles = mine.filter { owners[Int($0)] & profileBit != 0 }
            timeline.varint(profiles.count)
            for piece in profiles { timeline.bytes.append(contentsOf: pieces[starts[Int(piece)]..<starts[Int(piece) + 1]]) }
            timeline.varint(mine.count - profiles.count)
            for piece in mine where owners[Int(piece)] & profileBit == 0 {
                timeline.bytes.append(contentsOf: pieces[starts[Int(piece)]..<starts[Int(piece) + 1]])
            }
            timeline.fixed(SnapshotChecksum.of(timeline.bytes))
            written += timeline.bytes.count
            try file.append(timeline.bytes)
        }
        offsets.fixed(UInt64(written))
        let contactOffsetsOffset = file.offset
        try file.append(offsets.bytes)
        let length = file.offset
        let checksums = [
            SnapshotChecksum.of(strings.bytes), SnapshotChecksum.of(directory.bytes), keysChecksum, SnapshotChecksum.of(offsets.bytes),
        ]

        var header = SnapshotByteWriter()
        header.bytes.append(contentsOf: TimelineSnapshot.magic)
        header.bytes.append(contentsOf: TimelineEncoding.schema)
        header.bytes.append(contentsOf: TimelineSnapshot.installationTag(secret))
        header.fixed(head.seq)
        header.bytes.append(contentsOf: head.hash.count == 32 ? Array(head.hash) : [UInt8](repeating: 0, count: 32))
        header.fixed(UInt64(contactCount))
        header.fixed(UInt64(keys.count))
        header.fixed(UInt32(bits))
        for offset in [stringsOffset, directoryOffset, keysOffset, timelinesOffset, contactOffsetsOffset, length] { header.fixed(UInt64(offset)) }
        // The checksum covers the header before it, the string table, the directory, the keys and the offsets.
        header.fixed(SnapshotChecksum.combine([SnapshotChecksum.of(header.bytes)] + checksums))
        precondition(header.bytes.count <= TimelineSnapshot.headerSize)
        try file.overwriteHeader(header.bytes)
        return Built(seq: head.seq, contacts: contactCount, keys: keys.count, bytes: length)
    }
}

/// The snapshot file being written: buffered appends to a temporary file beside the destination,
/// synced and renamed over it on `commit`.
final class SnapshotFileWriter {
    private let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var offset = 0

    init(path: String) throws {
        self.path = path
        temporaryPath = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw SnapshotError(description: "\(temporaryPath): cannot be written")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporaryPath))
        buffer.reserveCapacity(1 << 22)
    }

    func append(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        offset += bytes.count
        if buffer.count >= 1 << 22 { try flush() }
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func overwriteHeader(_ bytes: [UInt8]) throws {
        try flush()
        try handle.seek(toOffset: 0)
        try handle.write(contentsOf: bytes)
    }

    func commit() throws {
        try flush()
        try handle.synchronize()
        try handle.close()
        guard rename(temporaryPath, path) == 0 else { throw SnapshotError(description: "\(path): cannot be replaced: \(String(cString: strerror(errno)))") }
    }

    func abandon() {
        try? handle.close()
        unlink(temporaryPath)
    }
}
