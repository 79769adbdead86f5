/// The changes propagated to destinations.
public enum ChangeType: String, CaseIterable, Hashable, Sendable {
    /// An `opt_out` event: the person objected (to some or all senders, channels, products).
    case optOut = "opt_out"
    /// A `consent_given` event.
    case consent
    /// The contact's personal data was erased: destinations delete what they hold of them (and
    /// keep suppressing the addresses they already had).
    case erasure
}
