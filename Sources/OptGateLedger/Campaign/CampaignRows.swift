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

    /// The links a recipient's message carries (nil for channels without them).
    public struct Links: Sendable {
        public var unsubscribe: String
        public var preferences: String
        /// Email: the RFC 8058 header pair is filled in.
        public var headers: Bool

        public init(unsubscribe: String, preferences: String, headers: Bool) {
            self.unsubscribe = unsubscribe
            self.preferences = preferences
            self.headers = headers
        }
    }

    public static func header(_ names: [String]) -> String { names.joined(separator: ",") + "\n" }

    /// A send row. The verdict must be a send.
    public static func send(_ verdict: CampaignVerdict, links: Links?, now: Timestamp) -> String {
        let decision = verdict.decision!
        return line([
            String(verdict.line), verdict.recipient, verdict.contactID ?? "", decision.basis?.rawValue ?? "",
            decision.requirements.list.map(\.rawValue).joined(separator: ";"), decision.validUntil?.rfc3339 ?? "",
            verdict.lapses(within: 30, of: now) ? "true" : "false",
            links.map { $0.headers ? "<\($0.unsubscribe)>" : "" } ?? "",
            links.map { $0.headers ? "List-Unsubscribe=One-Click" : "" } ?? "",
            links?.unsubscribe ?? "", links?.preferences ?? "",
        ])
    }

    /// An excluded row: every failing reason's code, and the first one in words.
    public static func excluded(_ verdict: CampaignVerdict) -> String {
        let detail: String
        if let problem = verdict.problem {
            detail = problem
        } else if let unjudged = verdict.unjudged {
            detail = unjudged == .suppressed
                ? "the person's data was erased; the address stays on the suppression list"
                : "no contact has this \(verdict.recipient.contains("@") ? "email" : "identifier"): with no record of permission, do not send"
        } else {
            detail = verdict.decision?.reasons.first { !$0.code.isGround }?.detail ?? ""
        }
        return line([String(verdict.line), verdict.recipient, verdict.contactID ?? "", verdict.exclusionCodes.joined(separator: ";"), detail])
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
