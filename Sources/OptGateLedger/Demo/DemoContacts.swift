import OptGateCore

/// The synthetic contacts of `optgate demo`: contact `i` of a seed is always the same person with
/// the same history, generated on its own (no contact depends on another), so any number of them
/// can be streamed in bounded memory.
///
/// The mix (per 100 contacts, roughly): jurisdictions GB 40, IE 12, DE 15, US 13 and US-CA 8, CA 12;
/// individuals 78, sole traders 8, corporate subscribers 14; every contact has an email address,
/// about 60 a mobile number. Their histories are described in `DemoHistory`.
public struct DemoContacts: Sendable {
    /// Contacts beyond this would share phone numbers (the smallest numbering block, North American
    /// exchanges, has 7,920,000 numbers per area code).
    public static let maximumCount = 5_000_000
    /// The default `now`: the end of the two years of history.
    public static let defaultNow = Timestamp(year: 2026, month: 12, day: 1)!

    public let count: Int
    public let seed: UInt64
    /// Every event is dated in the two years before this instant.
    public let now: Timestamp
    public let organisation: DemoOrganisation

    public init(count: Int, seed: UInt64, now: Timestamp = DemoContacts.defaultNow) {
        precondition((0...Self.maximumCount).contains(count), "count must be between 0 and \(Self.maximumCount)")
        self.count = count
        self.seed = seed
        self.now = now
        organisation = DemoOrganisation(now: now)
    }

    /// Contact `index`: profile, events and whether it is erased.
    public func contact(_ index: Int) -> DemoContact {
        let profile = profile(index)
        var random = DemoRandom(seed: seed, stream: UInt64(index), purpose: 2)
        var history = DemoHistory(contactID: profile.id, profile: profile, now: now, organisation: organisation)
        history.generate(&random)
        return DemoContact(index: index, profile: profile, events: history.finished(), erased: random.chance(0.005))
    }

    // MARK: Identity

    /// `d-0000042`: pseudonymous, never personal data.
    public func id(_ index: Int) -> String { "d-" + DemoPhoneNumbers.digits(index, width: 7) }

    /// The profile of contact `index` alone (cheaper than the whole contact: no history).
    public func profile(_ index: Int) -> ContactProfile {
        var random = DemoRandom(seed: seed, stream: UInt64(index), purpose: 1)
        let jurisdiction = random.pick(weighted: Self.jurisdictions)
        let subscriber = random.pick(weighted: [(SubscriberType.individual, 78), (.soleTrader, 8), (.corporate, 14)])
        var identifiers = [Self.email(index: index, subscriber: subscriber)]
        if random.chance(subscriber == .corporate ? 0.7 : 0.6) {
            let number = DemoPhoneNumbers.number(index: index, jurisdiction: jurisdiction, pick: random.below(8))
            identifiers.append(try! Identifier.phone(number))
        }
        return ContactProfile(id: id(index), jurisdiction: jurisdiction, subscriber: subscriber, identifiers: identifiers)
    }

    static let jurisdictions: [(JurisdictionCode, Int)] = [
        (JurisdictionCode("GB")!, 40), (JurisdictionCode("IE")!, 12), (JurisdictionCode("DE")!, 15),
        (JurisdictionCode("US")!, 13), (JurisdictionCode("US-CA")!, 8), (JurisdictionCode("CA")!, 12),
    ]

    /// Addresses in the reserved `.test` domain (RFC 2606): `person42@example.test`, and for
    /// businesses `office42@company.example.test`, `person42@trader.example.test`.
    static func email(index: Int, subscriber: SubscriberType) -> Identifier {
        let text: String
        switch subscriber {
        case .corporate, .scottishPartnership: text = "office\(index)@company.example.test"
        case .soleTrader, .partnership: text = "person\(index)@trader.example.test"
        case .individual, .unknown: text = "person\(index)@example.test"
        }
        return try! Identifier.email(text)
    }

    /// The `k`-th email address no contact has.
    public static func unknownEmail(_ k: Int) -> String { "nobody\(k)@example.test" }

    /// The `k`-th phone number no contact has.
    public static func unknownPhone(_ k: Int) -> String { DemoPhoneNumbers.unknown(k) }

    /// The `k`-th contact id the ledger does not hold.
    public static func unknownID(_ k: Int) -> String { "x-" + DemoPhoneNumbers.digits(k, width: 7) }
}
