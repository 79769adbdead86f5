import OptGateCore
import OptGateScenario

/// What a campaign check found: how many recipients, sent to on which basis, left out for which
/// reason, soft opt-ins about to lapse, and who is unknown.
public struct CampaignSummary: Sendable {
    public var recipients = 0
    public var send = 0
    public var excluded = 0
    public var lapsingWithin30Days = 0
    // Tallied by enumeration (cheap to hash), named only when read.
    private var basisCounts: [Basis: Int] = [:]
    private var reasonCounts: [ReasonCode: Int] = [:]
    private var unjudgedCounts: [CampaignVerdict.Unjudged: Int] = [:]
    /// The rule sets applied, in the order first met (a handful per campaign).
    private var ruleSets: [String] = []

    public init() {}

    /// Sends by basis.
    public var byBasis: [String: Int] {
        Dictionary(uniqueKeysWithValues: basisCounts.map { ($0.key.rawValue, $0.value) })
    }

    /// Excluded recipients by reason code: each recipient counted once under each code it fails.
    public var byReason: [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: reasonCounts.map { ($0.key.rawValue, $0.value) })
        for (unjudged, count) in unjudgedCounts { counts[unjudged.rawValue] = count }
        return counts
    }

    /// The rule sets the decisions applied.
    public var rules: Set<String> { Set(ruleSets) }

    public mutating func add(_ verdict: CampaignVerdict, now: Timestamp) {
        recipients += 1
        if let decision = verdict.decision, !ruleSets.contains(decision.rules) { ruleSets.append(decision.rules) }
        if verdict.send, let basis = verdict.decision?.basis {
            send += 1
            basisCounts[basis, default: 0] += 1
            if verdict.lapses(within: 30, of: now) { lapsingWithin30Days += 1 }
        } else {
            excluded += 1
            if let unjudged = verdict.unjudged {
                unjudgedCounts[unjudged, default: 0] += 1
            } else if let reasons = verdict.decision?.reasons {
                var counted: [ReasonCode] = []
                for index in reasons.indices {
                    let code = reasons[index].code
                    guard !code.isGround, !counted.contains(code) else { continue }
                    counted.append(code)
                    reasonCounts[code, default: 0] += 1
                }
            }
        }
    }

    /// Adds another part of the same audience's counts.
    public mutating func merge(_ other: CampaignSummary) {
        recipients += other.recipients
        send += other.send
        excluded += other.excluded
        lapsingWithin30Days += other.lapsingWithin30Days
        basisCounts.merge(other.basisCounts, uniquingKeysWith: +)
        reasonCounts.merge(other.reasonCounts, uniquingKeysWith: +)
        unjudgedCounts.merge(other.unjudgedCounts, uniquingKeysWith: +)
        for rules in other.ruleSets where !ruleSets.contains(rules) { ruleSets.append(rules) }
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
