import OptGateCore

/// A contact's marketing permissions at a glance, folded from their events: the latest consent per
/// sender and channel, the latest opt-out per scope, register listings, the latest privacy signal,
/// the latest sale per sender. The store keeps it up to date as events arrive, in any order; it is
/// equal to the state replayed from scratch (a property test holds it to that).
///
/// It is a summary for people and dashboards. Decisions are always made by the engine from the full
/// history, which this state never replaces.
public struct PermissionState: Hashable, Sendable {
    /// The latest of several marks for one key wins; ties break on the value, never on arrival order.
    public struct Mark<Value: Hashable & Sendable & Comparable>: Hashable, Sendable {
        public var at: Timestamp
        public var value: Value

        func isAfter(_ other: Mark) -> Bool { at != other.at ? at > other.at : value > other.value }
    }

    public var eventCount = 0
    public var firstEventAt: Timestamp?
    public var lastEventAt: Timestamp?
    /// `entity/channel` → the latest consent's method (`pre_ticked_box` and the like are recorded, and not valid).
    public var consents: [String: Mark<String>] = [:]
    /// Opt-out scope (`channels/products/entity`, `*` for all) → the latest opt-out's route.
    public var optOuts: [String: Mark<String>] = [:]
    /// Register → `listed` or `delisted`, the latest change (a tie keeps `listed`, the cautious reading).
    public var registers: [String: Mark<String>] = [:]
    /// The latest Global Privacy Control signal, `on` or `off` (a tie keeps `on`).
    public var privacySignal: Mark<String>?
    /// Entity → the latest sale in which it obtained the details from the person.
    public var lastSale: [String: Timestamp] = [:]
    /// Frequency scope (`channels/entity`, `*` for all) → the latest limit the person set, per 30 days.
    public var frequencies: [String: Mark<String>] = [:]
    /// Marketing messages sent, and the latest.
    public var marketingSent = 0
    public var lastMarketingAt: Timestamp?

    public init() {}

    /// The state of a whole history, folded in time order.
    public init(replaying events: [Event]) {
        self.init()
        for event in events.sorted(by: { $0.at < $1.at }) { apply(event) }
    }

    /// Folds in one event; the result does not depend on the order events arrive in.
    public mutating func apply(_ event: Event) {
        eventCount += 1
        firstEventAt = Swift.min(firstEventAt ?? event.at, event.at)
        lastEventAt = Swift.max(lastEventAt ?? event.at, event.at)
        switch event.kind {
        case .consentGiven(let consent):
            for entity in consent.to {
                for channel in consent.channels.channels {
                    Self.keepLatest(&consents["\(entity)/\(channel.rawValue)"], Mark(at: event.at, value: consent.method.rawValue))
                }
            }
        case .optOut(let optOut):
            let channels = optOut.channels.map { $0.channels.map(\.rawValue).joined(separator: ",") } ?? "*"
            let products = optOut.products.map { $0.sorted().joined(separator: ",") } ?? "*"
            // A pause is recorded with its end: `preference_centre until 2027-03-01`.
            let value = optOut.until.map { "\(optOut.via.rawValue) until \($0.dayText)" } ?? optOut.via.rawValue
            Self.keepLatest(&optOuts["\(channels)/\(products)/\(optOut.entity ?? "*")"], Mark(at: event.at, value: value))
        case .frequencySet(let preference):
            let channels = preference.channels.map { $0.channels.map(\.rawValue).joined(separator: ",") } ?? "*"
            Self.keepLatest(&frequencies["\(channels)/\(preference.entity ?? "*")"], Mark(at: event.at, value: preference.maxPer30Days.map(String.init) ?? "none"))
        case .registerListed(let register):
            Self.keepLatest(&registers[register.rawValue], Mark(at: event.at, value: "listed"))
        case .registerRemoved(let register):
            Self.keepLatest(&registers[register.rawValue], Mark(at: event.at, value: "delisted"))
        case .gpcSignal(let value):
            Self.keepLatest(&privacySignal, Mark(at: event.at, value: value ? "on" : "off"))
        case .detailsCollected(let details):
            if details.context == .sale && details.from == .recipient {
                lastSale[details.by] = Swift.max(lastSale[details.by] ?? event.at, event.at)
            }
        case .marketingSent:
            marketingSent += 1
            lastMarketingAt = Swift.max(lastMarketingAt ?? event.at, event.at)
        }
    }

    private static func keepLatest<V>(_ slot: inout Mark<V>?, _ mark: Mark<V>) {
        if let current = slot, !mark.isAfter(current) { return }
        slot = mark
    }

    /// Opt-outs in force: those not followed by a later consent for the same scope would need the
    /// engine to tell; this lists every recorded scope with its latest opt-out.
    public var optOutScopes: [String] { optOuts.keys.sorted() }
}

extension PermissionState: Codable {}
extension PermissionState.Mark: Codable where Value: Codable {}

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(secondsSinceEpoch: try decoder.singleValueContainer().decode(Int64.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(secondsSinceEpoch)
    }
}
