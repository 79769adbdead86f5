import OptGateCore

/// The links a message carries for one recipient, from a sealed link: the one-click unsubscribe
/// URL, the preference centre URL and, for email, the RFC 8058 header pair (one HTTPS URI in
/// `List-Unsubscribe`; `List-Unsubscribe-Post: List-Unsubscribe=One-Click`).
public struct MessageLinks: Hashable, Sendable {
    public static let listUnsubscribePost = "List-Unsubscribe=One-Click"

    public var unsubscribeURL: String
    public var preferencesURL: String
    /// The `List-Unsubscribe` header value: email only.
    public var listUnsubscribe: String?

    /// `base` is where people reach the server (no trailing slash); `sealed` a `LinkSealer` output.
    public init(base: String, sealed: String, channel: Channel) {
        unsubscribeURL = "\(base)/u/\(sealed)"
        preferencesURL = "\(base)/p/\(sealed)"
        listUnsubscribe = channel == .email ? "<\(unsubscribeURL)>" : nil
    }
}
