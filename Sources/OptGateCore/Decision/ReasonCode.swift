/// Stable reason codes. Integrations match on these strings, so a code, once published, keeps its
/// meaning; new situations get new codes.
public enum ReasonCode: String, CaseIterable, Hashable, Sendable {
    // Outside the marketing rules
    case notMarketingService = "not_marketing.service"
    case notMarketingSolicited = "not_marketing.solicited"

    // Consent
    case consentValid = "consent.valid"
    case consentNone = "consent.none"
    case consentInvalidMethod = "consent.invalid_method"
    case consentChannelNotCovered = "consent.channel_not_covered"
    case consentPurposeNotCovered = "consent.purpose_not_covered"
    case consentSenderNotNamed = "consent.sender_not_named"
    case consentThirdPartyNotNamed = "consent.third_party_not_named"
    case consentProductNotCovered = "consent.product_not_covered"
    case consentExpired = "consent.expired"
    case consentIndirectLapsed = "consent.indirect_lapsed"
    case consentNotWritten = "consent.not_written"

    // Soft opt-in (PECR reg 22(3); ePrivacy Art 13(2) and national laws)
    case softOptInSale = "soft_opt_in.sale"
    case softOptInNegotiation = "soft_opt_in.negotiation"
    case softOptInNoDetails = "soft_opt_in.no_details"
    case softOptInOtherEntity = "soft_opt_in.other_entity"
    case softOptInNotObtainedDirectly = "soft_opt_in.not_obtained_directly"
    case softOptInNoSaleOrNegotiation = "soft_opt_in.no_sale_or_negotiation"
    case softOptInChannelNotCollected = "soft_opt_in.channel_not_collected"
    case softOptInChannelNotCovered = "soft_opt_in.channel_not_covered"
    case softOptInNoRefusalOffered = "soft_opt_in.no_refusal_offered"
    case softOptInRefused = "soft_opt_in.refused"
    case softOptInDissimilarProduct = "soft_opt_in.dissimilar_product"
    case softOptInNoProducts = "soft_opt_in.no_products"
    case softOptInThirdPartyPromotion = "soft_opt_in.third_party_promotion"
    case softOptInNotCommercial = "soft_opt_in.not_commercial"
    case softOptInExpired = "soft_opt_in.expired"
    case softOptInFirstMessageTooLate = "soft_opt_in.first_message_too_late"
    case softOptInNoOptOutInMessage = "soft_opt_in.no_opt_out_in_message"

    // Charity soft opt-in (PECR reg 22(3A))
    case charitySupport = "charity_soft_opt_in.support"
    case charityNotInForce = "charity_soft_opt_in.not_in_force"
    case charityNotACharity = "charity_soft_opt_in.not_a_charity"
    case charityNotFundraising = "charity_soft_opt_in.not_fundraising"
    case charityMixedPurpose = "charity_soft_opt_in.mixed_purpose"
    case charityOtherOrganisation = "charity_soft_opt_in.other_organisation"
    case charityNoSupport = "charity_soft_opt_in.no_support"
    case charityNotObtainedDirectly = "charity_soft_opt_in.not_obtained_directly"
    case charityBeforeCommencement = "charity_soft_opt_in.before_commencement"
    case charityChannelNotCollected = "charity_soft_opt_in.channel_not_collected"
    case charityNoRefusalOffered = "charity_soft_opt_in.no_refusal_offered"
    case charityRefused = "charity_soft_opt_in.refused"
    case charityExpired = "charity_soft_opt_in.expired"

    // Implied consent (CASL s.10(9))
    case impliedPurchase = "implied_consent.purchase"
    case impliedInquiry = "implied_consent.inquiry"
    case impliedPublication = "implied_consent.conspicuous_publication"
    case impliedNone = "implied_consent.none"
    case impliedPurchaseExpired = "implied_consent.purchase_expired"
    case impliedInquiryExpired = "implied_consent.inquiry_expired"
    case impliedPublicationNotRelevant = "implied_consent.publication_not_relevant"

    // No consent needed
    case noConsentCorporateSubscriber = "no_consent_needed.corporate_subscriber"
    case noConsentPost = "no_consent_needed.post"
    case noConsentOptOutModel = "no_consent_needed.opt_out_model"
    case noConsentLiveCall = "no_consent_needed.live_call"
    case noConsentBusinessRelevant = "no_consent_needed.business_relevant"
    case businessNotRelevant = "business.not_relevant_to_role"

    // What bars a send whatever its basis
    case optedOut = "opt_out.objection"
    case refusedAtCollection = "opt_out.refused_at_collection"
    case registerListed = "register.listed"
    case registerPending = "register.pending"
    case registerOverriddenByConsent = "register.overridden_by_consent"
    case gpcOptOut = "gpc.opt_out"
    case senderConcealed = "message.sender_concealed"
    case noOptOutInMessage = "message.no_opt_out"
    case frequencyCapReached = "frequency.cap_reached"
    case frequencyPreferenceReached = "frequency.preference_reached"

    // About the rule set itself
    case jurisdictionUnknown = "jurisdiction.unknown"
    case channelNotRegulatedHere = "jurisdiction.no_rule_for_channel"

    /// True for codes that say why a send may go ahead or add context; false for failures.
    public var isGround: Bool {
        switch self {
        case .notMarketingService, .notMarketingSolicited, .consentValid, .softOptInSale, .softOptInNegotiation,
             .charitySupport, .impliedPurchase, .impliedInquiry, .impliedPublication,
             .noConsentCorporateSubscriber, .noConsentPost, .noConsentOptOutModel, .noConsentLiveCall,
             .noConsentBusinessRelevant, .registerPending, .registerOverriddenByConsent, .jurisdictionUnknown,
             .channelNotRegulatedHere:
            return true
        default:
            return false
        }
    }
}
