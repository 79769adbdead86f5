import OptGateCore

/// Writes the rule catalogue as JSON.
public enum RuleCatalogueEncoder {
    public static func json(_ rules: [Rule]) -> String {
        let w = JSONWriter(pretty: true)
        return w.array(rules.map { rule in
            w.object([
                ("id", JSONWriter.quoted(rule.id)),
                ("jurisdiction", JSONWriter.quoted(rule.jurisdiction)),
                ("citation", JSONWriter.quoted(rule.citation)),
                ("in_force_from", JSONWriter.quoted(rule.inForceFrom.dayText)),
                ("in_force_until", rule.inForceUntil.map { JSONWriter.quoted($0.dayText) } ?? "null"),
                ("summary", JSONWriter.quoted(rule.summary)),
            ])
        })
    }
}
