import Foundation
import OptGateCore
import OptGateScenario

/// Why a consent receipt could not be made.
public struct ConsentReceiptError: Error, Hashable, Sendable, CustomStringConvertible {
    public let contactID: String
    public let seq: Int64
    public let description: String

    public init(contactID: String, seq: Int64, description: String) {
        self.contactID = contactID
        self.seq = seq
        self.description = description
    }
}

/// A receipt for one recorded consent, in the Kantara Initiative Consent Receipt v1.1 shape
/// (`version` "KI-CR-v1.1.0"), with an `iso27560` member mapping the same consent to the record
/// fields of ISO/IEC TS 27560 (consent record information structure). The receipt carries no
/// personal data: the person is named by their pseudonymous contact id.
///
/// Everything in it is derived from the ledger entry, so the same entry always gives the same
/// receipt (`consentReceiptID` is derived from the entry's chain hash); only `generated_at` varies.
public enum ConsentReceipt {
    /// The Kantara receipt version emitted.
    public static let kantaraVersion = "KI-CR-v1.1.0"

    /// Details of the controllers the receipt names, which the ledger does not hold: Kantara asks for
    /// a contact, address, email and phone per controller, and a policy URL. Applied to every entity
    /// the consent names; absent details are written as null.
    public struct Controller: Hashable, Sendable {
        /// The person or office to contact (a data protection officer).
        public var contact: String?
        public var address: String?
        public var email: String?
        public var phone: String?
        public var url: String?
        /// The privacy policy's URL (Kantara `policyUrl`).
        public var policyURL: String?
        /// How the person can withdraw, as the notice states it (ISO/IEC TS 27560 `withdrawal_method`;
        /// null when not given, since the ledger does not record it).
        public var withdrawalMethod: String?

        public init(
            contact: String? = nil, address: String? = nil, email: String? = nil, phone: String? = nil, url: String? = nil,
            policyURL: String? = nil, withdrawalMethod: String? = nil
        ) {
            self.contact = contact
            self.address = address
            self.email = email
            self.phone = phone
            self.url = url
            self.policyURL = policyURL
            self.withdrawalMethod = withdrawalMethod
        }
    }

    /// The receipt for the `consent_given` entry at `consentSeq`, as pretty JSON. Throws
    /// `ConsentReceiptError` when that entry is not one of the contact's `consent_given` events.
    public static func json(
        _ history: ContactHistory, consentSeq: Int64, controller: Controller = Controller(), generatedAt: Timestamp
    ) throws(ConsentReceiptError) -> String {
        guard let entry = history.entries.first(where: { $0.stored.seq == consentSeq }) else {
            throw ConsentReceiptError(
                contactID: history.contactID, seq: consentSeq,
                description: "entry \(consentSeq) is not an entry of contact \"\(history.contactID)\"")
        }
        guard let consent = Consent(entry) else {
            throw ConsentReceiptError(
                contactID: history.contactID, seq: consentSeq,
                description: "entry \(consentSeq) of contact \"\(history.contactID)\" is not a consent_given event (it is \(describe(entry.record)))")
        }
        return receipt(consent, history, controller, generatedAt, JSONWriter(pretty: true))
    }

    /// Receipts for every `consent_given` event of the contact, in chain order, as a pretty JSON array.
    public static func all(_ history: ContactHistory, controller: Controller = Controller(), generatedAt: Timestamp) -> String {
        let w = JSONWriter(pretty: true)
        return w.array(history.entries.compactMap(Consent.init).map { receipt($0, history, controller, generatedAt, w) })
    }

    // MARK: Building

    /// A `consent_given` entry, unpacked.
    private struct Consent {
        var stored: StoredEntry
        var event: Event
        var consent: ConsentGiven
        var evidence: EventEvidence?

        init?(_ entry: ContactHistory.Entry) {
            guard case .event(_, let event, let evidence) = entry.record, case .consentGiven(let consent) = event.kind else { return nil }
            stored = entry.stored
            self.event = event
            self.consent = consent
            self.evidence = evidence
        }
    }

    private static func describe(_ record: LedgerRecord) -> String {
        if case .event(_, let event, _) = record { return "a \(event.typeName) event" }
        return "a \(record.kind.rawValue) record"
    }

    private static func receipt(
        _ c: Consent, _ history: ContactHistory, _ controller: Controller, _ generatedAt: Timestamp, _ w: JSONWriter
    ) -> String {
        let q = ExportJSON.q
        let optional = ExportJSON.optional
        let consent = c.consent
        let jurisdiction = history.profile(at: c.event.at)?.jurisdiction?.description
        let explicit = consent.method.isAffirmative
        let purposes = Purpose.allCases.filter(consent.purposes.contains)
        let channels = consent.channels.channels.map(\.rawValue)
        let collectorIsThirdParty = consent.collectedBy.map { !consent.to.contains($0) } ?? false

        let controllers = consent.to.map { entity in
            w.object([
                ("piiController", q(entity)),
                ("onBehalf", "false"),
                ("contact", optional(controller.contact)),
                ("address", optional(controller.address)),
                ("email", optional(controller.email)),
                ("phone", optional(controller.phone)),
                ("piiControllerUrl", optional(controller.url)),
            ])
        }
        let services = purposes.map { purpose in
            var members: [(String, String)] = [
                ("purpose", q(purposeText(purpose, consent))),
                ("purposeCategory", ExportJSON.strings(purposeCategories(purpose))),
                ("consentType", q(explicit ? "EXPLICIT" : "IMPLIED")),
                ("piiCategory", ExportJSON.strings(piiCategories(consent.channels))),
                ("primaryPurpose", "true"),
                ("termination", q(termination(consent, controller))),
                ("thirdPartyDisclosure", ExportJSON.bool(collectorIsThirdParty)),
            ]
            if collectorIsThirdParty { members.append(("thirdPartyName", q(consent.to.joined(separator: ", ")))) }
            return w.object([
                ("service", q(serviceName(purpose, consent))),
                ("purposes", w.array([w.object(members)])),
            ])
        }

        let notice = consent.noticeVersion.map { version -> String in
            guard let text = history.organisation.notice(version) else {
                return w.object([("version", q(version)), ("found", "false")])
            }
            return w.object([
                ("version", q(version)),
                ("found", "true"),
                ("valid_from", ExportJSON.time(text.validFrom)),
                ("text_sha256", q(ExportJSON.sha256(text.text))),
                ("text", q(text.text)),
            ])
        } ?? "null"
        let iso = w.object([
            ("schema_version", q("ISO/IEC TS 27560:2023")),
            ("conforms_to", q("https://w3id.org/dpv/schema/dpv-27560#record")),
            ("record_id", q(c.event.id ?? "entry-\(c.stored.seq)")),
            ("pii_principal_id", q(history.contactID)),
            ("pii_controllers", ExportJSON.strings(consent.to)),
            ("event_time", ExportJSON.time(c.event.at)),
            ("event_type", q(explicit ? "expressed" : "implied")),
            ("event_state", q("given")),
            ("lawful_basis", q("consent")),
            ("purposes", ExportJSON.strings(purposes.map(\.rawValue))),
            ("products", consent.products.map { ExportJSON.strings($0) } ?? "null"),
            ("processing_method", ExportJSON.strings(channels)),
            ("channels", ExportJSON.strings(channels)),
            ("collection_method", q(consent.method.rawValue)),
            ("collection_point", optional(c.evidence?.collectionPoint)),
            ("source", optional(consent.source)),
            ("collected_by", optional(consent.collectedBy)),
            ("entity_id", optional(c.evidence?.actor)),
            ("privacy_notice", notice),
            ("language", q("en")),
            ("pii_information", ExportJSON.strings(piiCategories(consent.channels))),
            ("sensitive_pii_category", "[]"),
            ("special_pii_category", "[]"),
            ("recipient_third_parties", collectorIsThirdParty ? ExportJSON.strings(consent.to) : "[]"),
            ("jurisdiction", optional(jurisdiction)),
            ("valid_until", ExportJSON.time(consent.expiresAt)),
            ("validity_duration", q(consent.expiresAt.map { "until \($0.rfc3339), unless withdrawn earlier" } ?? "until withdrawn")),
            ("withdrawal_method", optional(controller.withdrawalMethod)),
            ("integrity", w.object([
                ("method", q("SHA-256 hash chain (optgate/ledger/v1)")),
                ("seq", String(c.stored.seq)),
                ("recorded_at", ExportJSON.time(c.stored.recordedAt)),
                ("entry_hash", q(ExportJSON.hex(c.stored.hash))),
            ])),
            ("generated_at", ExportJSON.time(generatedAt)),
        ])

        return w.object([
            ("version", q(kantaraVersion)),
            ("jurisdiction", optional(jurisdiction)),
            ("consentTimestamp", String(c.event.at.secondsSinceEpoch)),
            ("collectionMethod", q(collectionMethod(c))),
            ("consentReceiptID", q(receiptID(c.stored.hash))),
            ("language", q("en")),
            ("piiPrincipalId", q(history.contactID)),
            ("piiControllers", w.array(controllers)),
            ("policyUrl", optional(controller.policyURL)),
            ("services", w.array(services)),
            ("sensitive", "false"),
            ("spiCat", "[]"),
            ("iso27560", iso),
        ])
    }

    /// A UUID (RFC 9562 version 8, vendor-specific) from the first 16 bytes of the entry's chain
    /// hash: the same entry always has the same receipt id, and the id is unique as the hash is.
    static func receiptID(_ hash: Data) -> String {
        var bytes = [UInt8](hash.prefix(16))
        while bytes.count < 16 { bytes.append(0) }
        bytes[6] = (bytes[6] & 0x0f) | 0x80
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = Array(ExportJSON.hex(Data(bytes)))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }.joined(separator: "-")
    }

    private static func collectionMethod(_ c: Consent) -> String {
        let method = c.consent.method.rawValue.replacingOccurrences(of: "_", with: " ")
        guard let point = c.evidence?.collectionPoint else { return method }
        return "\(method) at \(point)"
    }

    private static func serviceName(_ purpose: Purpose, _ consent: ConsentGiven) -> String {
        "\(purpose.rawValue) by \(consent.channels.channels.map(\.displayName).joined(separator: ", "))"
    }

    private static func purposeText(_ purpose: Purpose, _ consent: ConsentGiven) -> String {
        let what: String
        switch purpose {
        case .marketing: what = "Direct marketing"
        case .fundraising: what = "Fundraising"
        case .campaigning: what = "Campaigning"
        case .service: what = "Service messages"
        }
        let products = consent.products.map { " of " + $0.joined(separator: ", ") } ?? ""
        let channels = consent.channels.channels.map(\.displayName).joined(separator: ", ")
        return "\(what)\(products) from \(consent.to.joined(separator: ", ")) by \(channels)"
    }

    /// Kantara CR v1.1 purpose categories.
    private static func purposeCategories(_ purpose: Purpose) -> [String] {
        switch purpose {
        case .marketing, .fundraising, .campaigning: return ["Marketing"]
        case .service: return ["Core Function"]
        }
    }

    /// The personal data the consent lets the controller use: the contact details of its channels.
    private static func piiCategories(_ channels: ChannelSet) -> [String] {
        var categories = ["contact details"]
        func add(_ category: String) { if !categories.contains(category) { categories.append(category) } }
        for channel in channels.channels {
            switch channel {
            case .email: add("email address")
            case .sms, .voicemail, .liveCall, .automatedCall, .fax: add("phone number")
            case .post: add("postal address")
            case .inApp, .socialDM, .onlineAd: add("online identifier")
            }
        }
        return categories
    }

    private static func termination(_ consent: ConsentGiven, _ controller: Controller) -> String {
        let withdraw = controller.withdrawalMethod ?? "the person may withdraw it at any time by opting out"
        if let expires = consent.expiresAt { return "Expires \(expires.rfc3339); \(withdraw)" }
        return "Until withdrawn; \(withdraw)"
    }
}
