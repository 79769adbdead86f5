import Crypto
import Foundation
import OptGateCore

/// The tamper-evident chain: each entry's hash covers the previous entry's hash and every stored
/// field of the entry, so changing, deleting, inserting or reordering any entry breaks every hash
/// after it. Personal data enters the chain only as a salted digest, so erasing it leaves the chain
/// intact.
public enum HashChain {
    /// The hash the first entry chains from.
    public static let genesis = Data(repeating: 0, count: 32)

    private static let domain = Data("optgate/ledger/v1".utf8)
    private static let personalDomain = Data("optgate/personal-data/v1".utf8)

    /// The hash of an entry whose previous entry's hash is `previous`.
    public static func hash(
        previous: Data, seq: Int64, recordedAt: Timestamp, kind: EntryKind, contactID: String?, entryID: String?,
        occurredAt: Timestamp?, body: String, personalDataDigest: Data?
    ) -> Data {
        var hasher = SHA256()
        hasher.update(data: domain)
        hasher.update(data: previous)
        update(&hasher, seq)
        update(&hasher, recordedAt.secondsSinceEpoch)
        update(&hasher, kind.rawValue)
        update(&hasher, contactID)
        update(&hasher, entryID)
        if let occurredAt {
            // Its decimal text, written without making a String.
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeMutableBytes(of: &digits) { buffer in
                var value = occurredAt.secondsSinceEpoch
                let negative = value < 0
                var index = buffer.count
                repeat {
                    index -= 1
                    buffer[index] = UInt8(ascii: "0") + UInt8(abs(value % 10))
                    value /= 10
                } while value != 0
                if negative {
                    index -= 1
                    buffer[index] = UInt8(ascii: "-")
                }
                let text = UnsafeRawBufferPointer(rebasing: buffer[index...])
                update(&hasher, Int64(text.count))
                hasher.update(bufferPointer: text)
            }
        } else {
            update(&hasher, Int64(-1))
        }
        update(&hasher, body)
        if let digest = personalDataDigest {
            update(&hasher, Int64(digest.count))
            hasher.update(data: digest)
        } else {
            update(&hasher, Int64(-1))
        }
        return Data(hasher.finalize())
    }

    /// The hash an entry should have, given its predecessor's.
    public static func hash(of entry: StoredEntry, previous: Data) -> Data {
        hash(
            previous: previous, seq: entry.seq, recordedAt: entry.recordedAt, kind: entry.kind, contactID: entry.contactID,
            entryID: entry.entryID, occurredAt: entry.occurredAt, body: entry.body, personalDataDigest: entry.personalDataDigest)
    }

    /// The salted digest of personal data.
    public static func digest(personalData body: String, salt: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: personalDomain)
        hasher.update(data: salt)
        hasher.update(data: Data(body.utf8))
        return Data(hasher.finalize())
    }

    /// Length-prefixed fields, so that no two different entries encode to the same bytes.
    private static func update(_ hasher: inout SHA256, _ text: String?) {
        guard let text else {
            update(&hasher, Int64(-1))
            return
        }
        var copy = text
        copy.withUTF8 { bytes in
            update(&hasher, Int64(bytes.count))
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        }
    }

    private static func update(_ hasher: inout SHA256, _ value: Int64) {
        withUnsafeBytes(of: value.bigEndian) { hasher.update(bufferPointer: $0) }
    }
}
