import OptGateCore

/// Something a contact did or said that is kept as evidence but changes no decision: an SMS reply
/// of START (which re-permits nothing without a fresh, valid consent), a reply that uses an opt-out
/// word in a sentence and waits for a person to read it. Never personal data beyond the contact's id.
public struct ContactNote: Hashable, Sendable {
    public var contactID: String
    /// Idempotency key, when the source has one (an SMS provider's message id).
    public var id: String?
    public var at: Timestamp
    /// What happened, in a fixed vocabulary (`sms_start`, `sms_review`).
    public var text: String

    public init(contactID: String, id: String? = nil, at: Timestamp, text: String) {
        self.contactID = contactID
        self.id = id
        self.at = at
        self.text = text
    }
}
