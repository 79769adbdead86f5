import Crypto
import Foundation
import OptGateCore

/// The installation's secret: keys the hashes under which identifiers are looked up and kept on the
/// suppression list after erasure (so a list of emails cannot be hashed and compared without it),
/// and authenticates checkpoints (so a rewritten chain cannot be re-sealed without it).
public struct LedgerSecret: Sendable {
    /// The raw key material, for storing the secret in the data directory.
    public let bytes: [UInt8]
    private let box: KeyBox

    /// 32 bytes of key material.
    public init(bytes: [UInt8]) {
        precondition(bytes.count >= 32, "a ledger secret has at least 32 bytes")
        self.bytes = bytes
        box = KeyBox(SymmetricKey(data: bytes))
    }

    private var key: SymmetricKey { box.key }

    /// A fresh random secret.
    public static func generate() -> LedgerSecret {
        var generator = SystemRandomNumberGenerator()
        return LedgerSecret(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// HMAC-SHA256 of an identifier: the key it is looked up and suppressed under.
    public func key(for identifier: Identifier) -> Data {
        switch identifier.kind {
        case .email: return box.code("email:", identifier.value)
        case .phone: return box.code("phone:", identifier.value)
        }
    }

    /// HMAC-SHA256 of a contact id, keyed like an identifier (`contact:` cannot be an identifier's
    /// kind): the key a timeline snapshot finds a contact by its id under.
    public func key(forContactID id: String) -> Data {
        box.code("contact:", id)
    }

    /// The key that seals link keys at rest (HKDF-SHA256 from this secret).
    var linkKeyWrappingKey: SymmetricKey { derivedKey("optgate link keys") }

    /// A key for one purpose, derived from this secret (HKDF-SHA256, the purpose as `info`).
    func derivedKey(_ purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data(purpose.utf8), outputByteCount: 32)
    }

    /// HMAC-SHA256 of `message` under a key derived for `purpose`: keys for different purposes
    /// (form tokens, links) never authenticate each other's messages.
    public func authenticationCode(for message: some DataProtocol, purpose: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: derivedKey(purpose)))
    }

    /// The secret a destination's webhooks are signed with: hex HMAC-SHA256 of
    /// `destination:<name>:<created at, seconds since 1970>`. Derived, never stored, so the
    /// database alone cannot sign webhooks; whoever holds the installation secret can show it again.
    public func destinationSecret(name: String, createdAt: Timestamp) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("destination:\(name):\(createdAt.secondsSinceEpoch)".utf8), using: key)
        return Hex.string(code)
    }

    /// HMAC-SHA256 authenticating a checkpoint.
    func seal(_ message: Data) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }
}

/// Holds the key built once. `SymmetricKey` is immutable but not marked `Sendable` by swift-crypto.
private final class KeyBox: @unchecked Sendable {
    let key: SymmetricKey
    /// SHA-256 with the key's inner and outer HMAC pads already absorbed (RFC 2104): copied for
    /// each identifier, they save hashing the pads again. Immutable; each use works on its own copy.
    private let inner: SHA256
    private let outer: SHA256

    init(_ key: SymmetricKey) {
        self.key = key
        var block = key.withUnsafeBytes { Array($0) }
        if block.count > SHA256.blockByteCount { block = Array(SHA256.hash(data: block)) }
        block += [UInt8](repeating: 0, count: SHA256.blockByteCount - block.count)
        var inner = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(data: block.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
    }

    /// HMAC-SHA256 of `prefix` followed by `text`'s UTF-8 bytes.
    func code(_ prefix: StaticString, _ text: String) -> Data {
        var hash = inner
        hash.update(bufferPointer: UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
        var text = text
        text.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        let innerDigest = hash.finalize()
        var result = outer
        innerDigest.withUnsafeBytes { result.update(bufferPointer: $0) }
        return result.finalize().withUnsafeBytes { Data($0) }
    }
}
