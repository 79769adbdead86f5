import Crypto
import Foundation
import OptGateCore

/// Seals link tokens into URL-safe strings and opens them again (ChaCha20-Poly1305, authenticated
/// encryption): a sealed token reveals nothing of the contact, the entity or the message, and any
/// change to it, a truncation, or a token sealed under a retired or foreign key opens to nothing.
/// Callers answer every such failure the same way as an unknown link.
///
/// Form: base64url (no padding) of `[key id u16][nonce 12][ciphertext][tag 16]`.
public struct LinkSealer: Sendable {
    private let sealing: (id: Int, key: KeyHolder)?
    private let opening: [Int: KeyHolder]
    /// Days a link keeps working after it was issued.
    public let validityDays: Int

    /// Keys that cannot be unsealed with `secret` are ignored; retired keys open nothing.
    public init(keys: [LinkKey], secret: LedgerSecret, validityDays: Int) {
        var opening: [Int: KeyHolder] = [:]
        var newest: (id: Int, key: KeyHolder)?
        for key in keys where key.retiredAt == nil && (0...Int(UInt16.max)).contains(key.id) {
            guard let material = key.material(secret: secret) else { continue }
            let holder = KeyHolder(material)
            opening[key.id] = holder
            if newest == nil || key.id > newest!.id { newest = (key.id, holder) }
        }
        self.opening = opening
        sealing = newest
        self.validityDays = validityDays
    }

    /// Whether a key is available to seal new links.
    public var canSeal: Bool { sealing != nil }

    /// The sealed, URL-safe form of a token.
    public func seal(_ token: LinkToken) throws -> String {
        guard let sealing else { throw NoLinkKey() }
        let box = try ChaChaPoly.seal(Data(token.bytes), using: sealing.key.key, authenticating: Self.header(sealing.id))
        return Base64URL.encode(Self.header(sealing.id) + box.combined)
    }

    /// The token a link stands for, if it was sealed here, is intact, and has not expired at `instant`.
    public func open(_ text: some StringProtocol, at instant: Timestamp) -> LinkToken? {
        guard text.utf8.count <= 1024, let bytes = Base64URL.decode(text), bytes.count > 2 + 12 + 16 else { return nil }
        let id = Int(bytes[0]) << 8 | Int(bytes[1])
        guard let holder = opening[id],
              let box = try? ChaChaPoly.SealedBox(combined: bytes.dropFirst(2)),
              let plain = try? ChaChaPoly.open(box, using: holder.key, authenticating: Self.header(id)),
              let token = LinkToken(bytes: Array(plain)), token.isValid(at: instant, validityDays: validityDays)
        else { return nil }
        return token
    }

    private static func header(_ id: Int) -> Data { Data([UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)]) }

    public struct NoLinkKey: Error, CustomStringConvertible {
        public var description: String { "no link key is available: run `optgate links rotate` to make one" }
    }
}

/// Holds a key built once (`SymmetricKey` is not marked `Sendable` by swift-crypto).
private final class KeyHolder: @unchecked Sendable {
    let key: SymmetricKey
    init(_ key: SymmetricKey) { self.key = key }
}

/// RFC 4648 §5 base64url without padding.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: some StringProtocol) -> Data? {
        guard text.utf8.allSatisfy({ byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
        }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let remainder = base64.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { base64 += String(repeating: "=", count: 4 - remainder) }
        // Only the one canonical spelling: unused low bits in the last character must be zero, so
        // that no two strings stand for the same link.
        guard let data = Data(base64Encoded: base64), encode(data) == text else { return nil }
        return data
    }
}
