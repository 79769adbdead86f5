import Foundation

/// A record with the parts of its stored form that depend on nothing in the ledger: the canonical
/// encoding, and its personal data salted and digested. Preparing is the same work whether it runs
/// in `LedgerSession.append` or ahead of it on another thread (the import's reader prepares the
/// next lines while the session appends earlier ones).
public struct PreparedRecord: Sendable {
    public let record: LedgerRecord
    let encoded: RecordCodec.Encoded
    /// The personal data with its salt, or nil when the record has none.
    let personalData: SealedPersonalData?
    /// `personalData`'s digest, the part of it the chain hashes.
    let personalDataDigest: Data?

    init(_ record: LedgerRecord, salts: inout SaltSource) {
        self.record = record
        encoded = RecordCodec.encode(record)
        personalData = encoded.personalData.map { SealedPersonalData(salt: salts.next(), body: $0) }
        personalDataDigest = personalData?.digest
    }
}
