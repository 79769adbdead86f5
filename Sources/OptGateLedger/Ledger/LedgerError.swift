/// Why the ledger refused a write. Nothing was written.
public enum LedgerError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownContact(String)
    case unknownEntity(String, field: String)
    case unknownProduct(String, field: String)
    case unknownNotice(String)
    /// An event id (or an organisation record's id and date) recorded before with different content.
    case conflictingRecord(key: String)
    /// An identifier already belongs to another contact.
    case identifierTaken(Identifier, contactID: String)
    /// A contact id that is itself personal data (an email address or phone number).
    case personalContactID(String)
    /// A record that could not be read back as written (for example an empty id).
    case unreadable(String)
    case corrupt(String)

    public var description: String {
        switch self {
        case .unknownEntity(_, let field), .unknownProduct(_, let field): return "\(field): \(message)"
        case .unknownNotice: return "notice_version: \(message)"
        default: return message
        }
    }

    /// The refusal without the field it is about (an import prints the field separately).
    public var message: String {
        switch self {
        case .unknownContact(let id): return "unknown contact \"\(id)\" (record the contact first)"
        case .unknownEntity(let id, _): return "unknown entity \"\(id)\" (record the entity first)"
        case .unknownProduct(let id, _): return "unknown product \"\(id)\" (record the product first)"
        case .unknownNotice(let version): return "unknown notice \"\(version)\" (record the notice text first)"
        case .conflictingRecord(let key): return "\(key.hasPrefix("event:") ? "event id \"\(key.dropFirst(6))\"" : "\"\(key)\"") was already recorded with different content (record a correction as a new event, or a new version from a later date)"
        case .identifierTaken(let identifier, let contactID): return "\(identifier.kind.rawValue) already belongs to contact \"\(contactID)\""
        case .personalContactID(let id): return "contact id \"\(id)\" looks like an email address or phone number: use a pseudonymous id and put identifiers in email/phone"
        case .corrupt(let what): return "the ledger is corrupt: \(what)"
        case .unreadable(let why): return "the record would not read back as written: \(why)"
        }
    }
}
