import OptGateCore

/// Writes a decision as the contract's JSON: `allowed`, `basis`, `reasons` (code, rule, detail, and
/// the rule's id), `requirements`, `valid_until`, `rules`.
public enum DecisionEncoder {
    public static func json(_ decision: Decision, pretty: Bool = true) -> String {
        guard pretty else {
            var out = "{"
            appendMembers(decision, to: &out)
            return out + "}"
        }
        return JSONWriter(pretty: true).object(members(decision, pretty: true))
    }

    /// The decision's members as compact JSON, appended to `out` without braces (the server writes
    /// them into its answers; this runs for every decision answered, so it builds no arrays).
    public static func appendMembers(_ decision: Decision, to out: inout String) {
        out += decision.allowed ? "\"allowed\":true,\"basis\":" : "\"allowed\":false,\"basis\":"
        if let basis = decision.basis { out += "\""; out += basis.rawValue; out += "\"" } else { out += "null" }
        out += ",\"reasons\":["
        for (index, reason) in decision.reasons.enumerated() {
            if index > 0 { out += "," }
            out += "{\"code\":\""
            out += reason.code.rawValue
            out += "\",\"rule\":"
            JSONWriter.appendQuoted(reason.rule.citation, to: &out)
            out += ",\"rule_id\":"
            JSONWriter.appendQuoted(reason.rule.id, to: &out)
            out += ",\"detail\":"
            JSONWriter.appendQuoted(reason.detail, to: &out)
            out += "}"
        }
        out += "],\"requirements\":["
        for (index, requirement) in decision.requirements.list.enumerated() {
            out += index == 0 ? "\"" : ",\""
            out += requirement.rawValue
            out += "\""
        }
        out += "],\"valid_until\":"
        if let until = decision.validUntil { out += "\""; out += until.rfc3339; out += "\"" } else { out += "null" }
        out += ",\"rules\":"
        JSONWriter.appendQuoted(decision.rules, to: &out)
    }

    /// The decision's members, for the pretty form.
    private static func members(_ decision: Decision, pretty: Bool) -> [(String, String)] {
        let w = JSONWriter(pretty: pretty)
        let reasons = decision.reasons.map { reason in
            w.object([
                ("code", JSONWriter.quoted(reason.code.rawValue)),
                ("rule", JSONWriter.quoted(reason.rule.citation)),
                ("rule_id", JSONWriter.quoted(reason.rule.id)),
                ("detail", JSONWriter.quoted(reason.detail)),
            ])
        }
        return [
            ("allowed", decision.allowed ? "true" : "false"),
            ("basis", decision.basis.map { JSONWriter.quoted($0.rawValue) } ?? "null"),
            ("reasons", w.array(reasons)),
            ("requirements", w.array(decision.requirements.list.map { JSONWriter.quoted($0.rawValue) }, multiline: false)),
            ("valid_until", decision.validUntil.map { JSONWriter.quoted($0.rfc3339) } ?? "null"),
            ("rules", JSONWriter.quoted(decision.rules)),
        ]
    }

    /// The decision as a compliance officer reads it.
    public static func text(_ decision: Decision) -> String {
        var lines: [String] = []
        if decision.allowed {
            lines.append("ALLOWED on the basis of \(decision.basis.map(basisName) ?? "?")")
        } else {
            lines.append("NOT ALLOWED")
        }
        lines.append("Rule set: \(decision.rules)")
        if let until = decision.validUntil {
            lines.append("Valid until: \(until.rfc3339) (the basis lapses then unless new events renew it)")
        }
        lines.append("")
        lines.append(decision.allowed ? "Why:" : "Every condition that failed:")
        for reason in decision.reasons {
            let mark = reason.code.isGround ? "+" : "-"
            lines.append("  \(mark) \(reason.detail)")
            lines.append("      \(reason.code.rawValue), \(reason.rule.citation) [\(reason.rule.id)]")
        }
        if !decision.requirements.isEmpty {
            lines.append("")
            lines.append("The message must:")
            for requirement in decision.requirements.list {
                lines.append("  * \(requirement.explanation) [\(requirement.rawValue)]")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func basisName(_ basis: Basis) -> String {
        switch basis {
        case .consent: return "consent"
        case .softOptIn: return "the soft opt-in (existing customer)"
        case .charitySoftOptIn: return "the charity soft opt-in"
        case .impliedConsent: return "implied consent"
        case .noConsentNeeded: return "no consent needed"
        case .notMarketing: return "not marketing"
        }
    }
}
