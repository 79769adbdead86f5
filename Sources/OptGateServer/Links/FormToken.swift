import Foundation
import OptGateCore
import OptGateLedger

/// The hidden field that proves a preference-centre form was the one this server rendered for this
/// link (cross-site request forgery protection without cookies, which RFC 8058 flows must not need):
/// `<minute issued>.<HMAC-SHA256 of link and minute>`, accepted for `lifetime` seconds.
struct FormToken {
    let secret: LedgerSecret
    var lifetime: Int64 = 4 * 3600

    func make(link: String, at now: Timestamp) -> String {
        let minute = now.secondsSinceEpoch / 60
        return "\(minute).\(code(link: link, minute: minute))"
    }

    func verify(_ token: String, link: String, at now: Timestamp) -> Bool {
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let minute = Int64(parts[0]) else { return false }
        let age = now.secondsSinceEpoch - minute * 60
        guard age >= -60, age <= lifetime else { return false }
        let expected = Array(code(link: link, minute: minute).utf8)
        let given = Array(parts[1].utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func code(link: String, minute: Int64) -> String {
        Hex.string(secret.authenticationCode(for: Data("\(link)|\(minute)".utf8), purpose: "optgate preference form").prefix(16))
    }
}
