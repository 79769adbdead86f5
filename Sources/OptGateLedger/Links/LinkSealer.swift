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
    /// Random nonces, drawn from the system's generator a few hundred at a time (a campaign check
    /// seals a link for every recipient it sends to).
    private let nonces = NonceSource()

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
        let header = Self.header(sealing.id)
        let nonce = try ChaChaPoly.Nonce(data: nonces.next())
        let box = try ChaChaPoly.seal(token.bytes, using: sealing.key.key, nonce: nonce, authenticating: header)
        var bytes = header
        bytes.reserveCapacity(2 + 12 + 16 + 64)
        box.combined.withUnsafeBytes { bytes.append(contentsOf: $0) }
        return Base64URL.encode(bytes)
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

    private static func header(_ id: Int) -> [UInt8] { [UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)] }

    public struct NoLinkKey: Error, CustomStringConvertible {
        public var description: String { "no link key is available: run `optgate links rotate` to make one" }
    }
}

/// 96-bit nonces from the operating system's cryptographic random source, drawn 341 at a time
/// (4,092 bytes) instead of one draw per nonce. Each nonce is used once: the buffer is consumed,
/// never reread, and refilled whole.
private final class NonceSource: @unchecked Sendable {
    private static let size = 12
    private let lock = NSLock()
    private var buffer = [UInt8](repeating: 0, count: 4_092)
    private var position = 4_092

    func next() -> ArraySlice<UInt8> {
        lock.lock()
        defer { lock.unlock() }
        if position + Self.size > buffer.count {
            buffer.withUnsafeMutableBytes { SystemRandom.fill($0) }
            position = 0
        }
        defer { position += Self.size }
        return buffer[position..<position + Self.size]
    }
}

/// Fills a buffer with cryptographically random bytes, in one draw (swift-crypto's key generation
/// reads the system's secure generator through BoringSSL).
enum SystemRandom {
    static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        let key = SymmetricKey(size: SymmetricKeySize(bitCount: buffer.count * 8))
        key.withUnsafeBytes { random in buffer.copyMemory(from: random) }
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

    static func encode(_ data: [UInt8]) -> String {
        let length = (data.count * 4 + 2) / 3
        return String(unsafeUninitializedCapacity: length) { out in
            data.withUnsafeBufferPointer { bytes in
                var o = 0
                var i = 0
                while i < bytes.count {
                    let a = bytes[i]
                    let b: UInt8? = i + 1 < bytes.count ? bytes[i + 1] : nil
                    let c: UInt8? = i + 2 < bytes.count ? bytes[i + 2] : nil
                    out[o] = alphabet[Int(a >> 2)]
                    out[o + 1] = alphabet[Int((a & 0x03) << 4 | (b ?? 0) >> 4)]
                    o += 2
                    if let b { out[o] = alphabet[Int((b & 0x0F) << 2 | (c ?? 0) >> 6)]; o += 1 }
                    if let c { out[o] = alphabet[Int(c & 0x3F)]; o += 1 }
                    i += 3
                }
                return o
            }
        }
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
