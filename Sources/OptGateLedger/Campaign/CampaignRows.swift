import OptGateCore

/// The rows a campaign check writes, as CSV (RFC 4180): the recipients to send to, with what the
/// message must carry for each, and the excluded ones with their reasons. The send list is what an
/// email or SMS platform imports.
public enum CampaignRows {
    public static let sendHeader = [
        "line", "recipient", "contact", "basis", "requirements", "valid_until", "lapses_within_30_days",
        "list_unsubscribe", "list_unsubscribe_post", "unsubscribe_url", "preferences_url",
    ]
    public static let excludedHeader = ["line", "recipient", "contact", "reasons", "detail"]

    public static func header(_ names: [String]) -> String { names.joined(separator: ",") + "\n" }

    /// A send row. The verdict must be a send.
    public static func send(_ verdict: CampaignVerdict, links: MessageLinks?, now: Timestamp) -> String {
        let decision = verdict.decision!
        return line([
            String(verdict.line), verdict.recipient, verdict.contactID ?? "", decision.basis?.rawValue ?? "",
            decision.requirements.list.map(\.rawValue).joined(separator: ";"), decision.validUntil?.rfc3339 ?? "",
            verdict.lapses(within: 30, of: now) ? "true" : "false",
            links?.listUnsubscribe ?? "",
            links?.listUnsubscribe == nil ? "" : MessageLinks.listUnsubscribePost,
            links?.unsubscribeURL ?? "", links?.preferencesURL ?? "",
        ])
    }

    /// An excluded row: every failing reason's code, and the first one in words.
    public static func excluded(_ verdict: CampaignVerdict) -> String {
        line([String(verdict.line), verdict.recipient, verdict.contactID ?? "", verdict.exclusionCodes.joined(separator: ";"),
              verdict.exclusionDetail ?? ""])
    }

    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }

    /// A field, quoted when it holds a comma, a quote or a line break (quotes doubled).
    static func field(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
