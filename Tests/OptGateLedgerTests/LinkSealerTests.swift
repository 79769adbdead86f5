import Foundation
import Synchronization
import OptGateCore
import OptGateLedger
import OptGateSQLite
import Testing

/// Unsubscribe and preference links (issue: opt-out loop): sealed, unguessable, working at least
/// 60 days after the send (CASL s.11(1)(b), CRTC Reg s.3; CAN-SPAM 15 U.S.C. 7704(a)(3): 30 days),
/// and a forged or altered link reveals nothing and opens nothing.
@Suite("Link tokens")
struct LinkSealerTests {
    let secret = LedgerSecret(bytes: Array(repeating: 3, count: 32))
    let now = try! Timestamp(rfc3339: "2026-12-01T10:00:00Z")

    func sealer(_ keys: [LinkKey], validityDays: Int = 400) -> LinkSealer {
        LinkSealer(keys: keys, secret: secret, validityDays: validityDays)
    }

    func key(_ id: Int) throws -> LinkKey { try LinkKey.generate(id: id, at: now, secret: secret) }

    var token: LinkToken {
        LinkToken(contactID: "c-1042", entity: "acme", messageID: "spring-sale-2026/1042", channel: .email, issuedAt: now)
    }

    @Test("A sealed link opens to the same token")
    func roundTrip() throws {
        let s = sealer([try key(1)])
        let text = try s.seal(token)
        #expect(s.open(text, at: now) == token)
        #expect(text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    @Test("The link shows nothing of the contact, entity or message, and two seals differ")
    func revealsNothing() throws {
        let s = sealer([try key(1)])
        let a = try s.seal(token), b = try s.seal(token)
        #expect(a != b)
        for text in [a, b] {
            let decoded = Data(base64Encoded: text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + String(repeating: "=", count: (4 - text.count % 4) % 4))!
            let bytes = String(decoding: decoded, as: UTF8.self)
            for secretText in ["c-1042", "acme", "spring-sale"] { #expect(!bytes.contains(secretText)) }
        }
    }

    @Test("Every seal has its own nonce, across the random buffer's refills and from several threads; each opens")
    func noncesNeverRepeat() throws {
        let s = sealer([try key(1)])
        let texts = try (0..<4).map { _ in try (0..<800).map { _ in try s.seal(token) } }
        let concurrent = try ParallelSeals.run(s, token: token, threads: 4, each: 500)
        var nonces = Set<Data>()
        for text in texts.joined() + concurrent {
            let decoded = try #require(
                Data(base64Encoded: text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + String(repeating: "=", count: (4 - text.count % 4) % 4)),
                "not base64url: \(text)")
            nonces.insert(decoded.subdata(in: 2..<14))
            #expect(s.open(text, at: now) == token)
        }
        #expect(nonces.count == 3_200 + 2_000)
    }

    @Test("Every changed character, every truncation, and garbage open nothing")
    func tampering() throws {
        let s = sealer([try key(1)])
        let text = try s.seal(token)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var chars = Array(text)
        for i in chars.indices {
            let original = chars[i]
            chars[i] = alphabet.first { $0 != original }!
            #expect(s.open(String(chars), at: now) == nil, "changed at \(i)")
            chars[i] = original
        }
        for length in [0, 1, 10, text.count / 2, text.count - 1] {
            #expect(s.open(String(text.prefix(length)), at: now) == nil)
        }
        #expect(s.open(text + "A", at: now) == nil)
        for garbage in ["", "%00", "../../etc/passwd", String(repeating: "A", count: 5000), "not a link at all!"] {
            #expect(s.open(garbage, at: now) == nil)
        }
    }

    @Test("A link sealed under another installation's key, or re-sealed with a forged key id, opens nothing")
    func foreignKeys() throws {
        let other = LedgerSecret(bytes: Array(repeating: 9, count: 32))
        let foreignKey = try LinkKey.generate(id: 1, at: now, secret: other)
        let forged = try LinkSealer(keys: [foreignKey], secret: other, validityDays: 400).seal(token)
        #expect(sealer([try key(1)]).open(forged, at: now) == nil)
        // The foreign key's material stored here cannot even be unsealed: it seals nothing.
        #expect(!sealer([foreignKey]).canSeal)
    }

    @Test("Rotation keeps old links working; retiring a key voids its links")
    func rotation() throws {
        let first = try key(1), second = try key(2)
        let old = try sealer([first]).seal(token)
        let rotated = sealer([first, second])
        #expect(rotated.open(old, at: now) == token)
        let fresh = try rotated.seal(token)
        #expect(sealer([second]).open(fresh, at: now) == token)   // sealed by the newest key
        var retired = first
        retired.retiredAt = now
        #expect(sealer([retired, second]).open(old, at: now) == nil)
        #expect(sealer([retired, second]).open(fresh, at: now) == token)
    }

    @Test("CASL s.11(1)(b): a link works for its validity (at least 60 days), and not after")
    func expiry() throws {
        let s = sealer([try key(1)], validityDays: 60)
        let text = try s.seal(token)
        #expect(s.open(text, at: now.adding(days: 60)) == token)
        #expect(s.open(text, at: now.adding(days: 62)) == nil)
    }

    @Test("Keys persist sealed in the store; the first is made on first use")
    func store() throws {
        let directory = NSTemporaryDirectory() + "optgate-links-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteLedgerStore(path: directory + "/ledger.sqlite")
        #expect(try store.linkKeys().isEmpty)
        let keys = try store.linkKeysCreatingFirst(secret: secret, at: now)
        #expect(keys.map(\.id) == [1])
        #expect(try store.linkKeysCreatingFirst(secret: secret, at: now).map(\.id) == [1])
        let rotated = try store.rotateLinkKeys(secret: secret, at: now)
        #expect(rotated.id == 2)
        #expect(try store.retireLinkKey(id: 1, at: now))
        #expect(try !store.retireLinkKey(id: 1, at: now))
        #expect(try store.retireLinkKey(id: 2, at: now))
        // With every key retired, a new one is made on the next use.
        #expect(try store.linkKeysCreatingFirst(secret: secret, at: now).filter { $0.retiredAt == nil }.map(\.id) == [3])
        let material = try store.linkKeys().map(\.sealedMaterial)
        #expect(material.allSatisfy { $0.count == 12 + 32 + 16 })
    }
}

/// Seals from several threads at once.
enum ParallelSeals {
    static func run(_ sealer: LinkSealer, token: LinkToken, threads: Int, each: Int) throws -> [String] {
        let results = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let sealed = (0..<each).compactMap { _ in try? sealer.seal(token) }
            results.withLock { $0 += sealed }
        }
        return results.withLock { $0 }
    }
}
