import Crypto
import Foundation
import OptGateCore

/// What an API key may do. A key holds one or more scopes; `admin` holds them all.
public enum APIScope: String, CaseIterable, Hashable, Sendable, Comparable {
    /// Record events and contact profiles.
    case eventsWrite = "events:write"
    /// Read a contact's profile, permissions and history.
    case contactsRead = "contacts:read"
    /// Ask for decisions (a decision for an actual send, with a message id, is recorded as evidence).
    case decisionsRead = "decisions:read"
    /// Record entities, catalogue products with their similarity assessments, policy and notices.
    case organisationWrite = "organisation:write"
    /// Export evidence packs and verify the audit chain.
    case evidenceRead = "evidence:read"
    /// Everything.
    case admin

    public static func < (a: APIScope, b: APIScope) -> Bool { a.rawValue < b.rawValue }

    /// Whether a key holding `scopes` may act under `self`.
    public func isGranted(by scopes: Set<APIScope>) -> Bool {
        scopes.contains(self) || scopes.contains(.admin)
    }
}

/// An API key as stored: its secret is kept only as a SHA-256 digest.
public struct APIKey: Hashable, Sendable {
    /// Public identifier, part of the token (`og_<id>_<secret>`), shown in listings and logs.
    public var id: String
    /// What the key is for, chosen by whoever created it.
    public var name: String
    public var scopes: Set<APIScope>
    /// Requests per second allowed (bursts up to twice as many); nil for no limit.
    public var ratePerSecond: Int?
    /// SHA-256 of the token's secret part.
    public var secretDigest: Data
    public var createdAt: Timestamp
    public var revokedAt: Timestamp?

    public init(
        id: String, name: String, scopes: Set<APIScope>, ratePerSecond: Int?, secretDigest: Data, createdAt: Timestamp,
        revokedAt: Timestamp? = nil
    ) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.ratePerSecond = ratePerSecond
        self.secretDigest = secretDigest
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// A new key with a fresh random token. The token is returned once and never stored.
    public static func generate(
        name: String, scopes: Set<APIScope>, ratePerSecond: Int?, at instant: Timestamp
    ) -> (key: APIKey, token: String) {
        let id = randomBase32(count: 10)
        let secret = randomBase32(count: 40)
        let key = APIKey(
            id: id, name: name, scopes: scopes, ratePerSecond: ratePerSecond, secretDigest: digest(secret), createdAt: instant)
        return (key, "og_\(id)_\(secret)")
    }

    /// The id and secret of a token, if it has the token's shape.
    public static func parse(token: String) -> (id: String, secret: String)? {
        let parts = token.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "og", parts[1].count == 10, parts[2].count == 40,
              (parts[1] + parts[2]).utf8.allSatisfy({ alphabet.utf8.contains($0) })
        else { return nil }
        return (String(parts[1]), String(parts[2]))
    }

    /// Whether `secret` is this key's (compared in constant time).
    public func accepts(secret: String) -> Bool {
        let candidate = Self.digest(secret)
        guard candidate.count == secretDigest.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(candidate, secretDigest) { difference |= a ^ b }
        return difference == 0
    }

    static func digest(_ secret: String) -> Data { Data(SHA256.hash(data: Data(secret.utf8))) }

    private static let alphabet = "abcdefghijklmnopqrstuvwxyz234567"

    /// `count` characters of base32 (5 random bits each) from the system's secure generator.
    private static func randomBase32(count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let letters = Array(alphabet)
        return String((0..<count).map { _ in letters[Int(generator.next() % 32)] })
    }
}

/// Where API keys are kept: beside the ledger, in the same database.
public protocol APIKeyStore: AnyObject, Sendable {
    func saveKey(_ key: APIKey) throws
    /// Every key, revoked ones included, oldest first.
    func keys() throws -> [APIKey]
    /// Marks a key revoked; false if there is no such key or it was already revoked.
    func revokeKey(id: String, at instant: Timestamp) throws -> Bool
}
