/// The legal ground on which a send is allowed.
public enum Basis: String, CaseIterable, Hashable, Sendable {
    /// The person's valid, specific consent (UK/EU GDPR Art 4(11); TCPA prior express written
    /// consent; CASL express consent).
    case consent
    /// PECR reg 22(3) / ePrivacy Art 13(2): existing customer, own similar products.
    case softOptIn = "soft_opt_in"
    /// PECR reg 22(3A): a charity's supporters, for its charitable purposes.
    case charitySoftOptIn = "charity_soft_opt_in"
    /// CASL s.10(9): an existing business relationship or conspicuous publication.
    case impliedConsent = "implied_consent"
    /// The law needs no consent for this send (UK corporate subscriber, post, CAN-SPAM email, a live
    /// call to a screened number).
    case noConsentNeeded = "no_consent_needed"
    /// A service message, or one the person specifically asked for: outside the marketing rules.
    case notMarketing = "not_marketing"
}
