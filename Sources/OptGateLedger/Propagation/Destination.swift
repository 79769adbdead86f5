import Foundation
import OptGateCore

/// A system that sends marketing (an email or SMS provider, a CRM) and must learn of every opt-out,
/// consent and erasure: OptGate posts each change to its URL as a signed webhook.
///
/// Its signing secret is not stored: it is derived from the installation secret, the name and the
/// creation time (`LedgerSecret.destinationSecret`), so the database alone cannot forge webhooks.
public struct Destination: Hashable, Sendable {
    /// Unique, chosen by whoever added it (`[a-z0-9][a-z0-9_-]*`, at most 64 characters); part of
    /// every idempotency key. A removed destination keeps its name.
    public var name: String
    /// Where changes are posted (http or https).
    public var url: String
    public var kind: DestinationKind
    /// Hours within which a change must be confirmed, replacing the kind's deadline.
    public var deadlineHours: Int?
    public var createdAt: Timestamp
    /// When it was removed; a removed destination gets nothing new, and its deliveries stay listed.
    public var removedAt: Timestamp?
    /// The ledger position up to which changes were enqueued for it.
    public var cursor: Int64

    public init(
        name: String, url: String, kind: DestinationKind, deadlineHours: Int? = nil, createdAt: Timestamp,
        removedAt: Timestamp? = nil, cursor: Int64
    ) {
        self.name = name
        self.url = url
        self.kind = kind
        self.deadlineHours = deadlineHours
        self.createdAt = createdAt
        self.removedAt = removedAt
        self.cursor = cursor
    }

    /// The deadline this destination is held to.
    public var deadline: PropagationDeadline { deadlineHours.map(PropagationDeadline.hours) ?? kind.defaultDeadline }

    public var isActive: Bool { removedAt == nil }

    /// Whether `name` can name a destination.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64, isLowerAlphanumeric(first) else { return false }
        return name.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// What is wrong with `url` as a destination's address, or nil if nothing.
    public static func urlProblem(_ url: String) -> String? {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased() else {
            return "\"\(url)\" is not a URL"
        }
        guard scheme == "https" || scheme == "http" else {
            return "\"\(url)\" has the scheme \(scheme): use https (or http)"
        }
        guard let host = parsed.host, !host.isEmpty else { return "\"\(url)\" has no host" }
        return nil
    }

    /// The allowed names, for messages.
    public static let nameRule = "lower-case letters, digits, - and _, starting with a letter or digit, at most 64 characters"

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
