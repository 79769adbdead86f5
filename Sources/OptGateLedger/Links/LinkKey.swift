import Crypto
import Foundation
import OptGateCore

/// A key that seals link tokens. The newest key that is not retired seals new links; every key
/// that is not retired opens them, so rotating keys (`optgate links rotate`) breaks no link already
/// sent, and retiring a key (after a leak) voids every link it sealed.
///
/// At rest the key material is itself sealed (AES-GCM) under a key derived from the installation
/// secret: a copy of the database alone cannot make or read links.
public struct LinkKey: Hashable, Sendable {
    public var id: Int
    public var createdAt: Timestamp
    public var retiredAt: Timestamp?
    /// The key material sealed under the installation secret.
    public var sealedMaterial: Data

    public init(id: Int, createdAt: Timestamp, retiredAt: Timestamp? = nil, sealedMaterial: Data) {
        self.id = id
        self.createdAt = createdAt
        self.retiredAt = retiredAt
        self.sealedMaterial = sealedMaterial
    }

    /// A fresh random key, numbered `id`.
    public static func generate(id: Int, at instant: Timestamp, secret: LedgerSecret) throws -> LinkKey {
        let material = SymmetricKey(size: .bits256)
        let sealed = try AES.GCM.seal(material.withUnsafeBytes { Data($0) }, using: secret.linkKeyWrappingKey,
                                      authenticating: Data("optgate link key \(id)".utf8))
        return LinkKey(id: id, createdAt: instant, sealedMaterial: sealed.combined!)
    }

    /// The key material, or nil if it was not sealed under this installation's secret.
    func material(secret: LedgerSecret) -> SymmetricKey? {
        guard let box = try? AES.GCM.SealedBox(combined: sealedMaterial),
              let bytes = try? AES.GCM.open(box, using: secret.linkKeyWrappingKey, authenticating: Data("optgate link key \(id)".utf8))
        else { return nil }
        return SymmetricKey(data: bytes)
    }
}

/// Where link keys are kept: beside the ledger, outside the hash chain (they are access control,
/// not evidence).
public protocol LinkKeyStore: AnyObject, Sendable {
    func saveLinkKey(_ key: LinkKey) throws
    /// Every key, retired ones included, oldest first.
    func linkKeys() throws -> [LinkKey]
    /// Marks a key retired; false if there is no such key or it was already retired.
    func retireLinkKey(id: Int, at instant: Timestamp) throws -> Bool
}

extension LinkKeyStore {
    /// The keys, with a new one made if none is in use (so links work with no setup, and after the
    /// last key in use was retired).
    public func linkKeysCreatingFirst(secret: LedgerSecret, at instant: Timestamp) throws -> [LinkKey] {
        let keys = try linkKeys()
        if keys.contains(where: { $0.retiredAt == nil }) { return keys }
        _ = try rotateLinkKeys(secret: secret, at: instant)
        return try linkKeys()
    }

    /// Makes a new key that seals links from now on; returns it.
    public func rotateLinkKeys(secret: LedgerSecret, at instant: Timestamp) throws -> LinkKey {
        let next = (try linkKeys().map(\.id).max() ?? 0) + 1
        let key = try LinkKey.generate(id: next, at: instant, secret: secret)
        try saveLinkKey(key)
        return key
    }
}
