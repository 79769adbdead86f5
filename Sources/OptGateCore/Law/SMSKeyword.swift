/// Replies to a text message that carry a legal meaning. US TCPA rules make "stop", "quit", "end",
/// "revoke", "opt out", "cancel" and "unsubscribe" per-se reasonable ways to revoke consent
/// (47 CFR 64.1200(a)(10)); carriers' keyword conventions add STOPALL, and START to ask for texts
/// again. A reply is read whole, ignoring case, spaces and punctuation: "Stop." is the keyword.
/// A reply that is not a keyword is read as a sentence (`Sentence`).
public enum SMSKeyword: String, CaseIterable, Hashable, Sendable {
    /// Opt out of marketing texts from this sender.
    case stop
    /// Opt out of marketing texts from every sender of the organisation.
    case stopAll = "stopall"
    case start

    /// The citation for what the keyword does.
    public static let citation = "47 CFR 64.1200(a)(10); CASL s.11; PECR reg 22(3)(d)"

    /// The words that opt out when they are the whole reply: 47 CFR 64.1200(a)(10)'s list, with the
    /// carriers' STOPALL and OPTOUT.
    public static let optOutWords = ["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "opt out", "optout"]

    /// The words of `optOutWords` that have no everyday meaning in a reply to a marketing text other
    /// than "no more": "please stop texting me", "how do I unsubscribe?", "I want to opt out".
    public static let revokingWords = ["stop", "stopall", "unsubscribe", "revoke", "opt out", "optout"]

    /// How a reply that is not a keyword reads. 47 CFR 64.1200(a)(10) makes other words a revocation
    /// when a reasonable person would read them as one, and the caller may not insist on a keyword.
    public enum Sentence: Hashable, Sendable {
        /// It uses a word of `revokingWords` as a word of its own: a revocation, on the safe side
        /// even when a negation makes it odd ("don't stop" opts out too: a lost subscriber can
        /// consent again; a text sent after a revocation is a violation).
        case revokes
        /// It uses only opt-out words that have other meanings in a sentence ("cancel my order",
        /// "when does the sale end?"): a person reads it.
        case review
        /// It uses no opt-out word.
        case none
    }

    /// How `reply`, read as a sentence, stands (call it for replies that are not keywords).
    public static func sentence(_ reply: String) -> Sentence {
        let words = reply.split(whereSeparator: { $0.isWhitespace || $0.isPunctuation }).map { $0.lowercased() }
        func uses(_ list: [String]) -> Bool {
            words.indices.contains { index in
                list.contains(words[index]) || (index + 1 < words.count && list.contains(words[index] + " " + words[index + 1]))
            }
        }
        if uses(revokingWords) { return .revokes }
        return uses(optOutWords) ? .review : .none
    }

    /// The keyword a reply is, if it is one (punctuation around it is ignored: "Stop!" opts out).
    public init?(reply: String) {
        let words = reply.split(whereSeparator: { $0.isWhitespace || $0.isPunctuation }).joined(separator: " ").lowercased()
        switch words {
        case "stopall", "stop all": self = .stopAll
        case "stop", "unsubscribe", "cancel", "end", "quit", "revoke", "opt out", "optout": self = .stop
        case "start", "unstop": self = .start
        default: return nil
        }
    }
}
