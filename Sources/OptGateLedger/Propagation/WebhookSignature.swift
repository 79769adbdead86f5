import Crypto
import Foundation

/// The `OptGate-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
/// keyed with the destination's secret (its text, as shown by `optgate destinations secret`). The
/// receiver recomputes it over the raw body and rejects a mismatch or a `t` far from its clock
/// (a replay).
public enum WebhookSignature {
    public static let headerName = "OptGate-Signature"

    /// The header value signing `body` at `timestamp`.
    public static func header(secret: String, timestamp: Int64, body: [UInt8]) -> String {
        "t=\(timestamp),v1=\(mac(secret: secret, timestamp: timestamp, body: body))"
    }

    /// Whether `header` is a valid signature of `body` under `secret`, made within `tolerance`
    /// seconds of `now`.
    public static func verify(header: String, secret: String, body: [UInt8], now: Int64, tolerance: Int64 = 300) -> Bool {
        var timestamp: Int64?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now - timestamp) <= tolerance else { return false }
        let expected = Array(mac(secret: secret, timestamp: timestamp, body: body).utf8)
        return signatures.contains { candidate in
            let bytes = Array(candidate.utf8)
            guard bytes.count == expected.count else { return false }
            return zip(bytes, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }

    private static func mac(secret: String, timestamp: Int64, body: [UInt8]) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return Hex.string(code)
    }
}
