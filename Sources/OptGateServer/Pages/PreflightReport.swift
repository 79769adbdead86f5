import Foundation
import Mustache
import OptGateCore
import OptGateLedger

/// The pre-flight report of a campaign check: one HTML page a compliance officer reads (and
/// prints) before the send: the counts, a chart of exclusions by reason, samples of each reason
/// with their evidence, and warnings. Self-contained: inline styles and an SVG chart, no script,
/// nothing fetched. Addresses are masked: the report names contacts by their OptGate id.
public struct PreflightReport: Sendable {
    public var campaignID: String?
    public var message: Message
    public var at: Timestamp
    public var summary: CampaignSummary
    public var samples: CampaignSamples
    public var warnings: [CampaignWarning]

    public init(campaignID: String?, message: Message, at: Timestamp, summary: CampaignSummary, samples: CampaignSamples, warnings: [CampaignWarning]) {
        self.campaignID = campaignID
        self.message = message
        self.at = at
        self.summary = summary
        self.samples = samples
        self.warnings = warnings
    }

    public func html() -> String {
        let template = try! MustacheTemplate(string: Self.template)   // a constant of this program, tested
        let total = max(summary.recipients, 1)
        let reasons = summary.byReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let widest = max(reasons.first?.value ?? 1, 1)
        let bars = reasons.enumerated().map { i, entry -> [String: Any] in
            [
                "code": entry.key, "count": entry.value, "y": i * 28, "textY": i * 28 + 15,
                "width": max(2, Int(Double(entry.value) / Double(widest) * 360)),
                "countX": max(2, Int(Double(entry.value) / Double(widest) * 360)) + 250,
                "share": Self.percent(entry.value, total),
            ]
        }
        let values: [String: Any] = [
            "title": campaignID.map { "Pre-flight report: \($0)" } ?? "Pre-flight report",
            "campaign": campaignID ?? "(no campaign id)",
            "from": message.from, "channel": message.channel.displayName, "purpose": message.purpose.rawValue,
            "products": message.products.isEmpty ? "(none named)" : message.products.joined(separator: ", "),
            "at": at.rfc3339, "rules": summary.rules.sorted().joined(separator: "; "),
            "recipients": summary.recipients, "send": summary.send, "excluded": summary.excluded, "unknown": summary.unknown,
            "sendShare": Self.percent(summary.send, total), "excludedShare": Self.percent(summary.excluded, total),
            "lapsing": summary.lapsingWithin30Days,
            "bases": summary.byBasis.sorted { $0.value > $1.value }.map { ["basis": $0.key, "count": $0.value, "share": Self.percent($0.value, total)] },
            "hasBases": !summary.byBasis.isEmpty,
            "bars": bars, "chartHeight": max(28, reasons.count * 28), "hasReasons": !reasons.isEmpty,
            "warnings": warnings.map(\.text), "hasWarnings": !warnings.isEmpty,
            "samples": reasons.map { code, _ in
                [
                    "code": code,
                    "rows": (samples.byReason[code] ?? []).map { verdict -> [String: Any] in
                        [
                            "line": verdict.line, "recipient": Self.mask(verdict.recipient), "contact": verdict.contactID ?? "",
                            "detail": (verdict.exclusionDetail ?? "")
                                + (verdict.decision?.reasons.first { !$0.code.isGround }.map { " (\($0.rule.citation))" } ?? ""),
                        ]
                    },
                ] as [String: Any]
            },
        ]
        return template.render(values)
    }

    static func percent(_ part: Int, _ total: Int) -> String { String(format: "%.1f%%", Double(part) * 100 / Double(max(total, 1))) }

    /// `ann.smith@example.com` → `a***@example.com`; `+447700900123` → `+44*******123`.
    static func mask(_ recipient: String) -> String {
        if let at = recipient.firstIndex(of: "@") { return String(recipient.prefix(1)) + "***" + recipient[at...] }
        if recipient.hasPrefix("+"), recipient.count > 6 {
            return String(recipient.prefix(3)) + String(repeating: "*", count: recipient.count - 6) + String(recipient.suffix(3))
        }
        return recipient
    }

    static let template = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <style>
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; margin: 0; background: #fff; }
        main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
        h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; border-bottom: 1px solid #d6d9de; padding-bottom: .25rem; }
        .meta { color: #4a4f57; margin: 0 0 1rem; }
        .tiles { display: flex; flex-wrap: wrap; gap: .75rem; }
        .tile { border: 1px solid #d6d9de; border-radius: 8px; padding: .6rem .9rem; min-width: 9rem; }
        .tile b { display: block; font-size: 1.5rem; }
        table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #eceef1; vertical-align: top; }
        th { background: #f4f5f7; }
        .warn { background: #fff4e5; border: 1px solid #e0a040; border-radius: 8px; padding: .5rem 1rem; }
        .warn li { margin: .25rem 0; }
        svg text { font: 12px system-ui, sans-serif; fill: #1a1a1a; }
        code { font-size: .9em; }
        @media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } table, svg { break-inside: avoid; } }
        </style>
        </head>
        <body><main>
        <h1>{{title}}</h1>
        <p class="meta">{{from}} · {{channel}} · {{purpose}} · products: {{products}} · checked {{at}} · rules: {{rules}}</p>
        {{#hasWarnings}}<h2>Warnings</h2><ul class="warn">{{#warnings}}<li>{{.}}</li>{{/warnings}}</ul>{{/hasWarnings}}
        <h2>Result</h2>
        <div class="tiles">
        <div class="tile">Recipients<b>{{recipients}}</b></div>
        <div class="tile">Send<b>{{send}}</b>{{sendShare}}</div>
        <div class="tile">Excluded<b>{{excluded}}</b>{{excludedShare}}</div>
        <div class="tile">Unknown to OptGate<b>{{unknown}}</b></div>
        <div class="tile">Soft opt-ins lapsing in 30 days<b>{{lapsing}}</b></div>
        </div>
        {{#hasBases}}<h2>Sent on which basis</h2>
        <table><tr><th>Basis</th><th>Recipients</th><th>Share</th></tr>{{#bases}}<tr><td><code>{{basis}}</code></td><td>{{count}}</td><td>{{share}}</td></tr>{{/bases}}</table>{{/hasBases}}
        {{#hasReasons}}<h2>Exclusions by reason</h2>
        <svg role="img" aria-label="Exclusions by reason" width="100%" viewBox="0 0 700 {{chartHeight}}" preserveAspectRatio="xMinYMin meet">
        {{#bars}}<text x="0" y="{{textY}}">{{code}}</text><rect x="245" y="{{y}}" width="{{width}}" height="20" fill="#0b5cad"></rect><text x="{{countX}}" y="{{textY}}">{{count}} ({{share}})</text>
        {{/bars}}</svg>
        <p class="meta">A recipient excluded for several reasons counts under each.</p>
        <h2>Samples of each reason, with their evidence</h2>
        {{#samples}}<h3><code>{{code}}</code></h3>
        <table><tr><th>Line</th><th>Recipient</th><th>Contact</th><th>Evidence</th></tr>{{#rows}}<tr><td>{{line}}</td><td>{{recipient}}</td><td>{{contact}}</td><td>{{detail}}</td></tr>{{/rows}}</table>
        {{/samples}}{{/hasReasons}}
        <p class="meta">Generated by OptGate. Every verdict is the single decision's, citing its rule; the full lists are send.csv and excluded.csv.</p>
        </main></body>
        </html>
        """
}
