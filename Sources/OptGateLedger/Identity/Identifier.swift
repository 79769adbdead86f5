import OptGateCore

/// A normalised way to reach a person: an email address (case-folded) or a phone number (E.164).
/// One contact is reachable by any of its identifiers; the same person imported twice with
/// differently written identifiers is one contact.
public struct Identifier: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case email, phone
    }

    public let kind: Kind
    /// The normalised value: `ann@example.com`, `+447700900123`.
    public let value: String

    public var description: String { "\(kind.rawValue):\(value)" }

    /// Why a text is not a usable identifier.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// An email address, trimmed and case-folded. Rejects anything without exactly one `@`, an empty
    /// local part, or a domain without a dot.
    public static func email(_ raw: String) throws(Invalid) -> Identifier {
        if let fast = asciiEmail(raw) {
            guard let value = fast else { throw Invalid(description: "\"\(raw)\" is not an email address") }
            return Identifier(kind: .email, value: value)
        }
        let text = raw.trimmingWhitespace().lowercased()
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
              !parts[1].hasSuffix("."), !text.contains(where: { $0 == " " || $0 == "," || $0 == ";" })
        else { throw Invalid(description: "\"\(raw)\" is not an email address") }
        return Identifier(kind: .email, value: text)
    }

    /// The same checks as `email`, in one pass over the bytes, for the usual address: ASCII, with
    /// no whitespace at either end. Nil when the address is not of that kind (the general path
    /// decides); `.some(nil)` when it is, and is not an email address.
    private static func asciiEmail(_ raw: String) -> String?? {
        var raw = raw
        return raw.withUTF8 { bytes -> String?? in
            guard let first = bytes.first, let last = bytes.last, first > 0x20, last > 0x20 else { return nil }
            var at = -1
            var ats = 0
            var lowered = [UInt8](repeating: 0, count: bytes.count)
            for (i, byte) in bytes.enumerated() {
                guard byte < 0x80 else { return nil }
                switch byte {
                case 0x40:
                    ats += 1
                    at = i
                case 0x20, 0x2C, 0x3B: return .some(nil)
                default: break
                }
                lowered[i] = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            }
            guard ats == 1, at > 0 else { return .some(nil) }
            let domain = lowered[(at + 1)...]
            guard domain.contains(0x2E), domain.first != 0x2E, domain.last != 0x2E else { return .some(nil) }
            return .some(String(decoding: lowered, as: UTF8.self))
        }
    }

    /// A phone number in E.164. International forms (`+44 7700 900123`, `0044 7700 900123`) are
    /// accepted anywhere; a national form (`07700 900123`) only with the contact's country.
    public static func phone(_ raw: String, country: String? = nil) throws(Invalid) -> Identifier {
        var digits = ""
        var international = false
        for (i, c) in raw.trimmingWhitespace().enumerated() {
            if c == "+" && i == 0 { international = true; continue }
            if c.isASCII, c.isNumber { digits.append(c); continue }
            if " -().".contains(c) { continue }
            throw Invalid(description: "\"\(raw)\" is not a phone number (unexpected \"\(c)\")")
        }
        if !international, digits.hasPrefix("00") {
            international = true
            digits.removeFirst(2)
        }
        if !international {
            guard let country, let plan = nationalPlans[country] else {
                throw Invalid(description: "\"\(raw)\" has no country code: write it as +<country code><number>, or give the contact's jurisdiction")
            }
            if plan.dropsTrunkZero {
                guard digits.hasPrefix("0") else {
                    throw Invalid(description: "\"\(raw)\" is not a national number for \(country) (expected a leading 0)")
                }
                digits.removeFirst()
            } else if plan.code == "1", digits.count == 11, digits.hasPrefix("1") {
                digits.removeFirst()
            }
            digits = plan.code + digits
        }
        guard (8...15).contains(digits.count), digits.first != "0" else {
            throw Invalid(description: "\"\(raw)\" is not a valid international number (E.164 has 8 to 15 digits)")
        }
        return Identifier(kind: .phone, value: "+" + digits)
    }

    /// Country calling codes for national numbers in the jurisdictions OptGate has rule sets for.
    private static let nationalPlans: [String: (code: String, dropsTrunkZero: Bool)] = [
        "GB": ("44", true), "IE": ("353", true), "DE": ("49", true), "FR": ("33", true), "NL": ("31", true),
        "IT": ("39", false), "ES": ("34", false), "BE": ("32", true), "AT": ("43", true), "SE": ("46", true),
        "US": ("1", false), "CA": ("1", false),
    ]
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        // The usual case: nothing to trim.
        let text = String(self)
        if let first = text.utf8.first, let last = text.utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return text }
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
