/// How an event was captured: the proof a regulator asks for besides the event itself.
public struct EventEvidence: Hashable, Sendable {
    /// Where it was captured: a form, a checkout step, a call script.
    public var collectionPoint: String?
    /// Who recorded it: a system or a staff member's id.
    public var actor: String?
    /// The person's IP address, truncated on capture (IPv4 to /24, IPv6 to /48). Personal data.
    public var ip: String?
    /// The person's browser user agent. Personal data.
    public var userAgent: String?
    /// Why the person made the choice, when they chose to say (a code such as `too_many`, never
    /// free text: it is not personal data).
    public var reason: String?

    public init(collectionPoint: String? = nil, actor: String? = nil, ip: String? = nil, userAgent: String? = nil, reason: String? = nil) {
        self.collectionPoint = collectionPoint
        self.actor = actor
        self.ip = ip.map(Self.truncate)
        self.userAgent = userAgent
        self.reason = reason
    }

    public var isEmpty: Bool { collectionPoint == nil && actor == nil && ip == nil && userAgent == nil && reason == nil }

    /// Drops the host part of an address: `203.0.113.77` → `203.0.113.0`, `2001:db8:85a3:8d3::1` →
    /// `2001:db8:85a3::`. Anything else is kept only as far as its first 3 groups.
    public static func truncate(_ address: String) -> String {
        // The usual dotted quad (digits, three single dots, none at either end): cut at the last dot.
        if let cut = address.utf8.withContiguousStorageIfAvailable(dottedQuadHostStart) ?? nil {
            return String(decoding: address.utf8.prefix(cut), as: UTF8.self) + "0"
        }
        if address.contains(":") {
            let groups = address.split(separator: ":", omittingEmptySubsequences: false).prefix(3)
            return groups.joined(separator: ":") + "::"
        }
        let octets = address.split(separator: ".")
        guard octets.count == 4 else { return String(address.prefix(16)) }
        return octets.prefix(3).joined(separator: ".") + ".0"
    }

    /// Where the host octet of a plain dotted quad starts, or nil for any other text.
    private static func dottedQuadHostStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var dots = 0
        var lastDot = -1
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: ".") {
                guard index > lastDot + 1 else { return nil }
                dots += 1
                lastDot = index
            } else if !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                return nil
            }
        }
        guard dots == 3, lastDot < bytes.count - 1 else { return nil }
        return lastDot + 1
    }
}
