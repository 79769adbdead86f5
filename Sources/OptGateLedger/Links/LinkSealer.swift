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

/// RFC 4648 §5 base64url without padding, byte by byte (links are opened on every click).
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    static func encode(_ data: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((data.count * 4 + 2) / 3)
        var iterator = data.makeIterator()
        while let a = iterator.next() {
            let b = iterator.next(), c = iterator.next()
            out.append(alphabet[Int(a >> 2)])
            out.append(alphabet[Int((a & 0x03) << 4 | (b ?? 0) >> 4)])
            if let b { out.append(alphabet[Int((b & 0x0F) << 2 | (c ?? 0) >> 6)]) }
            if let c { out.append(alphabet[Int(c & 0x3F)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of canonical base64url text (no padding; unused low bits of the last character
    /// zero), so that no two strings stand for the same link; nil for anything else.
    static func decode(_ text: some StringProtocol) -> Data? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 4 != 1 else { return nil }
        var out = Data()
        out.reserveCapacity(utf8.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for c in utf8 {
            let value = values[Int(c)]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return out
    }
}
