import Foundation
import OptGateCore

/// A ledger entry as stored: its place in the chain, its canonical body, the digest of its personal
/// data (which stays in the chain after the data itself is erased), and its hash.
public struct StoredEntry: Hashable, Sendable {
    /// Position in the chain, from 1, without gaps.
    public var seq: Int64
    /// When the ledger recorded it.
    public var recordedAt: Timestamp
    public var kind: EntryKind
    public var contactID: String?
    /// Idempotency key (`event:<id>`), if any.
    public var entryID: String?
    /// When the fact happened or takes effect.
    public var occurredAt: Timestamp?
    /// Canonical JSON of the record, without personal data.
    public var body: String
    /// SHA-256 of the salted personal data, or nil when the record has none.
    public var personalDataDigest: Data?
    /// SHA-256 over the previous entry's hash and this entry's fields.
    public var hash: Data

    public init(
        seq: Int64, recordedAt: Timestamp, kind: EntryKind, contactID: String?, entryID: String?,
        occurredAt: Timestamp?, body: String, personalDataDigest: Data?, hash: Data
    ) {
        self.seq = seq
        self.recordedAt = recordedAt
        self.kind = kind
        self.contactID = contactID
        self.entryID = entryID
        self.occurredAt = occurredAt
        self.body = body
        self.personalDataDigest = personalDataDigest
        self.hash = hash
    }
}

/// A record's personal data, salted so that its digest in the chain reveals nothing once the data
/// and the salt are erased.
public struct SealedPersonalData: Hashable, Sendable {
    public var salt: Data
    /// Canonical JSON.
    public var body: String

    public init(salt: Data, body: String) {
        self.salt = salt
        self.body = body
    }

    public var digest: Data { HashChain.digest(personalData: body, salt: salt) }
}

/// The newest entry: where the next one chains from.
public struct ChainHead: Hashable, Sendable {
    public var seq: Int64
    public var hash: Data

    public init(seq: Int64, hash: Data) {
        self.seq = seq
        self.hash = hash
    }

    public static let genesis = ChainHead(seq: 0, hash: HashChain.genesis)
}

/// A sealed statement that the chain had this hash at this position: made every
/// `Ledger.checkpointInterval` entries and at the end of every write, authenticated with the
/// installation's secret, so that rewriting history or cutting off its end is detected.
public struct Checkpoint: Hashable, Sendable {
    public var seq: Int64
    public var hash: Data
    public var recordedAt: Timestamp
    public var mac: Data

    public init(seq: Int64, hash: Data, recordedAt: Timestamp, mac: Data) {
        self.seq = seq
        self.hash = hash
        self.recordedAt = recordedAt
        self.mac = mac
    }
}
