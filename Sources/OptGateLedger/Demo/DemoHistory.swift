import OptGateCore

/// One demo contact's history over the two years before `now`: a story (how the organisation got
/// the person's details), then what followed (marketing sent, opt-outs and pauses, register
/// listings, privacy signals, frequency preferences). Events are collected, put in time order, cut
/// at `now`, and numbered (`d-0000042-03`), so the ids are stable for a seed.
///
/// The stories, per 100 contacts, roughly:
/// - 28 retail customers: a sale, refusal offered at checkout for most (some refuse there; a few
///   checkouts offered none), some consenting to the group's travel company or to the insurance
///   partner at the same checkout, some buying again;
/// - 12 travel customers: a holiday booking, some consenting to texts by replying to a keyword;
/// - 10 negotiations: quotes, product enquiries and abandoned checkouts, some leading to a sale;
/// - 18 newsletter sign-ups with consent of every method: double opt-in, unticked box, signed form,
///   settings toggle, and the invalid ones (pre-ticked box, bundled with terms, privacy-notice
///   statement, inactivity); some consents scoped to a category, some expiring;
/// - 10 charity supporters (donation, membership, volunteering, interest; some via a fundraising
///   platform, so not obtained directly), some consenting to fundraising;
/// - 7 telephone sales with a recorded verbal consent to calls and texts;
/// - 15 prospects whose details came from a data broker, a public directory, a third party or a
///   group company, with no consent.
///
/// Then: about 18 in 100 opt out (one-click, link, SMS STOP, preference centre by product, channel
/// or pause, phone, complaint, consent withdrawn); phone numbers are listed on TPS, CTPS, the US
/// Do Not Call Registry or Ireland's NDD; Californians send Global Privacy Control signals; a few
/// ask for fewer messages; a few are mailed so often that the policy's cap is reached.
struct DemoHistory {
    let contactID: String
    let profile: ContactProfile
    let now: Timestamp
    let organisation: DemoOrganisation
    /// The start of the two years.
    let start: Timestamp
    let hasPhone: Bool

    private var pending: [(at: Timestamp, kind: Event.Kind, evidence: EventEvidence?)] = []
    /// The entity the story is mostly with, and the products it was about.
    private var sender = DemoOrganisation.retailer
    private var products: [String] = []
    private var channels: ChannelSet = [.email]
    /// When the story began.
    private var began: Timestamp

    init(contactID: String, profile: ContactProfile, now: Timestamp, organisation: DemoOrganisation) {
        self.contactID = contactID
        self.profile = profile
        self.now = now
        self.organisation = organisation
        start = now.adding(days: -730)
        began = start
        hasPhone = profile.identifiers.contains { $0.kind == .phone }
    }

    private enum Story { case retailSale, travelSale, negotiation, newsletter, charity, phoneSale, prospect }

    mutating func generate(_ r: inout DemoRandom) {
        began = moment(&r, from: start, days: 0...700)
        let story = r.pick(weighted: [
            (Story.retailSale, 28), (.travelSale, 12), (.negotiation, 10), (.newsletter, 18), (.charity, 10), (.phoneSale, 7),
            (.prospect, 15),
        ])
        switch story {
        case .retailSale: retailSale(&r, at: began, repeatable: true)
        case .travelSale: travelSale(&r)
        case .negotiation: negotiation(&r)
        case .newsletter: newsletter(&r)
        case .charity: charity(&r)
        case .phoneSale: hasPhone ? phoneSale(&r) : retailSale(&r, at: began, repeatable: true)
        case .prospect: prospect(&r)
        }
        if story != .prospect || r.chance(0.5) { marketingSent(&r) }
        if r.chance(0.015) { burst(&r) }
        if r.chance(0.18) { optOut(&r) }
        if r.chance(0.03) { add(moment(&r, from: began, days: 1...600), .optOut(OptOut(via: .preferenceCentre)), web(&r, "preference centre")) }
        if hasPhone { registers(&r) }
        privacySignal(&r)
        if r.chance(0.03) { frequency(&r) }
    }

    /// The events in time order (a stable sort: same-second events keep their story order), before
    /// `now`, with their ids.
    func finished() -> [(event: Event, evidence: EventEvidence?)] {
        let ordered = pending.enumerated()
            .filter { $0.element.at < now }
            .sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
        return ordered.enumerated().map { number, item in
            (Event(id: contactID + "-" + DemoPhoneNumbers.digits(number + 1, width: 2), at: item.element.at, item.element.kind), item.element.evidence)
        }
    }

    // MARK: Stories

    private mutating func retailSale(_ r: inout DemoRandom, at: Timestamp, repeatable: Bool) {
        sender = DemoOrganisation.retailer
        products = pickProducts(&r, DemoOrganisation.retailProducts)
        channels = hasPhone && r.chance(0.5) ? [.email, .sms] : [.email]
        let offered = r.chance(0.92)
        let online = r.chance(0.6)
        add(at, .detailsCollected(DetailsCollected(
            by: sender, context: .sale, products: products, channels: channels, refusalOffered: offered,
            refused: offered && r.chance(0.06))),
            online ? web(&r, "web checkout") : EventEvidence(collectionPoint: "store till", actor: "till-\(r.int(in: 1...40))"))
        if online && r.chance(0.25) {
            add(at.adding(seconds: 60), .consentGiven(ConsentGiven(
                to: [DemoOrganisation.travel], channels: [.email], method: .uncheckedBox,
                noticeVersion: organisation.emailNotice(at: at), source: "checkout")), web(&r, "web checkout"))
        }
        if online && r.chance(0.12) {
            add(at.adding(seconds: 90), .consentGiven(ConsentGiven(
                to: [DemoOrganisation.partner], channels: [.email], method: .uncheckedBox, noticeVersion: "partner-v1",
                source: "checkout partner box", collectedBy: DemoOrganisation.retailer)), web(&r, "web checkout"))
        }
        if repeatable && r.chance(0.2) {
            retailSale(&r, at: moment(&r, from: at, days: 60...400), repeatable: false)
        }
    }

    private mutating func travelSale(_ r: inout DemoRandom) {
        sender = DemoOrganisation.travel
        products = [r.pick(["city-breaks", "beach-holidays"])] + (r.chance(0.4) ? ["travel-insurance"] : [])
        channels = hasPhone && r.chance(0.6) ? [.email, .sms] : [.email]
        add(began, .detailsCollected(DetailsCollected(
            by: sender, context: .sale, products: products, channels: channels, refusalOffered: r.chance(0.9))),
            r.chance(0.8) ? web(&r, "holiday booking") : EventEvidence(collectionPoint: "travel agent", actor: "agent-\(r.int(in: 1...25))"))
        if hasPhone && r.chance(0.3) {
            add(moment(&r, from: began, days: 1...20), .consentGiven(ConsentGiven(
                to: [sender], channels: [.sms], method: .replyKeyword, noticeVersion: "sms-v1", source: "sms keyword")),
                EventEvidence(collectionPoint: "SMS keyword HOLIDAYS", actor: "sms-gateway"))
        }
    }

    private mutating func negotiation(_ r: inout DemoRandom) {
        sender = r.chance(0.65) ? DemoOrganisation.retailer : DemoOrganisation.travel
        products = [r.pick(sender == DemoOrganisation.retailer ? DemoOrganisation.retailProducts : DemoOrganisation.travelProducts)]
        channels = [.email]
        let context = r.pick(weighted: [(DetailsCollected.Context.quoteRequest, 3), (.productEnquiry, 3), (.abandonedCheckout, 4)])
        add(began, .detailsCollected(DetailsCollected(
            by: sender, context: context, products: products, channels: channels, refusalOffered: r.chance(0.85))),
            web(&r, context == .abandonedCheckout ? "web checkout (abandoned)" : "enquiry form"))
        if r.chance(0.3) {
            add(moment(&r, from: began, days: 1...60), .detailsCollected(DetailsCollected(
                by: sender, context: .sale, products: products, channels: channels, refusalOffered: true)), web(&r, "web checkout"))
        }
    }

    private mutating func newsletter(_ r: inout DemoRandom) {
        sender = DemoOrganisation.retailer
        products = []
        channels = hasPhone && r.chance(0.3) ? [.email, .sms] : [.email]
        let method = r.pick(weighted: [
            (ConsentGiven.Method.doubleOptIn, 35), (.uncheckedBox, 25), (.preTickedBox, 12), (.bundledWithTerms, 6),
            (.privacyNoticeStatement, 6), (.signedForm, 6), (.settingsToggle, 6), (.inactivity, 4),
        ])
        add(began, .detailsCollected(DetailsCollected(
            by: sender, context: .newsletterSignup, channels: channels, refusalOffered: true)), web(&r, "newsletter form"))
        let scoped: [String]? = r.chance(0.15) ? r.pick([["laptops", "laptop-accessories"], ["kitchen-appliances", "cookware"]]) : nil
        let expires = method == .signedForm && r.chance(0.5) ? began.adding(years: 1) : nil
        add(began.adding(seconds: method == .doubleOptIn ? 600 : 30), .consentGiven(ConsentGiven(
            to: r.chance(0.3) ? [sender, DemoOrganisation.travel] : [sender], channels: channels, products: scoped, method: method,
            noticeVersion: organisation.emailNotice(at: began),
            source: method == .settingsToggle ? "account settings" : "newsletter form", expiresAt: expires)),
            method == .signedForm ? EventEvidence(collectionPoint: "signed form", actor: "store-\(r.int(in: 1...12))") : web(&r, "newsletter form"))
        if let scoped { products = scoped }
    }

    private mutating func charity(_ r: inout DemoRandom) {
        sender = DemoOrganisation.charity
        products = []
        channels = hasPhone && r.chance(0.4) ? [.email, .sms] : [.email]
        let context = r.pick(weighted: [
            (DetailsCollected.Context.charityDonation, 5), (.charityMembership, 2), (.charityVolunteering, 1), (.charityInterest, 2),
        ])
        let platform = r.chance(0.15)
        let offered = r.chance(0.9)
        add(began, .detailsCollected(DetailsCollected(
            by: sender, from: platform ? .thirdParty : .recipient, context: context, channels: channels, refusalOffered: offered,
            refused: offered && r.chance(0.04))),
            web(&r, platform ? "fundraising platform" : "donation page"))
        if r.chance(0.35) {
            add(began.adding(seconds: 45), .consentGiven(ConsentGiven(
                to: [sender], channels: channels, purposes: [.fundraising], method: .uncheckedBox, noticeVersion: "charity-v1",
                source: "donation page")), web(&r, "donation page"))
        }
    }

    private mutating func phoneSale(_ r: inout DemoRandom) {
        sender = DemoOrganisation.retailer
        products = pickProducts(&r, DemoOrganisation.retailProducts)
        channels = [.email, .liveCall]
        let call = EventEvidence(collectionPoint: "call centre", actor: "agent-\(r.int(in: 1...60))")
        add(began, .detailsCollected(DetailsCollected(
            by: sender, context: .sale, products: products, channels: channels, refusalOffered: r.chance(0.9))), call)
        add(began.adding(seconds: 120), .consentGiven(ConsentGiven(
            to: [sender], channels: [.liveCall, .sms], method: .verbalRecorded, noticeVersion: "phone-v1", source: "sales call")), call)
    }

    private mutating func prospect(_ r: inout DemoRandom) {
        sender = r.chance(0.7) ? DemoOrganisation.retailer : DemoOrganisation.travel
        products = []
        channels = hasPhone ? [.email, .liveCall] : [.email]
        let source = r.pick(weighted: [
            (DetailsCollected.Source.dataBroker, 4), (.publicSource, profile.subscriber == .corporate ? 6 : 2), (.thirdParty, 2),
            (.groupCompany, 2),
        ])
        let point: String
        switch source {
        case .dataBroker: point = "purchased list"
        case .publicSource: point = "business directory"
        case .thirdParty: point = "partner referral"
        case .groupCompany, .recipient: point = "group CRM"
        }
        if source == .groupCompany { products = [r.pick(DemoOrganisation.travelProducts)]; sender = DemoOrganisation.travel }
        add(began, .detailsCollected(DetailsCollected(
            by: sender, from: source, context: source == .groupCompany ? .sale : .other, products: products, channels: channels,
            refusalOffered: false)), EventEvidence(collectionPoint: point, actor: "crm-import"))
    }

    // MARK: What followed

    private mutating func marketingSent(_ r: inout DemoRandom) {
        var at = began
        let channel: Channel = channels.contains(.sms) && r.chance(0.2) ? .sms : .email
        for _ in 0..<r.below(6) {
            at = moment(&r, from: at, days: 20...80)
            add(at, .marketingSent(MarketingSent(by: sender, channel: channel, products: products)), nil)
        }
    }

    /// Twelve emails from the retailer in the last four weeks: the policy's cap of 12 in 30 days.
    private mutating func burst(_ r: inout DemoRandom) {
        guard began < now.adding(days: -30) else { return }
        let products = [r.pick(DemoOrganisation.retailProducts)]
        for k in 0..<12 {
            add(now.adding(days: -28 + 2 * k).adding(seconds: Int64(r.below(36_000))), .marketingSent(
                MarketingSent(by: DemoOrganisation.retailer, channel: .email, products: products)), nil)
        }
    }

    private enum OptOutKind { case oneClick, link, smsStop, byProduct, byChannel, pause, phone, complaint, withdrawn }

    private mutating func optOut(_ r: inout DemoRandom) {
        let at = moment(&r, from: began, days: 1...500)
        var kind = r.pick(weighted: [
            (OptOutKind.oneClick, 30), (.link, 10), (.smsStop, 15), (.byProduct, 10), (.byChannel, 5), (.pause, 15), (.phone, 5),
            (.complaint, 5), (.withdrawn, 5),
        ])
        if kind == .smsStop && !hasPhone { kind = .oneClick }
        if kind == .byProduct && products.isEmpty { kind = .byChannel }
        switch kind {
        case .oneClick:
            add(at, .optOut(OptOut(channels: [.email], entity: sender, via: .oneClick)), web(&r, "List-Unsubscribe one-click"))
        case .link:
            add(at, .optOut(OptOut(channels: [.email], entity: sender, via: .link)), web(&r, "unsubscribe page"))
        case .smsStop:
            add(at, .optOut(OptOut(channels: [.sms], entity: r.chance(0.7) ? sender : nil, via: .smsStop)),
                EventEvidence(collectionPoint: "SMS reply STOP", actor: "sms-gateway"))
        case .byProduct:
            add(at, .optOut(OptOut(products: products, entity: sender, via: .preferenceCentre)), web(&r, "preference centre", reason: "not_relevant"))
        case .byChannel:
            add(at, .optOut(OptOut(channels: [.email], entity: sender, via: .preferenceCentre)), web(&r, "preference centre", reason: "too_many"))
        case .pause:
            let days = r.pick([30, 90, 180])
            add(at, .optOut(OptOut(entity: sender, via: .preferenceCentre, until: at.adding(days: days))), web(&r, "preference centre"))
        case .phone:
            add(at, .optOut(OptOut(entity: sender, via: .phone)), EventEvidence(collectionPoint: "call centre", actor: "agent-\(r.int(in: 1...60))"))
        case .complaint:
            add(at, .optOut(OptOut(via: .complaint)), EventEvidence(collectionPoint: "complaints team", actor: "complaints"))
        case .withdrawn:
            add(at, .optOut(OptOut(channels: [.email], entity: sender, via: .consentWithdrawn)), web(&r, "account settings"))
        }
    }

    private mutating func registers(_ r: inout DemoRandom) {
        let register: PreferenceRegister?
        switch profile.jurisdiction?.country {
        case "GB": register = r.chance(0.25) ? (profile.subscriber.isCorporate ? .ctps : .tps) : (r.chance(0.04) ? .mps : nil)
        case "US": register = r.chance(0.3) ? .usDNC : nil
        case "IE": register = r.chance(0.15) ? .ndd : nil
        default: register = nil
        }
        guard let register else { return }
        let at = moment(&r, from: start, days: 0...720)
        add(at, .registerListed(register), EventEvidence(collectionPoint: "\(register.rawValue) screening", actor: "register-check"))
        if r.chance(0.05) {
            add(moment(&r, from: at, days: 30...300), .registerRemoved(register),
                EventEvidence(collectionPoint: "\(register.rawValue) screening", actor: "register-check"))
        }
    }

    private mutating func privacySignal(_ r: inout DemoRandom) {
        guard profile.jurisdiction?.country == "US" else { return }
        guard r.chance(profile.jurisdiction?.subdivision == "CA" ? 0.35 : 0.08) else { return }
        add(moment(&r, from: began, days: 0...400), .gpcSignal(true), web(&r, "preference page"))
    }

    private mutating func frequency(_ r: inout DemoRandom) {
        let at = moment(&r, from: began, days: 1...300)
        let limit = r.pick([1, 4])
        add(at, .frequencySet(FrequencyPreference(entity: sender, channels: r.chance(0.5) ? [.email] : nil, maxPer30Days: limit)),
            web(&r, "preference centre", reason: "too_many"))
        if r.chance(0.1) {
            // Relaxed later. Not lifted with `null`: the event decoder reads `"max_per_30_days": null`
            // as missing, so such a record would not read back.
            add(moment(&r, from: at, days: 30...200), .frequencySet(FrequencyPreference(entity: sender, maxPer30Days: 10)), web(&r, "preference centre"))
        } else if at < now.adding(days: -20) {
            for k in 0..<limit {
                add(now.adding(days: -18 + 4 * k), .marketingSent(MarketingSent(by: sender, channel: .email, products: products)), nil)
            }
        }
    }

    // MARK: Helpers

    private mutating func add(_ at: Timestamp, _ kind: Event.Kind, _ evidence: EventEvidence?) {
        pending.append((at, kind, evidence))
    }

    /// An instant `days` days (whole days and a random time of day) after `from`.
    private func moment(_ r: inout DemoRandom, from: Timestamp, days: ClosedRange<Int>) -> Timestamp {
        from.adding(days: r.int(in: days)).adding(seconds: Int64(r.below(86_400)))
    }

    private func pickProducts(_ r: inout DemoRandom, _ list: [String]) -> [String] {
        let first = r.below(list.count)
        guard r.chance(0.3) else { return [list[first]] }
        let second = (first + 1 + r.below(list.count - 1)) % list.count
        return [list[first], list[second]]
    }

    private static let userAgents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
        "Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    ]

    /// Evidence of a web capture: the page, an address in a documentation range (RFC 5737, RFC 3849),
    /// a browser.
    private func web(_ r: inout DemoRandom, _ point: String, reason: String? = nil) -> EventEvidence {
        let ip: String
        switch r.below(3) {
        case 0: ip = "203.0.113.\(r.int(in: 1...254))"
        case 1: ip = "198.51.100.\(r.int(in: 1...254))"
        default: ip = "2001:db8:\(String(r.below(0x10000), radix: 16))::\(r.int(in: 1...999))"
        }
        return EventEvidence(collectionPoint: point, ip: ip, userAgent: r.pick(Self.userAgents), reason: reason)
    }
}
