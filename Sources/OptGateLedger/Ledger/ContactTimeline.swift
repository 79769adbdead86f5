import OptGateCore

/// What a decision needs of a contact, and nothing more: the profiles recorded over time and the
/// events. Small enough to keep in memory for every contact a server decides for; `ContactHistory`
/// (entries, hashes, personal data) is what evidence needs.
public struct ContactTimeline: Sendable {
    public let contactID: String
    /// Profiles in chain order with the time each was recorded.
    public let profiles: [(recordedAt: Timestamp, profile: ContactProfile)]
    /// Every event of the contact, in chain order (the engine ignores those after its decision time).
    public let events: [Event]

    public init(contactID: String, profiles: [(recordedAt: Timestamp, profile: ContactProfile)], events: [Event]) {
        self.contactID = contactID
        self.profiles = profiles
        self.events = events
    }

    /// The contact's profile as recorded at or before `instant` (the first one if none was yet).
    public func profile(at instant: Timestamp) -> ContactProfile? {
        var current: ContactProfile?
        for (recordedAt, profile) in profiles where current == nil || recordedAt <= instant { current = profile }
        return current
    }

    /// The products of the latest purchase or enquiry in which `entity` obtained the contact's
    /// details, at or before `instant`: what "more of what they bought" would promote.
    public func latestProducts(by entity: String, at instant: Timestamp) -> [String] {
        var latest: (at: Timestamp, products: [String])?
        for event in events where event.at <= instant {
            if case .detailsCollected(let details) = event.kind, details.by == entity, !details.products.isEmpty,
               latest == nil || event.at >= latest!.at
            {
                latest = (event.at, details.products)
            }
        }
        return latest?.products ?? []
    }

    /// Decides several messages as of `instant`, with the organisation and profile of that moment.
    public func decide(
        _ messages: [Message], at instant: Timestamp, organisation history: OrganisationHistory, engine: DecisionEngine
    ) -> [Decision] {
        let contact = contact(at: instant)
        let organisation = history.organisation(at: instant)
        return messages.map { engine.decide($0, to: contact, history: events, at: instant, from: organisation) }
    }

    /// Decides one message as of `instant`; `organisation` is the organisation as it stood then
    /// (`OrganisationHistory.organisation(at:)`), resolved once by a caller deciding for many
    /// contacts at the same moment.
    public func decide(_ message: Message, at instant: Timestamp, organisation: Organisation, engine: DecisionEngine) -> Decision {
        engine.decide(message, to: contact(at: instant), history: events, at: instant, from: organisation)
    }

    /// The contact as the engine sees it at `instant`: its profile then, or a contact without a
    /// jurisdiction if it has none.
    private func contact(at instant: Timestamp) -> Contact {
        profile(at: instant)?.contact ?? Contact(id: contactID, jurisdiction: nil)
    }
}

extension ContactTimeline {
    /// The timeline of decoded entries (profiles and events; other records are skipped).
    init(contactID: String, entries: [ContactHistory.Entry]) {
        var profiles: [(Timestamp, ContactProfile)] = []
        var events: [Event] = []
        for entry in entries {
            switch entry.record {
            case .contact(let profile): profiles.append((entry.stored.recordedAt, profile))
            case .event(_, let event, _): events.append(event)
            default: break
            }
        }
        self.init(contactID: contactID, profiles: profiles, events: events)
    }
}

extension Ledger {
    /// What decisions need of a contact, with the organisation's history, in one read transaction.
    public func timeline(contactID: String) throws -> (ContactTimeline, OrganisationHistory) {
        let history = try history(contactID: contactID, forDeciding: true)
        return (history.timeline, history.organisation)
    }
}

extension Ledger {
    /// The timelines of the first `limit` contacts (by first appearance), the organisation and the
    /// head they reflect, streamed through the chain once, `slice` entries per read transaction.
    ///
    /// Between slices the store reclaims what the reads held back (`reclaimAfterReads`: SQLite
    /// folds its WAL, which one transaction over a large ledger let grow by every commit made
    /// while it ran, to gigabytes under write load). The slices add up to the timelines as of the
    /// head read by the first one: entries are never changed once stored, and those after that
    /// head are not read. Keeping the result fresh against writes made meanwhile is the caller's
    /// job (the server's timeline cache leaves out every contact a commit touched while this ran).
    /// `progress` is told, after each slice, how many entries have been read of how many.
    public func allTimelines(
        limit: Int, slice: Int64 = 100_000, progress: (_ read: Int64, _ of: Int64) -> Void = { _, _ in }
    ) throws -> (timelines: [String: ContactTimeline], organisation: OrganisationHistory, head: Int64) {
        precondition(slice > 0, "a slice holds at least one entry")
        let (organisation, head) = try store.read { reader in (try organisationHistory(reader), try reader.head()?.seq ?? 0) }
        var profiles: [String: [(recordedAt: Timestamp, profile: ContactProfile)]] = [:]
        var events: [String: [Event]] = [:]
        var next: Int64 = 1
        while next <= head {
            let last = head - next < slice ? head : next + slice - 1
            try store.read { reader in
                try reader.forEachEntry(from: next, through: last) { entry, _ in
                    guard let contactID = entry.contactID, entry.kind == .contact || entry.kind == .event else { return }
                    if profiles[contactID] == nil {
                        guard profiles.count < limit else { return }
                        profiles[contactID] = []
                    }
                    switch try LedgerSession.decode(entry, personal: nil) {
                    case .contact(let profile): profiles[contactID]!.append((entry.recordedAt, profile))
                    case .event(_, let event, _): events[contactID, default: []].append(event)
                    default: break
                    }
                }
            }
            next = last + 1
            progress(last, head)
            if next <= head { try store.reclaimAfterReads() }
        }
        var timelines: [String: ContactTimeline] = [:]
        timelines.reserveCapacity(profiles.count)
        for (id, list) in profiles {
            timelines[id] = ContactTimeline(contactID: id, profiles: list, events: events[id] ?? [])
        }
        return (timelines, organisation, head)
    }
}
