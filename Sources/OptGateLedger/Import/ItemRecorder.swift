import Foundation
import OptGateCore

/// Records import items (a file's lines, an API request's body) inside a ledger session: resolves
/// the contact an event names, merges contact profiles, appends. Shared by `optgate import` and
/// the HTTP API so that both accept exactly the same records with the same checks.
public struct ItemRecorder {
    /// What recording one item did.
    public struct Recorded: Sendable {
        /// nil when the item changed nothing (a contact line repeating the known profile).
        public var outcome: Ledger.Outcome?
        /// The contact the item is about, if any.
        public var contactID: String?
        /// Whether the item created its contact.
        public var createdContact = false
    }

    private var contacts: ContactResolver

    public init(ledger: Ledger) { contacts = ContactResolver(ledger: ledger) }

    public mutating func record(_ item: ImportItem, in session: inout LedgerSession) throws -> Recorded {
        try record(item, prepared: nil, in: &session)
    }

    /// Records item `index` of `line`, with its stored form if `ImportLine.prepare` made it ahead.
    public mutating func record(_ line: ImportLine, item index: Int, in session: inout LedgerSession) throws -> Recorded {
        try record(line.items[index], prepared: line.prepared(index), in: &session)
    }

    /// Records `item`, whose stored form `prepared` was made ahead when it names its contact by id.
    mutating func record(_ item: ImportItem, prepared: PreparedRecord?, in session: inout LedgerSession) throws -> Recorded {
        switch item {
        case .organisation(let record):
            return Recorded(outcome: try session.append(record))
        case .contact(let draft):
            guard let change = try contacts.merge(draft, session: session) else {
                return Recorded(outcome: nil, contactID: try contacts.existingID(draft, session: session))
            }
            return Recorded(outcome: try session.append(.contact(change.profile)), contactID: change.profile.id, createdContact: change.created)
        case .event(let reference, let event, let evidence):
            let contactID = try contacts.resolve(reference, session: session)
            if let prepared, prepared.record.contactID == contactID {
                return Recorded(outcome: try session.append(prepared), contactID: contactID)
            }
            return Recorded(outcome: try session.append(.event(contactID: contactID, event, evidence)), contactID: contactID)
        }
    }
}

/// Matches import lines to contacts: by id, or by identifier through the ledger's keyed lookup;
/// keeps the profiles seen in this import so that a contact record is appended only when a line
/// changes something.
struct ContactResolver {
    let ledger: Ledger
    private var profiles: [String: ContactProfile] = [:]
    private var byIdentifier: [Identifier: String] = [:]

    init(ledger: Ledger) { self.ledger = ledger }

    struct Change {
        var profile: ContactProfile
        var created: Bool
    }

    /// The profile to record for `draft`, or nil when it changes nothing.
    mutating func merge(_ draft: ContactDraft, session: LedgerSession) throws -> Change? {
        var id = draft.id
        if id == nil {
            for identifier in draft.identifiers {
                if let known = try lookup(identifier, session: session) { id = known; break }
            }
        }
        let contactID = id ?? "c-" + Hex.string(ledger.secret.key(for: draft.identifiers[0]).prefix(8))
        let existing = try profile(contactID, session: session)
        var profile = existing ?? ContactProfile(id: contactID, jurisdiction: nil, subscriber: .unknown)
        if let j = draft.jurisdiction { profile.jurisdiction = j }
        if let s = draft.subscriber { profile.subscriber = s }
        for identifier in draft.identifiers where !profile.identifiers.contains(identifier) { profile.identifiers.append(identifier) }
        for identifier in profile.identifiers { byIdentifier[identifier] = contactID }
        guard profile != existing else { return nil }
        profiles[contactID] = profile
        return Change(profile: profile, created: existing == nil)
    }

    /// The id of the contact a draft that changed nothing describes.
    mutating func existingID(_ draft: ContactDraft, session: LedgerSession) throws -> String? {
        if let id = draft.id { return id }
        for identifier in draft.identifiers {
            if let known = try lookup(identifier, session: session) { return known }
        }
        return nil
    }

    /// The contact an event line names.
    mutating func resolve(_ reference: ContactReference, session: LedgerSession) throws -> String {
        switch reference {
        case .id(let id):
            // The session checks that the contact exists when the event is appended.
            return id
        case .identifier(let identifier):
            guard let id = try lookup(identifier, session: session) else {
                throw ImportProblem(line: 0, field: identifier.kind.rawValue,
                                    message: "no contact has this \(identifier.kind.rawValue) (add a contact record or a contact column)")
            }
            return id
        }
    }

    private mutating func lookup(_ identifier: Identifier, session: LedgerSession) throws -> String? {
        if let id = byIdentifier[identifier] { return id }
        let id = try session.writer.contactID(identifierKey: ledger.secret.key(for: identifier))
        if let id { byIdentifier[identifier] = id }
        return id
    }

    private mutating func profile(_ id: String, session: LedgerSession) throws -> ContactProfile? {
        if let profile = profiles[id] { return profile }
        guard try session.writer.contactStatus(id: id) != nil else { return nil }
        let entries = try session.writer.entries(contactID: id)
        guard let last = entries.last(where: { $0.kind == .contact }) else { return nil }
        guard case .contact(let profile) = try LedgerSession.decode(last, personal: try session.writer.personalData(seq: last.seq)) else { return nil }
        profiles[id] = profile
        return profile
    }
}

extension LedgerError {
    /// The import field a refusal is about.
    public var field: String {
        switch self {
        case .unknownContact: return "contact"
        case .unknownEntity(_, let field), .unknownProduct(_, let field): return field
        case .unknownNotice: return "notice_version"
        case .conflictingRecord: return "id"
        case .identifierTaken(let identifier, _): return identifier.kind.rawValue
        case .personalContactID: return "contact"
        case .corrupt, .unreadable: return ""
        }
    }
}
