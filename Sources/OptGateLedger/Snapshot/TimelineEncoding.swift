import Crypto
import Foundation
import OptGateCore

/// The compact binary form of a `ContactTimeline` in a timeline snapshot: what a decision needs,
/// decoded without JSON. Enumerations are stored as their position in `allCases`, and the ids that
/// repeat across contacts (entities, products, notice versions, sources) as indexes into the
/// snapshot's string table. Event ids and contact ids are stored in place.
///
/// `schema` fingerprints every enumeration's cases: a build whose enumerations differ (a channel
/// added, a case moved) does not read an older snapshot, it rebuilds it.
enum TimelineEncoding {
    static let version: UInt32 = 3

    /// SHA-256 over the format version and every enumeration's cases in order.
    static let schema: [UInt8] = {
        var text = "timeline-encoding v\(version)"
        func add<E: CaseIterable & RawRepresentable>(_: E.Type) where E.RawValue == String {
            text += "|" + E.allCases.map(\.rawValue).joined(separator: ",")
        }
        add(Channel.self)
        add(Purpose.self)
        add(SubscriberType.self)
        add(ConsentGiven.Method.self)
        add(DetailsCollected.Source.self)
        add(DetailsCollected.Context.self)
        add(OptOut.Route.self)
        add(PreferenceRegister.self)
        return Array(SHA256.hash(data: Data(text.utf8)))
    }()

    /// Interns the repeated ids while a snapshot is written.
    struct StringTable {
        private(set) var strings: [String] = []
        private var indexes: [String: Int] = [:]

        mutating func index(_ text: String) -> Int {
            if let index = indexes[text] { return index }
            indexes[text] = strings.count
            strings.append(text)
            return strings.count - 1
        }
    }

    /// The string table as decoding reads it: the strings, and each one's jurisdiction code if it
    /// is one, parsed once rather than for every profile.
    struct Strings: Sendable {
        let texts: [String]
        let jurisdictions: [JurisdictionCode?]

        init(_ texts: [String]) {
            self.texts = texts
            jurisdictions = texts.map(JurisdictionCode.init)
        }
    }

    // MARK: Writing

    /// A timeline: its contact id, its profiles, then its events, each list after its count.
    static func encode(_ timeline: ContactTimeline, table: inout StringTable, into w: inout SnapshotByteWriter) {
        w.string(timeline.contactID)
        w.varint(timeline.profiles.count)
        for (recordedAt, profile) in timeline.profiles { encodeProfile(profile, recordedAt: recordedAt, table: &table, into: &w) }
        w.varint(timeline.events.count)
        for event in timeline.events { encode(event, table: &table, into: &w) }
    }

    /// One profile, as a timeline lists it (the builder assembles timelines from these pieces).
    static func encodeProfile(_ profile: ContactProfile, recordedAt: Timestamp, table: inout StringTable, into w: inout SnapshotByteWriter) {
        w.signed(recordedAt.secondsSinceEpoch)
        w.varint(profile.jurisdiction.map { table.index($0.description) + 1 } ?? 0)
        w.u8(position(profile.subscriber))
    }

    /// One event, as a timeline lists it.
    static func encode(_ event: Event, table: inout StringTable, into w: inout SnapshotByteWriter) {
        w.optionalString(event.id)
        w.signed(event.at.secondsSinceEpoch)
        func id(_ text: String) { w.varint(table.index(text)) }
        func optionalID(_ text: String?) { w.varint(text.map { table.index($0) + 1 } ?? 0) }
        func ids(_ list: [String]) {
            w.varint(list.count)
            list.forEach(id)
        }
        func optionalIDs(_ list: [String]?) {
            guard let list else { return w.varint(0) }
            w.varint(list.count + 1)
            list.forEach(id)
        }
        func optionalTime(_ time: Timestamp?) {
            guard let time else { return w.u8(0) }
            w.u8(1)
            w.signed(time.secondsSinceEpoch)
        }
        func optionalChannels(_ set: ChannelSet?) { w.varint(set.map { UInt64($0.rawValue) + 1 } ?? 0) }
        switch event.kind {
        case .detailsCollected(let d):
            w.u8(0)
            id(d.by)
            w.u8(position(d.from))
            w.u8(position(d.context))
            ids(d.products)
            w.varint(UInt64(d.channels.rawValue))
            w.u8((d.refusalOffered ? 1 : 0) | (d.refused ? 2 : 0))
        case .consentGiven(let c):
            w.u8(1)
            ids(c.to)
            w.varint(UInt64(c.channels.rawValue))
            var purposes: UInt8 = 0
            for purpose in c.purposes { purposes |= 1 << position(purpose) }
            w.u8(purposes)
            optionalIDs(c.products)
            w.u8(position(c.method))
            optionalID(c.noticeVersion)
            optionalID(c.source)
            optionalID(c.collectedBy)
            optionalTime(c.expiresAt)
        case .optOut(let o):
            w.u8(2)
            optionalChannels(o.channels)
            optionalIDs(o.products)
            optionalID(o.entity)
            w.u8(position(o.via))
            optionalTime(o.until)
        case .registerListed(let register):
            w.u8(3)
            w.u8(position(register))
        case .registerRemoved(let register):
            w.u8(4)
            w.u8(position(register))
        case .marketingSent(let m):
            w.u8(5)
            id(m.by)
            w.u8(position(m.channel))
            ids(m.products)
        case .gpcSignal(let on):
            w.u8(6)
            w.u8(on ? 1 : 0)
        case .frequencySet(let f):
            w.u8(7)
            optionalID(f.entity)
            optionalChannels(f.channels)
            w.varint(f.maxPer30Days.map { UInt64($0) + 1 } ?? 0)
        }
    }

    private static func position<E: CaseIterable & Equatable>(_ value: E) -> UInt8 {
        UInt8(E.allCases.firstIndex(of: value).map { E.allCases.distance(from: E.allCases.startIndex, to: $0) }!)
    }

    // MARK: Reading

    static func decode(_ r: inout SnapshotByteReader, strings: Strings) throws(SnapshotByteReader.Damaged) -> ContactTimeline {
        let contactID = try r.string()
        let profileCount = try r.count()
        var profiles: [(recordedAt: Timestamp, profile: ContactProfile)] = []
        profiles.reserveCapacity(profileCount)
        for _ in 0..<profileCount {
            let recordedAt = Timestamp(secondsSinceEpoch: try r.signed())
            let jurisdiction: JurisdictionCode?
            let index = try r.count()
            if index > 0 {
                guard index - 1 < strings.jurisdictions.count, let code = strings.jurisdictions[index - 1] else { throw SnapshotByteReader.Damaged() }
                jurisdiction = code
            } else {
                jurisdiction = nil
            }
            let subscriber = try value(r.u8(), in: subscribers)
            profiles.append((recordedAt, ContactProfile(id: contactID, jurisdiction: jurisdiction, subscriber: subscriber)))
        }
        let eventCount = try r.count()
        var events: [Event] = []
        events.reserveCapacity(eventCount)
        for _ in 0..<eventCount { events.append(try decodeEvent(&r, strings: strings)) }
        return ContactTimeline(contactID: contactID, profiles: profiles, events: events)
    }

    private static func decodeEvent(_ r: inout SnapshotByteReader, strings table: Strings) throws(SnapshotByteReader.Damaged) -> Event {
        let strings = table.texts
        let id = try r.optionalString()
        let at = Timestamp(secondsSinceEpoch: try r.signed())
        func string() throws(SnapshotByteReader.Damaged) -> String {
            let index = try r.count()
            guard index < strings.count else { throw SnapshotByteReader.Damaged() }
            return strings[index]
        }
        func optionalString() throws(SnapshotByteReader.Damaged) -> String? {
            let index = try r.count()
            guard index > 0 else { return nil }
            guard index - 1 < strings.count else { throw SnapshotByteReader.Damaged() }
            return strings[index - 1]
        }
        func stringList(count: Int) throws(SnapshotByteReader.Damaged) -> [String] {
            var list: [String] = []
            list.reserveCapacity(count)
            for _ in 0..<count { list.append(try string()) }
            return list
        }
        func list() throws(SnapshotByteReader.Damaged) -> [String] { try stringList(count: r.count()) }
        func optionalList() throws(SnapshotByteReader.Damaged) -> [String]? {
            let count = try r.count()
            return count == 0 ? nil : try stringList(count: count - 1)
        }
        func time() throws(SnapshotByteReader.Damaged) -> Timestamp? {
            try r.u8() == 0 ? nil : Timestamp(secondsSinceEpoch: try r.signed())
        }
        func channelSet() throws(SnapshotByteReader.Damaged) -> ChannelSet {
            let raw = try r.varint()
            guard raw <= UInt64(UInt16.max) else { throw SnapshotByteReader.Damaged() }
            return ChannelSet(rawValue: UInt16(raw))
        }
        func optionalChannelSet() throws(SnapshotByteReader.Damaged) -> ChannelSet? {
            let raw = try r.varint()
            guard raw <= UInt64(UInt16.max) + 1 else { throw SnapshotByteReader.Damaged() }
            return raw == 0 ? nil : ChannelSet(rawValue: UInt16(raw - 1))
        }
        let kind: Event.Kind
        switch try r.u8() {
        case 0:
            let by = try string()
            let from = try value(r.u8(), in: sources)
            let context = try value(r.u8(), in: contexts)
            let products = try list()
            let set = try channelSet()
            let flags = try r.u8()
            kind = .detailsCollected(DetailsCollected(by: by, from: from, context: context, products: products, channels: set,
                                                      refusalOffered: flags & 1 != 0, refused: flags & 2 != 0))
        case 1:
            let to = try list()
            let set = try channelSet()
            let purposeBits = try r.u8()
            var purposeSet = Set<Purpose>()
            for (i, purpose) in purposes.enumerated() where purposeBits & (1 << i) != 0 { purposeSet.insert(purpose) }
            let products = try optionalList()
            let method = try value(r.u8(), in: methods)
            kind = .consentGiven(ConsentGiven(to: to, channels: set, purposes: purposeSet, products: products, method: method,
                                              noticeVersion: try optionalString(), source: try optionalString(),
                                              collectedBy: try optionalString(), expiresAt: try time()))
        case 2:
            let set = try optionalChannelSet()
            let products = try optionalList()
            let entity = try optionalString()
            let via = try value(r.u8(), in: routes)
            kind = .optOut(OptOut(channels: set, products: products, entity: entity, via: via, until: try time()))
        case 3:
            kind = .registerListed(try value(r.u8(), in: registers))
        case 4:
            kind = .registerRemoved(try value(r.u8(), in: registers))
        case 5:
            let by = try string()
            let channel = try value(r.u8(), in: channels)
            kind = .marketingSent(MarketingSent(by: by, channel: channel, products: try list()))
        case 6:
            kind = .gpcSignal(try r.u8() != 0)
        case 7:
            let entity = try optionalString()
            let set = try optionalChannelSet()
            let limit = try r.varint()
            guard limit <= UInt64(Int32.max) else { throw SnapshotByteReader.Damaged() }
            kind = .frequencySet(FrequencyPreference(entity: entity, channels: set, maxPer30Days: limit == 0 ? nil : Int(limit - 1)))
        default:
            throw SnapshotByteReader.Damaged()
        }
        return Event(id: id, at: at, kind)
    }

    /// Each enumeration's cases, made once (`allCases` builds a new array on every call).
    private static let channels = Channel.allCases
    private static let purposes = Purpose.allCases
    private static let subscribers = SubscriberType.allCases
    private static let methods = ConsentGiven.Method.allCases
    private static let sources = DetailsCollected.Source.allCases
    private static let contexts = DetailsCollected.Context.allCases
    private static let routes = OptOut.Route.allCases
    private static let registers = PreferenceRegister.allCases

    private static func value<E>(_ position: UInt8, in cases: [E]) throws(SnapshotByteReader.Damaged) -> E {
        guard Int(position) < cases.count else { throw SnapshotByteReader.Damaged() }
        return cases[Int(position)]
    }
}
