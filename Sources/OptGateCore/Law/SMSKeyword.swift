/// Replies to a text message that carry a legal meaning. US TCPA rules make "stop", "quit", "end",
/// "revoke", "opt out", "cancel" and "unsubscribe" per-se reasonable ways to revoke consent
/// (47 CFR 64.1200(a)(10)); carriers' keyword conventions add STOPALL, and START to ask for texts
/// again. A reply is read whole, ignoring case, spaces and punctuation: "Stop." opts out, "stop
/// sending me offers" is left to a person to read.
public enum SMSKeyword: String, CaseIterable, Hashable, Sendable {
    /// Opt out of marketing texts from this sender.
    case stop
    /// Opt out of marketing texts from every sender of the organisation.
    case stopAll = "stopall"
    case start

    /// The citation for what the keyword does.
    public static let citation = "47 CFR 64.1200(a)(10); CASL s.11; PECR reg 22(3)(d)"

    /// The words that opt out, and the one that asks to start again.
    public static let optOutWords = ["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "opt out", "optout"]

    /// Whether a reply that is not a keyword still uses an opt-out word, as a word of its own
    /// ("please stop texting me", "cancel my offers", "I want to opt out"). 47 CFR 64.1200(a)(10)
    /// also makes other words a revocation when a reasonable person would read them as one: that is
    /// a person's reading, not a word match, so such a reply is kept for review rather than dropped.
    public static func mentionsOptOut(reply: String) -> Bool {
        let words = reply.split(whereSeparator: { $0.isWhitespace || $0.isPunctuation }).map { $0.lowercased() }
        return words.indices.contains { index in
            optOutWords.contains(words[index]) || (index + 1 < words.count && optOutWords.contains(words[index] + " " + words[index + 1]))
        }
    }

    /// The keyword a reply is, if it is one (punctuation around it is ignored: "Stop!" opts out).
    public init?(reply: String) {
        let words = reply.split(whereSeparator: { $0.isWhitespace || $0.isPunctuation }).joined(separator: " ").lowercased()
        switch words {
        case "stopall": self = .stopAll
        case "stop", "unsubscribe", "cancel", "end", "quit", "revoke", "opt out", "optout": self = .stop
        case "start", "unstop": self = .start
        default: return nil
        }
    }
}
