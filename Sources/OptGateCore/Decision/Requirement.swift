/// What a message must carry, or what must be done, for an allowed decision to hold.
public enum Requirement: String, CaseIterable, Hashable, Sendable {
    /// A free, simple way to opt out in the message (PECR reg 23(b), 22(3)(c); ePrivacy Art 13;
    /// CAN-SPAM 7704(a)(3); CASL s.6(2)(c)).
    case includeOptOut = "include_opt_out"
    /// The sender is named and not disguised (PECR reg 23(a); CAN-SPAM 7704(a)(1); CASL s.6(2)(a)).
    case identifySender = "identify_sender"
    /// RFC 8058 `List-Unsubscribe` (one HTTPS URI) and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
    /// headers covered by the DKIM signature, for marketing email sent in bulk.
    case oneClickUnsubscribeHeaders = "one_click_unsubscribe_headers"
    /// A valid physical postal address of the sender (CAN-SPAM 7704(a)(5)(A)(iii); CASL CRTC Reg s.2).
    case postalAddress = "postal_address"
    /// Clear identification that the message is an advertisement (CAN-SPAM 7704(a)(5)(A)(i)); not
    /// needed with the person's affirmative consent.
    case identifyAsAdvertisement = "identify_as_advertisement"
    /// Sender's telephone number, email or web address besides the mailing address, valid 60 days (CASL).
    case senderContactDetails = "sender_contact_details"
    /// The unsubscribe mechanism keeps working for 30 days after the send (CAN-SPAM 7704(a)(3)).
    case optOutWorks30Days = "opt_out_works_30_days"
    /// The unsubscribe mechanism keeps working for 60 days after the send (CASL s.11(1)).
    case optOutWorks60Days = "opt_out_works_60_days"
    /// The caller presents a line identity on which it can be contacted (PECR reg 21(A1)).
    case presentCallerID = "present_caller_id"
    /// The number is screened against the TPS/CTPS no more than 28 days before the call (PECR reg 21(3)).
    case screenTPSWithin28Days = "screen_tps_within_28_days"
    /// The number is screened against the national do-not-call register before the call.
    case screenDoNotCallRegister = "screen_do_not_call_register"
    /// Telemarketing calls only between 8 a.m. and 9 p.m. at the called person's location (47 CFR 64.1200(c)(1)).
    case callingHours = "calling_hours_8am_to_9pm"
    /// A documented legitimate-interests assessment and privacy information (UK/EU GDPR Arts 6(1)(f), 13, 14).
    case legitimateInterests = "legitimate_interests_assessment"
    /// The message furthers only the charity's charitable purposes (PECR reg 22(3A)).
    case charitablePurposesOnly = "charitable_purposes_only"
    /// Only products similar to those the person bought or asked about (PECR reg 22(3)(b); ePrivacy Art 13(2)).
    case similarProductsOnly = "similar_products_only"
    /// No promotional content at all, or the message becomes marketing (ICO; 16 CFR 316.3).
    case noPromotionalContent = "no_promotional_content"
    /// The consent record (who, when, how, what they were told) is kept to demonstrate consent
    /// (UK/EU GDPR Art 7(1); UWG §7a for German telephone consent: five years).
    case keepConsentRecord = "keep_consent_record"
}

/// A set of requirements, as a bit mask: building one allocates nothing.
public struct Requirements: Hashable, Sendable, ExpressibleByArrayLiteral {
    public private(set) var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public init(_ list: some Sequence<Requirement>) {
        rawValue = 0
        for requirement in list { insert(requirement) }
    }

    public init(arrayLiteral list: Requirement...) { self.init(list) }

    /// The requirement's bit: its position among `Requirement.allCases`. A payload-free enum is
    /// stored as its case ordinal, so this is a shift, not a search (a test pins the equivalence).
    @inlinable
    public static func bit(_ requirement: Requirement) -> UInt32 {
        1 << UInt32(unsafeBitCast(requirement, to: UInt8.self))
    }

    public mutating func insert(_ requirement: Requirement) { rawValue |= Requirements.bit(requirement) }

    public func contains(_ requirement: Requirement) -> Bool { rawValue & Requirements.bit(requirement) != 0 }

    public func union(_ other: Requirements) -> Requirements { Requirements(rawValue: rawValue | other.rawValue) }

    public var isEmpty: Bool { rawValue == 0 }

    /// In declaration order, which is also the order of the decision's `requirements` list.
    public var list: [Requirement] { Requirement.allCases.filter { contains($0) } }
}

extension Requirement {
    /// What the requirement asks, in words a person reads.
    public var explanation: String {
        switch self {
        case .includeOptOut: return "offer a free, simple way to opt out"
        case .identifySender: return "name the sender truthfully, without disguise"
        case .oneClickUnsubscribeHeaders:
            return "carry List-Unsubscribe (one HTTPS URI) and List-Unsubscribe-Post: List-Unsubscribe=One-Click headers, covered by DKIM (RFC 8058)"
        case .postalAddress: return "give the sender's valid postal address"
        case .identifyAsAdvertisement: return "say clearly that it is an advertisement"
        case .senderContactDetails: return "give the sender's mailing address and a phone number, email or web address valid for 60 days"
        case .optOutWorks30Days: return "keep the opt-out working for at least 30 days after sending"
        case .optOutWorks60Days: return "keep the unsubscribe mechanism working for at least 60 days after sending"
        case .presentCallerID: return "present a caller line identity on which the caller can be contacted"
        case .screenTPSWithin28Days: return "screen the number against the TPS/CTPS no more than 28 days before calling"
        case .screenDoNotCallRegister: return "screen the number against the national do-not-call register before calling"
        case .callingHours: return "call only between 8 a.m. and 9 p.m. at the person's location"
        case .legitimateInterests: return "rest on a documented legitimate-interests assessment, with privacy information given"
        case .charitablePurposesOnly: return "further only the charity's charitable purposes"
        case .similarProductsOnly: return "promote only products similar to those bought or asked about"
        case .noPromotionalContent: return "contain no promotional content at all"
        case .keepConsentRecord: return "be backed by a kept record of the consent: who, when, how and what they were told"
        }
    }
}
