import OptGateCore

/// One record read from an import file, before it is matched against the ledger.
public enum ImportItem: Hashable, Sendable {
    /// A contact's profile: created, or merged into the existing one.
    case contact(ContactDraft)
    /// An event for a contact named by id or by identifier.
    case event(ContactReference, Event, EventEvidence?)
    /// An entity, product, policy or notice record.
    case organisation(LedgerRecord)
}

/// How an import line names its contact.
public enum ContactReference: Hashable, Sendable {
    case id(String)
    case identifier(Identifier)
}

/// A contact profile as written in an import line: every field optional, merged into what the
/// ledger already holds.
public struct ContactDraft: Hashable, Sendable {
    public var id: String?
    public var jurisdiction: JurisdictionCode?
    public var subscriber: SubscriberType?
    public var identifiers: [Identifier]

    public init(id: String?, jurisdiction: JurisdictionCode? = nil, subscriber: SubscriberType? = nil, identifiers: [Identifier] = []) {
        self.id = id
        self.jurisdiction = jurisdiction
        self.subscriber = subscriber
        self.identifiers = identifiers
    }

}

/// A problem in an import file, named by line and field.
public struct ImportProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int?
    public var field: String
    public var message: String

    public init(line: Int, column: Int? = nil, field: String, message: String) {
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = "line \(line)"
        if let column { text += ", column \(column)" }
        if !field.isEmpty { text += ": \(field)" }
        return text + ": " + message
    }
}

/// One line (or CSV record) of an import file: its items, or what is wrong with it.
public struct ImportLine: Sendable {
    public var line: Int
    public var items: [ImportItem]
    public var problems: [ImportProblem]
    /// The stored form of each item that can be prepared before it reaches the ledger (an event
    /// naming its contact by id), by the item's index; empty until `prepare` runs.
    var prepared: [PreparedRecord?] = []

    public init(line: Int, items: [ImportItem] = [], problems: [ImportProblem] = []) {
        self.line = line
        self.items = items
        self.problems = problems
    }

    /// Prepares the stored form of the items that do not depend on the ledger (events naming their
    /// contact by id): the import's reader thread does this work while the session appends.
    mutating func prepare(salts: inout SaltSource) {
        guard problems.isEmpty else { return }
        var any = false
        var result: [PreparedRecord?] = []
        result.reserveCapacity(items.count)
        for item in items {
            if case .event(.id(let contactID), let event, let evidence) = item {
                result.append(PreparedRecord(.event(contactID: contactID, event, evidence), salts: &salts))
                any = true
            } else {
                result.append(nil)
            }
        }
        if any { prepared = result }
    }

    /// `prepare(salts:)` with salts of its own: the HTTP API prepares each request's records on
    /// the request's own thread, before they reach the single writer.
    public mutating func prepare() {
        var salts = SaltSource()
        prepare(salts: &salts)
    }

    /// The prepared stored form of item `index`, if any.
    func prepared(_ index: Int) -> PreparedRecord? {
        index < prepared.count ? prepared[index] : nil
    }
}

/// Reads an import file line by line (or CSV record by record).
public protocol ImportFormatReader {
    /// The next line; nil at the end of the file.
    mutating func next() -> ImportLine?
    /// Bytes consumed so far, for progress.
    var bytesRead: Int { get }
}
