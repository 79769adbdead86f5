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
        var bytes: [UInt8] = []
        appendSend(verdict, links: links, now: now, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An excluded row: every failing reason's code, and the first one in words.
    public static func excluded(_ verdict: CampaignVerdict) -> String {
        var bytes: [UInt8] = []
        appendExcluded(verdict, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends a send row's bytes (what `send` returns).
    public static func appendSend(_ verdict: CampaignVerdict, links: MessageLinks?, now: Timestamp, to out: inout [UInt8]) {
        let decision = verdict.decision!
        var row = Row(out: out)
        out = []
        row.number(verdict.line)
        row.field(verdict.recipient)
        row.field(verdict.contactID ?? "")
        row.field(decision.basis?.rawValue ?? "")
        row.list(decision.requirements.list.map(\.rawValue))
        row.field(decision.validUntil?.rfc3339 ?? "")
        row.field(verdict.lapses(within: 30, of: now) ? "true" : "false")
        row.field(links?.listUnsubscribe ?? "")
        row.field(links?.listUnsubscribe == nil ? "" : MessageLinks.listUnsubscribePost)
        row.field(links?.unsubscribeURL ?? "")
        row.field(links?.preferencesURL ?? "")
        out = row.end()
    }

    /// Appends an excluded row's bytes (what `excluded` returns).
    public static func appendExcluded(_ verdict: CampaignVerdict, to out: inout [UInt8]) {
        var row = Row(out: out)
        out = []
        row.number(verdict.line)
        row.field(verdict.recipient)
        row.field(verdict.contactID ?? "")
        if let unjudged = verdict.unjudged {
            row.field(unjudged.rawValue)
        } else if let reasons = verdict.decision?.reasons {
            // The failing reasons' codes, as `exclusionCodes` lists them, written in place. Codes
            // are identifiers (letters, digits, `.` and `_`): never quoted.
            row.separate()
            var first = true
            for index in reasons.indices where !reasons[index].code.isGround {
                if !first { row.out.append(0x3B) }
                first = false
                row.out.append(contentsOf: reasons[index].code.rawValue.utf8)
            }
        } else {
            row.field("")
        }
        row.field(verdict.exclusionDetail ?? "")
        out = row.end()
    }

    /// A row being written: fields separated by commas, each quoted when it holds a comma, a quote
    /// or a line break (quotes doubled), the row ended by a line feed.
    private struct Row {
        var out: [UInt8]
        var first = true

        init(out: [UInt8]) { self.out = out }

        mutating func separate() {
            if !first { out.append(0x2C) }
            first = false
        }

        mutating func number(_ value: Int) {
            separate()
            out.append(contentsOf: String(value).utf8)
        }

        mutating func field(_ text: String) {
            separate()
            var text = text
            text.withUTF8 { bytes in
                guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                    out.append(contentsOf: bytes)
                    return
                }
                out.append(0x22)
                for byte in bytes {
                    out.append(byte)
                    if byte == 0x22 { out.append(0x22) }
                }
                out.append(0x22)
            }
        }

        /// Items joined by semicolons, as one field.
        mutating func list(_ items: [String]) {
            field(items.joined(separator: ";"))
        }

        mutating func end() -> [UInt8] {
            out.append(0x0A)
            return out
        }
    }
}
