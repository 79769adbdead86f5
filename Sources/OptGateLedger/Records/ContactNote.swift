import OptGateCore

/// Something a contact did or said that is kept as evidence but changes no decision: an SMS reply
/// of START (which re-permits nothing without a fresh, valid consent), a message the keyword
/// reader did not understand. Never personal data beyond the contact's id.
public struct ContactNote: Hashable, Sendable {
    public var contactID: String
    /// Idempotency key, when the source has one (an SMS provider's message id).
    public var id: String?
    public var at: Timestamp
    /// What happened, in a fixed vocabulary (`sms_start`).
    public var text: String

    public init(contactID: String, id: String? = nil, at: Timestamp, text: String) {
        self.contactID = contactID
        self.id = id
        self.at = at
        self.text = text
    }
}
