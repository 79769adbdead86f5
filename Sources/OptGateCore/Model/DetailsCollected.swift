/// The organisation obtained the person's contact details: the fact on which a soft opt-in or an
/// implied consent stands or falls.
public struct DetailsCollected: Hashable, Sendable {
    /// Who obtained the details from whom.
    public enum Source: String, CaseIterable, Hashable, Sendable {
        case recipient
        case thirdParty = "third_party"
        case groupCompany = "group_company"
        case dataBroker = "data_broker"
        case publicSource = "public_source"
    }

    /// The circumstances in which the details were given.
    public enum Context: String, CaseIterable, Hashable, Sendable {
        /// A purchase, subscription or contract.
        case sale
        case freeAccount = "free_account"
        case freeTrial = "free_trial"
        case quoteRequest = "quote_request"
        case demoRequest = "demo_request"
        /// Asked for details of what the organisation offers.
        case productEnquiry = "product_enquiry"
        case abandonedCheckout = "abandoned_checkout"
        /// Opening hours, directions: no interest in buying shown.
        case generalEnquiry = "general_enquiry"
        case reservation
        case competitionEntry = "competition_entry"
        case eventRegistration = "event_registration"
        case newsletterSignup = "newsletter_signup"
        /// An account with no sale and no negotiation.
        case accountRegistration = "account_registration"
        case charityDonation = "charity_donation"
        case charityMembership = "charity_membership"
        case charityVolunteering = "charity_volunteering"
        /// Expressed interest in the charity's purposes.
        case charityInterest = "charity_interest"
        case other

        /// Offering or providing support to a charity, or expressing interest in its purposes
        /// (PECR reg 22(3A)).
        public var isCharitySupport: Bool {
            switch self {
            case .charityDonation, .charityMembership, .charityVolunteering, .charityInterest: return true
            default: return false
            }
        }
    }

    /// The entity that obtained the details.
    public var by: String
    public var from: Source
    public var context: Context
    /// The products the sale or negotiation was about.
    public var products: [String]
    /// The channels the obtained details reach (an email address reaches `email`).
    public var channels: ChannelSet
    /// A simple, free means of refusing marketing was offered at that moment.
    public var refusalOffered: Bool
    /// The person used it.
    public var refused: Bool

    public init(
        by: String, from: Source = .recipient, context: Context, products: [String] = [],
        channels: ChannelSet, refusalOffered: Bool, refused: Bool = false
    ) {
        self.by = by
        self.from = from
        self.context = context
        self.products = products
        self.channels = channels
        self.refusalOffered = refusalOffered
        self.refused = refused
    }
}
