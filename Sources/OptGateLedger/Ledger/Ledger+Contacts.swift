import Foundation
import OptGateCore

/// Everything the ledger holds about one contact, decoded: the basis of status, replay and the
/// evidence pack.
public struct ContactHistory: Sendable {
    public struct Entry: Sendable {
        public var stored: StoredEntry
        public var record: LedgerRecord
    }

    public var contactID: String
    /// Profiles in chain order (the latest recorded at or before an instant applies then).
    public var entries: [Entry]
    public var organisation: OrganisationHistory
    public var erased: Bool
    public var state: PermissionState?

    /// What decisions need of this history: profiles and events.
    public var timeline: ContactTimeline { ContactTimeline(contactID: contactID, entries: entries) }

    /// The contact's profile as recorded at or before `instant` (the first one if none was yet).
    public func profile(at instant: Timestamp) -> ContactProfile? { timeline.profile(at: instant) }

    /// The contact's events (every one; the engine ignores those after its decision time).
    public var events: [Event] {
        entries.compactMap { if case .event(_, let event, _) = $0.record { return event } else { return nil } }
    }

    /// The products of the latest purchase or enquiry in which `entity` obtained the contact's
    /// details, at or before `instant`.
    public func latestProducts(by entity: String, at instant: Timestamp) -> [String] {
        timeline.latestProducts(by: entity, at: instant)
    }

    /// Decides `message` as of `instant`, with the organisation and profile of that moment.
    public func decide(_ message: Message, at instant: Timestamp, engine: DecisionEngine = DecisionEngine()) -> Decision {
        decide([message], at: instant, engine: engine)[0]
    }

    /// Decides several messages as of `instant`, building the organisation, profile and event list
    /// of that moment once.
    public func decide(_ messages: [Message], at instant: Timestamp, engine: DecisionEngine = DecisionEngine()) -> [Decision] {
        timeline.decide(messages, at: instant, organisation: organisation, engine: engine)
    }
}

extension ContactHistory {
    /// One line of a contact's permissions: what the engine decides for marketing from a sender on
    /// a channel.
    public struct Permission: Sendable {
        public var from: String
        public var channel: Channel
        /// The products the message was assumed to promote.
        public var products: [String]
        public var decision: Decision
    }

    /// What the engine decides at `instant` for a message of `purpose` from each sender (default:
    /// every entity of that moment) on each channel, promoting `products` (default: the products of
    /// the contact's latest purchase or enquiry with that sender).
    public func permissions(
        at instant: Timestamp, senders: [String]? = nil, channels: [Channel] = Channel.allCases, purpose: Purpose = .marketing,
        products: [String]? = nil, engine: DecisionEngine = DecisionEngine()
    ) -> [Permission] {
        let timeline = timeline
        var result: [Permission] = []
        for sender in senders ?? organisation.organisation(at: instant).entities.keys.sorted() {
            let promoted = products ?? timeline.latestProducts(by: sender, at: instant)
            let messages = channels.map { Message(from: sender, channel: $0, purpose: purpose, products: promoted) }
            let decisions = timeline.decide(messages, at: instant, organisation: organisation, engine: engine)
            for (message, decision) in zip(messages, decisions) {
                result.append(Permission(from: sender, channel: message.channel, products: promoted, decision: decision))
            }
        }
        return result
    }
}

extension Ledger {
    /// A contact's full history, with personal data unless erased. `withState` also loads the
    /// stored permission summary (the evidence pack shows it; decisions never need it);
    /// `forDeciding` leaves out what no decision depends on: personal data (identifiers, IP
    /// addresses, user agents) and the decisions recorded for past sends.
    public func history(contactID: String, withState: Bool = false, forDeciding: Bool = false) throws -> ContactHistory {
        try store.read { reader in
            guard let status = try reader.contactStatus(id: contactID) else { throw LedgerError.unknownContact(contactID) }
            let organisation = try organisationHistory(reader)
            let stored: [(StoredEntry, SealedPersonalData?)] = forDeciding
                ? try reader.entries(contactID: contactID).compactMap { $0.kind == .decision ? nil : ($0, nil) }
                : try reader.entriesWithPersonalData(contactID: contactID)
            let entries = try stored.map { stored, personal in
                ContactHistory.Entry(stored: stored, record: try LedgerSession.decode(stored, personal: personal))
            }
            return ContactHistory(
                contactID: contactID, entries: entries, organisation: organisation, erased: status.erasedSeq != nil,
                state: withState ? try currentState(contactID: contactID, entries: entries, reader: reader) : nil)
        }
    }

    /// A contact's permission state as stored, with the events since the last fold (`foldStates`)
    /// folded in: the state of every event the ledger holds. nil for a contact without events.
    private func currentState(contactID: String, entries: [ContactHistory.Entry], reader: any LedgerReader) throws -> PermissionState? {
        var state = try reader.state(contactID: contactID)
        let cursor = try reader.stateCursor()
        for entry in entries where entry.stored.seq > cursor {
            guard case .event(_, let event, _) = entry.record else { continue }
            if state == nil { state = PermissionState() }
            state!.apply(event)
        }
        return state
    }

    /// The organisation's records.
    public func organisationHistory() throws -> OrganisationHistory {
        try store.read { try organisationHistory($0) }
    }

    /// The organisation's history, decoded once and reused until an organisation record is added.
    func organisationHistory(_ reader: any LedgerReader) throws -> OrganisationHistory {
        let version = try reader.organisationVersion()
        if let cached = organisationCache.value(version: version) { return cached }
        var organisation = OrganisationHistory()
        for entry in try reader.organisationEntries() {
            organisation.add(try LedgerSession.decode(entry, personal: nil), seq: entry.seq)
        }
        organisationCache.store(organisation, version: version)
        return organisation
    }
}

/// The last decoded organisation history and the ledger position it reflects.
final class OrganisationCache: @unchecked Sendable {
    private let lock = NSLock()
    private var version: Int64 = -1
    private var history: OrganisationHistory?

    func value(version: Int64) -> OrganisationHistory? {
        lock.lock()
        defer { lock.unlock() }
        return version == self.version ? history : nil
    }

    func store(_ history: OrganisationHistory, version: Int64) {
        lock.lock()
        defer { lock.unlock() }
        self.history = history
        self.version = version
    }
}
