import OptGateCore

/// The exact wording a person was shown when asked for consent, archived once per version so that
/// every consent can show "what they were told".
public struct NoticeText: Hashable, Sendable {
    public var version: String
    public var text: String
    public var validFrom: Timestamp

    public init(version: String, text: String, validFrom: Timestamp) {
        self.version = version
        self.text = text
        self.validFrom = validFrom
    }
}
