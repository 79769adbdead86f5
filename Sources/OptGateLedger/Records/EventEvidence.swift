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
        if address.contains(":") {
            let groups = address.split(separator: ":", omittingEmptySubsequences: false).prefix(3)
            return groups.joined(separator: ":") + "::"
        }
        let octets = address.split(separator: ".")
        guard octets.count == 4 else { return String(address.prefix(16)) }
        return octets.prefix(3).joined(separator: ".") + ".0"
    }
}
