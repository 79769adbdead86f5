import OptGateCore

/// One thing the ledger records. Everything the engine decides from is a record: the contact's
/// events, the contact's profile, and the organisation's entities, catalogue, policy and notice
/// texts, each versioned by the date it takes effect, so that a past decision can be replayed with
/// the settings of its day.
public enum LedgerRecord: Hashable, Sendable {
    /// A contact's profile: created, or changed (jurisdiction, subscriber type, identifiers).
    case contact(ContactProfile)
    /// An event of the scenario contract, for a contact, with its capture evidence.
    case event(contactID: String, Event, EventEvidence?)
    /// A version of a legal entity, in effect from `validFrom`.
    case entity(Entity, validFrom: Timestamp)
    /// A version of a product and its similarity assessment, in effect from `validFrom`; `retired`
    /// takes it out of the catalogue from that date.
    case product(Product, validFrom: Timestamp, retired: Bool)
    /// The policy settings in effect from `validFrom`.
    case policy(Policy, validFrom: Timestamp)
    /// A consent notice's wording.
    case notice(NoticeText)
    /// A contact's personal data was erased; their identifiers stay suppressed.
    case erasure(contactID: String, suppressedIdentifiers: Int)
    /// A decision given for an actual send, kept as evidence.
    case decision(DecisionRecord)
    /// A fact about a contact kept as evidence that changes no decision.
    case note(ContactNote)
    /// A campaign checked before its send, kept as evidence.
    case campaign(CampaignRecord)

    public var kind: EntryKind {
        switch self {
        case .contact: return .contact
        case .event: return .event
        case .entity: return .entity
        case .product: return .product
        case .policy: return .policy
        case .notice: return .notice
        case .erasure: return .erasure
        case .decision: return .decision
        case .note: return .note
        case .campaign: return .campaign
        }
    }

    /// The contact the record belongs to, if any.
    public var contactID: String? {
        switch self {
        case .contact(let profile): return profile.id
        case .event(let contactID, _, _), .erasure(let contactID, _): return contactID
        case .decision(let d): return d.contactID
        case .note(let n): return n.contactID
        default: return nil
        }
    }

    /// The idempotency key: an event's id; an organisation record's id and effective date; a notice's
    /// version; a decision's message and contact. Recording the same thing twice stores it once; the same key with different content
    /// is refused (a correction is a new event, or a new version from a later date).
    public var entryID: String? {
        switch self {
        case .event(_, let event, _): return event.id.map { "event:" + $0 }
        case .entity(let entity, let from): return "entity:\(entity.id)@\(from.rfc3339)"
        case .product(let product, let from, _): return "product:\(product.id)@\(from.rfc3339)"
        case .policy(_, let from): return "policy@\(from.rfc3339)"
        case .notice(let notice): return "notice:\(notice.version)"
        case .decision(let d): return "decision:\(d.messageID)@\(d.contactID)"
        case .note(let n): return n.id.map { "note:" + $0 }
        case .campaign(let c): return "campaign:" + c.campaignID
        case .contact, .erasure: return nil
        }
    }

    /// When the recorded fact happened or takes effect (for events, their `at`).
    public var occurredAt: Timestamp? {
        switch self {
        case .event(_, let event, _): return event.at
        case .entity(_, let from), .product(_, let from, _), .policy(_, let from): return from
        case .notice(let notice): return notice.validFrom
        case .decision(let d): return d.decidedAt
        case .note(let n): return n.at
        case .campaign(let c): return c.checkedAt
        case .contact, .erasure: return nil
        }
    }
}

/// The kind of a ledger entry, as stored.
public enum EntryKind: String, Sendable, CaseIterable {
    case contact, event, entity, product, policy, notice, erasure, decision, note, campaign
}
