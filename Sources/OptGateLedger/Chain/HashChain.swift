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

    private static let domainBytes = Array("optgate/ledger/v1".utf8)
    private static let personalDomain = Data("optgate/personal-data/v1".utf8)

    /// The hash of an entry whose previous entry's hash is `previous`.
    public static func hash(
        previous: Data, seq: Int64, recordedAt: Timestamp, kind: EntryKind, contactID: String?, entryID: String?,
        occurredAt: Timestamp?, body: String, personalDataDigest: Data?
    ) -> Data {
        // The fields are gathered into one buffer and hashed in one call (the same bytes as
        // hashing them one by one). Each field is copied as a block of bytes: this runs for every
        // entry an import or a write appends, and once more for every entry `audit verify` reads.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(domainBytes.count + previous.count + 96 + body.utf8.count + (contactID?.utf8.count ?? 0)
            + (entryID?.utf8.count ?? 0) + (personalDataDigest?.count ?? 0))
        bytes.append(contentsOf: domainBytes)
        append(&bytes, data: previous)
        append(&bytes, seq)
        append(&bytes, recordedAt.secondsSinceEpoch)
        append(&bytes, kind.rawValue)
        append(&bytes, contactID)
        append(&bytes, entryID)
        if let occurredAt {
            appendDecimal(&bytes, occurredAt.secondsSinceEpoch)
        } else {
            append(&bytes, Int64(-1))
        }
        append(&bytes, body)
        if let digest = personalDataDigest {
            append(&bytes, Int64(digest.count))
            append(&bytes, data: digest)
        } else {
            append(&bytes, Int64(-1))
        }
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
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
    private static func append(_ bytes: inout [UInt8], _ text: String?) {
        guard var text else {
            append(&bytes, Int64(-1))
            return
        }
        append(&bytes, Int64(text.utf8.count))
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A field's bytes as they are (their length is implied or written by the caller).
    private static func append(_ bytes: inout [UInt8], data: Data) {
        data.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    private static func append(_ bytes: inout [UInt8], _ value: Int64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// A number's decimal text, length-prefixed, as `append(String(value))` would write it.
    private static func appendDecimal(_ bytes: inout [UInt8], _ value: Int64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var rest = value
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(abs(rest % 10))
                rest /= 10
            } while rest != 0
            if value < 0 {
                index -= 1
                buffer[index] = UInt8(ascii: "-")
            }
            append(&bytes, Int64(buffer.count - index))
            bytes.append(contentsOf: buffer[index...])
        }
    }
}
