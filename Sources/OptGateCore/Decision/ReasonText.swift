/// Renders a reason's evidence as a sentence a compliance officer reads.
enum ReasonText {
    static func detail(for reason: Reason) -> String {
        let e = reason.evidence
        let event = eventPhrase(e)
        let base = sentence(reason.code, e, event)
        if let note = e.noteText { return base + " (" + note + ")" }
        return base
    }

    private static func eventPhrase(_ e: Evidence) -> String {
        let name = e.eventID.map { "event \($0)" } ?? e.eventIndex.map { "event #\($0 + 1)" }
        switch (e.eventAt, name) {
        case let (at?, name?): return "on \(at.dayText) (\(name))"
        case let (at?, nil): return "on \(at.dayText)"
        case let (nil, name?): return "(\(name))"
        case (nil, nil): return ""
        }
    }

    private static func q(_ text: String?) -> String { text ?? "?" }

    private static func sentence(_ code: ReasonCode, _ e: Evidence, _ event: String) -> String {
        let channel = e.channel?.displayName ?? "this channel"
        let entity = q(e.entity)
        let date = e.date?.dayText ?? "?"
        switch code {
        case .notMarketingService:
            return "a service message with no promotional content is not direct marketing"
        case .notMarketingSolicited:
            return "the person specifically asked for this message, so it is not unsolicited"
        case .consentValid:
            var text = "consent (\(e.method?.rawValue ?? "?")) \(event) names \(entity) and covers \(channel)"
            if let until = e.date { text += ", until \(until.dayText)" }
            return text
        case .consentNone:
            return "no consent to \(channel) \(e.purpose?.rawValue ?? "marketing") from \(entity) is recorded"
        case .consentInvalidMethod:
            return "consent \(event) was obtained by \(e.method?.rawValue ?? "?"), which is not a clear affirmative act"
        case .consentChannelNotCovered:
            return "consent \(event) does not cover \(channel): consent must be specific to the channel"
        case .consentPurposeNotCovered:
            return "consent \(event) does not cover \(e.purpose?.rawValue ?? "this purpose")"
        case .consentSenderNotNamed:
            return "consent \(event) does not name \(entity): consent to unnamed or other organisations is not consent to this sender"
        case .consentThirdPartyNotNamed:
            return "consent \(event) does not name \(entity), whose products the message promotes"
        case .consentProductNotCovered:
            return "consent \(event) does not cover product \(q(e.product))"
        case .consentExpired:
            return "consent \(event) expired on \(date)"
        case .consentIndirectLapsed:
            return "consent \(event) was collected by \(q(e.entity)) for the sender and is relied on only until \(date)"
        case .consentNotWritten:
            return "consent \(event) was obtained by \(e.method?.rawValue ?? "?"), not a signed written agreement"

        case .softOptInSale, .softOptInNegotiation:
            var text = "\(e.context.map(contextPhrase) ?? "sale")"
            if let product = e.matchedProduct { text += " of \(product)" }
            text += " \(event) by \(entity), details from the recipient"
            if let product = e.product, product != e.matchedProduct { text += "; \(product) is similar" }
            if let until = e.date { text += "; lasts until \(until.dayText)" }
            return text
        case .softOptInNoDetails:
            return "\(entity) has no record of obtaining the person's details in a sale or negotiation"
        case .softOptInOtherEntity:
            return "the details \(event) were obtained by \(entity), a different legal person from the sender"
        case .softOptInNotObtainedDirectly:
            return "the details \(event) came from a \(e.source.map(sourcePhrase) ?? "third party"), not from the person directly"
        case .softOptInNoSaleOrNegotiation:
            return "the details \(event) were given in a \(e.context.map(contextPhrase) ?? "context") that is not a sale or negotiations for a sale"
        case .softOptInChannelNotCollected:
            return "the details \(event) do not include an address or number to reach the person by \(channel)"
        case .softOptInChannelNotCovered:
            return "the existing-customer exception does not extend to \(channel) here"
        case .softOptInNoRefusalOffered:
            return "no simple, free means of refusing marketing was offered when the details were collected \(event)"
        case .softOptInRefused:
            return "the person refused marketing when the details were collected \(event)"
        case .softOptInDissimilarProduct:
            return "\(q(e.product)) is not the same as or assessed similar to anything bought or discussed \(event)"
        case .softOptInNoProducts:
            return "the message names no product, so similarity to the sale cannot be shown"
        case .softOptInThirdPartyPromotion:
            return "the message promotes \(entity)'s products, not the sender's own"
        case .softOptInNotCommercial:
            return "the soft opt-in covers commercial marketing of products, not \(e.purpose?.rawValue ?? "this purpose")"
        case .softOptInExpired:
            return "the soft opt-in from the details collected \(event) lapsed on \(date)"
        case .softOptInFirstMessageTooLate:
            return "the first marketing message after the sale \(event) was not sent within 12 months; the exception lapsed on \(date)"
        case .softOptInNoOptOutInMessage:
            return "the message does not offer a free, simple way to refuse further marketing"

        case .charitySupport:
            var text = "\(e.context.map(contextPhrase) ?? "support") \(event) to \(entity), details from the recipient"
            if let until = e.date { text += "; lasts until \(until.dayText)" }
            return text
        case .charityNotInForce:
            return "the charity soft opt-in is in force only from \(date)"
        case .charityNotACharity:
            return "\(entity) is not a registered charity"
        case .charityNotFundraising:
            return "the charity soft opt-in covers messages furthering charitable purposes only, not \(e.purpose?.rawValue ?? "this purpose")"
        case .charityMixedPurpose:
            return "the message also promotes \(q(e.product)): its sole purpose must be the charity's charitable purposes"
        case .charityOtherOrganisation:
            return "the message promotes \(entity), another organisation"
        case .charityNoSupport:
            return "\(entity) has no record of the person supporting it or expressing interest in its purposes"
        case .charityNotObtainedDirectly:
            return "the details \(event) came from a \(e.source.map(sourcePhrase) ?? "third party"), not from the person directly"
        case .charityBeforeCommencement:
            return "the details \(event) were obtained before \(date), when the charity soft opt-in began; it is not retrospective"
        case .charityChannelNotCollected:
            return "the details \(event) do not include an address or number to reach the person by \(channel)"
        case .charityNoRefusalOffered:
            return "no simple, free means of refusing marketing was offered when the details were collected \(event)"
        case .charityRefused:
            return "the person refused marketing when the details were collected \(event)"
        case .charityExpired:
            return "the charity soft opt-in from the details collected \(event) lapsed on \(date)"

        case .impliedPurchase:
            return "\(e.context.map(contextPhrase) ?? "purchase") \(event) with \(entity): implied consent until \(date)"
        case .impliedInquiry:
            return "\(e.context.map(contextPhrase) ?? "inquiry") \(event) to \(entity): implied consent until \(date)"
        case .impliedPublication:
            return "address conspicuously published \(event) and the message relates to the person's role"
        case .impliedNone:
            return "no purchase, contract or inquiry with \(entity) and no conspicuous publication is recorded"
        case .impliedPurchaseExpired:
            return "the \(e.context.map(contextPhrase) ?? "purchase") \(event) gave implied consent only until \(date)"
        case .impliedInquiryExpired:
            return "the \(e.context.map(contextPhrase) ?? "inquiry") \(event) gave implied consent only until \(date)"
        case .impliedPublicationNotRelevant:
            return "the address was published \(event), but the message does not relate to the person's business role"

        case .noConsentCorporateSubscriber:
            return "the recipient is a corporate subscriber: the consent rule for electronic mail does not apply"
        case .noConsentPost:
            return "addressed post needs no consent; an objection still binds"
        case .noConsentOptOutModel:
            return "the law here allows \(channel) marketing without prior consent, unless the person opts out"
        case .noConsentLiveCall:
            return "live calls need no consent unless the number is on a binding register or the person objected"
        case .noConsentBusinessRelevant:
            return "a business address and a message relevant to the recipient's profession"
        case .businessNotRelevant:
            return "the business exception needs a message that relates to the recipient's role or profession"

        case .optedOut:
            var text = "opt-out via \(e.route?.rawValue ?? "?") \(event) covers \(channel)"
            if let entity = e.entity { text += " from \(entity)" }
            if let product = e.product { text += " for \(product)" }
            if let until = e.date { text += ", paused until \(until.dayText)" }
            return text
        case .refusedAtCollection:
            return "the person refused marketing from \(entity) when giving the details \(event)"
        case .registerListed:
            return "the number has been on the \(e.register?.displayName ?? "register") since \(e.eventAt?.dayText ?? "?"), binding from \(date)"
        case .registerPending:
            return "the number was put on the \(e.register?.displayName ?? "register") on \(e.eventAt?.dayText ?? "?"); the listing binds from \(date)"
        case .registerOverriddenByConsent:
            return "the number is on the \(e.register?.displayName ?? "register"), but the person told \(entity) they do not object to its calls \(event)"
        case .gpcOptOut:
            return "a Global Privacy Control signal \(event) opts the person out of sale and sharing for advertising"
        case .senderConcealed:
            return "the message disguises or conceals the sender"
        case .noOptOutInMessage:
            return "the message does not carry a free, simple way to opt out"
        case .frequencyCapReached:
            return "\(e.count ?? 0) marketing messages by \(channel) from \(entity) in the last 30 days reach the sender's cap"
        case .frequencyPreferenceReached:
            return "\(e.count ?? 0) marketing messages by \(channel) from \(entity) in the last 30 days reach the limit the person asked for \(event)"
        case .jurisdictionUnknown:
            return "the recipient's jurisdiction is unknown, so the strictest rules apply: consent on every channel"
        case .channelNotRegulatedHere:
            return "this rule set has no rule for \(channel), so the strictest answer applies: consent"
        }
    }

    static func contextPhrase(_ context: DetailsCollected.Context) -> String {
        switch context {
        case .sale: return "sale"
        case .freeAccount: return "free account"
        case .freeTrial: return "free trial"
        case .quoteRequest: return "quote request"
        case .demoRequest: return "demo request"
        case .productEnquiry: return "product enquiry"
        case .abandonedCheckout: return "abandoned checkout"
        case .generalEnquiry: return "general enquiry"
        case .reservation: return "reservation"
        case .competitionEntry: return "competition entry"
        case .eventRegistration: return "event registration"
        case .newsletterSignup: return "newsletter sign-up"
        case .accountRegistration: return "account registration"
        case .charityDonation: return "donation"
        case .charityMembership: return "membership"
        case .charityVolunteering: return "volunteering"
        case .charityInterest: return "interest in the charity's purposes"
        case .other: return "other contact"
        }
    }

    static func sourcePhrase(_ source: DetailsCollected.Source) -> String {
        switch source {
        case .recipient: return "the recipient"
        case .thirdParty: return "third party"
        case .groupCompany: return "group company"
        case .dataBroker: return "data broker"
        case .publicSource: return "public source"
        }
    }
}
