import OptGateCore
import OptGateScenario

/// What a campaign check found: how many recipients, sent to on which basis, left out for which
/// reason, soft opt-ins about to lapse, and who is unknown.
public struct CampaignSummary: Sendable {
    public var recipients = 0
    public var send = 0
    public var excluded = 0
    public var byBasis: [String: Int] = [:]
    /// Excluded recipients by reason code (a recipient may count under several reasons).
    public var byReason: [String: Int] = [:]
    /// Allowed sends whose ground lapses within 30 days: re-permission them now.
    public var lapsingWithin30Days = 0
    public var rules: Set<String> = []

    public init() {}

    public mutating func add(_ verdict: CampaignVerdict, now: Timestamp) {
        recipients += 1
        if let decision = verdict.decision { rules.insert(decision.rules) }
        if verdict.send, let basis = verdict.decision?.basis {
            send += 1
            byBasis[basis.rawValue, default: 0] += 1
            if verdict.lapses(within: 30, of: now) { lapsingWithin30Days += 1 }
        } else {
            excluded += 1
            for code in Set(verdict.exclusionCodes) { byReason[code, default: 0] += 1 }
        }
    }

    public var unknown: Int { byReason[CampaignVerdict.Unjudged.unknown.rawValue] ?? 0 }

    /// The summary as JSON members (the caller adds the campaign's own: message, time, file).
    public var members: [(String, String)] {
        let w = JSONWriter(pretty: false)
        func counts(_ map: [String: Int]) -> String {
            w.object(map.keys.sorted().map { ($0, String(map[$0]!)) })
        }
        return [
            ("recipients", String(recipients)), ("send", String(send)), ("excluded", String(excluded)),
            ("unknown", String(unknown)), ("by_basis", counts(byBasis)), ("by_reason", counts(byReason)),
            ("soft_opt_ins_lapsing_within_30_days", String(lapsingWithin30Days)),
            ("rules", w.array(rules.sorted().map(JSONWriter.quoted))),
        ]
    }
}
