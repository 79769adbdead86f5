/// The person agreed to receive messages. Whether that agreement is *valid* consent depends on how
/// it was obtained (`method`) and on what it names; the engine decides that, not the recorder.
public struct ConsentGiven: Hashable, Sendable {
    /// How consent was obtained.
    public enum Method: String, CaseIterable, Hashable, Sendable {
        case uncheckedBox = "unticked_box"
        case doubleOptIn = "double_opt_in"
        case signedForm = "signed_form"
        case verbalRecorded = "verbal_recorded"
        case settingsToggle = "settings_toggle"
        case replyKeyword = "reply_keyword"
        case preTickedBox = "pre_ticked_box"
        /// Agreeing to terms or buying implies it.
        case bundledWithTerms = "bundled_with_terms"
        /// "By giving us your details you agree...".
        case privacyNoticeStatement = "privacy_notice_statement"
        case inactivity

        /// A clear affirmative act, freely given (UK/EU GDPR Art 4(11), Recital 32; CJEU Planet49).
        public var isAffirmative: Bool {
            switch self {
            case .uncheckedBox, .doubleOptIn, .signedForm, .verbalRecorded, .settingsToggle, .replyKeyword:
                return true
            case .preTickedBox, .bundledWithTerms, .privacyNoticeStatement, .inactivity:
                return false
            }
        }

        /// A written agreement with the person's (electronic) signature: TCPA prior express written
        /// consent (47 CFR 64.1200(f)(9)). A recorded verbal agreement is not written.
        public var isWritten: Bool { isAffirmative && self != .verbalRecorded }
    }

    /// The entities named in the request.
    public var to: [String]
    public var channels: ChannelSet
    public var purposes: Set<Purpose>
    /// The products covered; nil covers all of the named entities' marketing.
    public var products: [String]?
    public var method: Method
    public var noticeVersion: String?
    public var source: String?
    /// The entity that collected the consent, when it was not one of the named entities.
    public var collectedBy: String?
    public var expiresAt: Timestamp?

    public init(
        to: [String], channels: ChannelSet, purposes: Set<Purpose> = [.marketing], products: [String]? = nil,
        method: Method, noticeVersion: String? = nil, source: String? = nil, collectedBy: String? = nil,
        expiresAt: Timestamp? = nil
    ) {
        self.to = to
        self.channels = channels
        self.purposes = purposes
        self.products = products
        self.method = method
        self.noticeVersion = noticeVersion
        self.source = source
        self.collectedBy = collectedBy
        self.expiresAt = expiresAt
    }
}
