/// The person the message is for, as far as the law cares: where they are and what kind of
/// subscriber they are.
public struct Contact: Hashable, Sendable {
    public var id: String
    /// ISO 3166-1 alpha-2 country (`GB`), optionally with a subdivision (`US-CA`); nil when unknown.
    public var jurisdiction: JurisdictionCode?
    public var subscriber: SubscriberType

    public init(id: String, jurisdiction: JurisdictionCode?, subscriber: SubscriberType = .unknown) {
        self.id = id
        self.jurisdiction = jurisdiction
        self.subscriber = subscriber
    }
}

/// What kind of subscriber holds the address or line.
public enum SubscriberType: String, CaseIterable, Hashable, Sendable {
    case individual
    case soleTrader = "sole_trader"
    /// A partnership outside Scotland: an individual subscriber under PECR.
    case partnership
    /// A Scottish partnership is a legal person: a corporate subscriber under PECR reg 2(1).
    case scottishPartnership = "scottish_partnership"
    /// A company, LLP or other body corporate.
    case corporate
    /// Not known: treated as an individual, since the sender cannot show otherwise.
    case unknown

    /// A legal person distinct from its members (PECR reg 2(1) "corporate subscriber").
    public var isCorporate: Bool { self == .corporate || self == .scottishPartnership }
}

/// `GB`, `IE`, `US-CA`: a country code with an optional subdivision.
public struct JurisdictionCode: Hashable, Sendable, CustomStringConvertible {
    public let country: String
    public let subdivision: String?
    /// The country's two letters as one number (0 to 675), for table lookups.
    public let countryIndex: Int

    /// Parses `CC` or `CC-SSS` (upper-case letters and digits). Returns nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        func isCode(_ s: Substring, lengths: ClosedRange<Int>, lettersOnly: Bool) -> Bool {
            lengths.contains(s.utf8.count) && s.utf8.allSatisfy {
                ($0 >= 65 && $0 <= 90) || (!lettersOnly && $0 >= 48 && $0 <= 57)
            }
        }
        // "UK" is only exceptionally reserved in ISO 3166-1: the United Kingdom is GB. Accepting it
        // would silently apply the strictest rules to a UK recipient.
        guard let first = parts.first, isCode(first, lengths: 2...2, lettersOnly: true), first != "UK" else { return nil }
        country = String(first)
        let letters = Array(first.utf8)
        countryIndex = Int(letters[0] - 65) * 26 + Int(letters[1] - 65)
        if parts.count == 2 {
            guard isCode(parts[1], lengths: 1...3, lettersOnly: false) else { return nil }
            subdivision = String(parts[1])
        } else {
            subdivision = nil
        }
    }

    public var description: String { subdivision.map { "\(country)-\($0)" } ?? country }

    public static func == (lhs: JurisdictionCode, rhs: JurisdictionCode) -> Bool {
        lhs.country == rhs.country && lhs.subdivision == rhs.subdivision
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(country)
        hasher.combine(subdivision)
    }
}
