import OptGateCore

/// A few excluded recipients per reason, kept as the audience streams by (bounded: `perReason` each),
/// so that a report can show what each reason looks like with its evidence.
public struct CampaignSamples: Sendable {
    public let perReason: Int
    public private(set) var byReason: [String: [CampaignVerdict]] = [:]

    public init(perReason: Int = 3) { self.perReason = perReason }

    public mutating func add(_ verdict: CampaignVerdict) {
        guard !verdict.send, let code = verdict.firstExclusionCode else { return }
        if byReason[code, default: []].count < perReason { byReason[code, default: []].append(verdict) }
    }

    /// Adds the samples of the part of the audience after this one: the first ones of each reason stay.
    public mutating func merge(_ later: CampaignSamples) {
        for (code, verdicts) in later.byReason {
            let room = perReason - byReason[code, default: []].count
            if room > 0 { byReason[code, default: []] += verdicts.prefix(room) }
        }
    }
}

/// What a compliance officer should look at before the send, found in the message, the catalogue
/// and the results.
public enum CampaignWarning: Hashable, Sendable {
    case noOptOut
    case senderConcealed
    case productWithoutAssessment(String)
    case manyUnknown(Int, of: Int)
    case lapsing(Int)
    case insecureLinks(String)

    public var text: String {
        switch self {
        case .noOptOut:
            return "The message carries no opt-out: no marketing message may go out without one (PECR reg 23(b); CAN-SPAM 7704(a)(3); CASL s.6(2)(c))."
        case .senderConcealed:
            return "The message hides the sender: every recipient is refused (PECR reg 23(a); CAN-SPAM 7704(a)(1))."
        case .productWithoutAssessment(let id):
            return "Product \(id) has no documented similarity assessment: the soft opt-in covers it only for people who bought exactly it (PECR reg 22(3)(b))."
        case .manyUnknown(let count, let total):
            return "\(count) of \(total) recipients are unknown to OptGate: with no record of permission they are excluded. Was the right list uploaded?"
        case .lapsing(let count):
            return count == 1
                ? "1 soft opt-in lapses within 30 days: ask that customer for consent now."
                : "\(count) soft opt-ins lapse within 30 days: ask those customers for consent now."
        case .insecureLinks(let base):
            return "Unsubscribe links use \(base), not HTTPS: mailbox providers ignore them (RFC 8058 §3.1). Set public_url."
        }
    }

    /// The warnings about a message before any recipient is judged.
    public static func about(_ message: Message, catalogue: Catalogue) -> [CampaignWarning] {
        var warnings: [CampaignWarning] = []
        if message.purpose.isDirectMarketing && !message.includesOptOut { warnings.append(.noOptOut) }
        if !message.identifiesSender { warnings.append(.senderConcealed) }
        for id in message.products {
            if let product = catalogue.product(id), product.similarTo.isEmpty, catalogue.sameOrSimilar(id).count == 1 {
                warnings.append(.productWithoutAssessment(id))
            }
        }
        return warnings
    }
}
