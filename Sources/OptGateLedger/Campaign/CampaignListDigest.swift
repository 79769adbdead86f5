import Crypto

/// The SHA-256 of a list a campaign check wrote (send.csv, excluded.csv), taken over its bytes as
/// they are written. Recorded with the campaign, it ties the file kept with the send to the check in
/// the ledger: `sha256sum send.csv` must give the recorded value.
public struct CampaignListDigest {
    private var hasher = SHA256()

    public init() {}

    public mutating func update(_ bytes: [UInt8]) {
        hasher.update(data: bytes)
    }

    /// The digest, lower-case hex (as `sha256sum` prints it).
    public func hex() -> String {
        Hex.string(hasher.finalize())
    }
}
