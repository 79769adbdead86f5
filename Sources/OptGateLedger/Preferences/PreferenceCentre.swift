import OptGateCore

/// What a person's preference centre shows for one sending entity, worked out from their timeline:
/// which channels the entity may use for marketing now, which product categories they still hear
/// about, whether they paused marketing and until when, and any limit on how often.
///
/// "Subscribed" on a channel means the engine would allow a marketing message from the entity on it
/// (after a pause ends, if one is running): the page shows what the person will actually get.
public struct PreferenceCentre: Sendable {
    public struct ChannelChoice: Hashable, Sendable {
        public var channel: Channel
        public var subscribed: Bool

        public init(channel: Channel, subscribed: Bool) {
            self.channel = channel
            self.subscribed = subscribed
        }
    }

    public struct CategoryChoice: Hashable, Sendable {
        /// The category's name (or the product's id for a product without one).
        public var key: String
        public var label: String
        public var productIDs: [String]
        public var subscribed: Bool
    }

    public var contactID: String
    public var entity: Entity
    public var channels: [ChannelChoice]
    public var categories: [CategoryChoice]
    /// The end of a pause in force, if any.
    public var pausedUntil: Timestamp?
    /// The person's limit on marketing from this entity per 30 days, if any.
    public var maxPer30Days: Int?
    /// An opt-out of everything (every entity, channel and product) binds.
    public var optedOutOfEverything: Bool

    /// The channels a preference centre offers: the link's own, and those the contact has an
    /// address for.
    static func offeredChannels(linkChannel: Channel, profile: ContactProfile?) -> [Channel] {
        var channels: [Channel] = []
        let kinds = Set(profile?.identifiers.map(\.kind) ?? [])
        if kinds.contains(.email) || linkChannel == .email { channels.append(.email) }
        if kinds.contains(.phone) || linkChannel == .sms { channels.append(.sms) }
        if linkChannel != .email && linkChannel != .sms { channels.append(linkChannel) }
        return channels
    }

    public init(
        timeline: ContactTimeline, organisation history: OrganisationHistory, token: LinkToken, at now: Timestamp,
        engine: DecisionEngine
    ) {
        let organisation = history.organisation(at: now)
        let entity = organisation.entities[token.entity] ?? Entity(id: token.entity, kind: .company)
        contactID = timeline.contactID
        self.entity = entity

        var pausedUntil: Timestamp?
        var everything = false
        var frequency: (at: Timestamp, max: Int?)?
        for event in timeline.events where event.at <= now {
            switch event.kind {
            case .optOut(let optOut) where optOut.binds(at: now):
                if let until = optOut.until, optOut.channels == nil, optOut.products == nil,
                   optOut.entity == nil || optOut.entity == entity.id
                {
                    pausedUntil = Swift.max(pausedUntil ?? until, until)
                } else if optOut.until == nil, optOut.channels == nil, optOut.products == nil, optOut.entity == nil {
                    everything = true
                }
            case .consentGiven(let consent) where consent.to.contains(entity.id) && consent.method.isAffirmative:
                // A later consent lifts an earlier opt-out of everything for what it names.
                if everything, consent.products == nil { everything = false }
            case .frequencySet(let preference) where preference.entity == nil || preference.entity == entity.id:
                if preference.channels == nil, frequency == nil || event.at >= frequency!.at { frequency = (event.at, preference.maxPer30Days) }
            default:
                break
            }
        }
        self.pausedUntil = pausedUntil
        optedOutOfEverything = everything
        maxPer30Days = frequency?.max

        // Asked after the pause, so the page shows the choices the pause only suspends.
        let asOf = pausedUntil.map { Swift.max($0, now) } ?? now
        let offered = Self.offeredChannels(linkChannel: token.channel, profile: timeline.profile(at: now))
        // A message like the ones the entity sends: promoting what the person last bought from it
        // (the soft opt-in's "similar products"). Category choices are shown apart, so opt-outs
        // that name products are left out of the channels' answer.
        let products = timeline.latestProducts(by: entity.id, at: now)
        let channelTimeline = ContactTimeline(contactID: timeline.contactID, profiles: timeline.profiles, events: timeline.events.filter {
            if case .optOut(let optOut) = $0.kind, optOut.products != nil { return false }
            return true
        })
        let decisions = channelTimeline.decide(
            offered.map { Message(from: entity.id, channel: $0, purpose: .marketing, products: products) }, at: asOf,
            organisation: history, engine: engine)
        channels = zip(offered, decisions).map { ChannelChoice(channel: $0, subscribed: $1.allowed) }

        var grouped: [(key: String, label: String, products: [String])] = []
        for product in organisation.catalogue.products {
            let key = product.category ?? product.id
            if let i = grouped.firstIndex(where: { $0.key == key }) {
                grouped[i].products.append(product.id)
            } else {
                grouped.append((key, product.category ?? product.displayName, [product.id]))
            }
        }
        categories = grouped.map { group in
            CategoryChoice(
                key: group.key, label: group.label, productIDs: group.products,
                subscribed: !Self.productsOptedOut(group.products, entity: entity.id, timeline: timeline, at: now))
        }
    }

    /// Whether a binding opt-out naming any of `products` (from this entity or all) is newer than
    /// the latest affirmative consent to this entity covering all of them.
    static func productsOptedOut(_ products: [String], entity: String, timeline: ContactTimeline, at now: Timestamp) -> Bool {
        var optedOut: Timestamp?
        var consented: Timestamp?
        for event in timeline.events where event.at <= now {
            switch event.kind {
            case .optOut(let optOut):
                guard let named = optOut.products, optOut.binds(at: now), optOut.entity == nil || optOut.entity == entity,
                      products.contains(where: named.contains)
                else { continue }
                optedOut = Swift.max(optedOut ?? event.at, event.at)
            case .consentGiven(let consent):
                guard consent.to.contains(entity), consent.method.isAffirmative,
                      consent.products.map({ named in products.allSatisfy(named.contains) }) ?? true
                else { continue }
                consented = Swift.max(consented ?? event.at, event.at)
            default:
                continue
            }
        }
        guard let optedOut else { return false }
        return consented.map { $0 <= optedOut } ?? true
    }
}
