import Foundation
import OptGateCore

/// Imports a file into the ledger all or nothing: every line is read and checked against the
/// ledger inside one transaction; if any line has a problem, every problem is reported (by line and
/// field) and the transaction is rolled back, so nothing is written. A process killed mid-import
/// leaves no partial import either: the transaction never committed.
public struct Importer {
    public enum Format: String, Sendable, CaseIterable {
        case ndjson, csv

        /// The format a file name's extension implies.
        public init?(fileName: String) {
            let lower = fileName.lowercased()
            if lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") { self = .ndjson }
            else if lower.hasSuffix(".csv") { self = .csv }
            else { return nil }
        }
    }

    /// Progress, reported every `progressInterval` lines.
    public struct Progress: Sendable {
        public var lines: Int
        public var bytesRead: Int
        public var totalBytes: Int
        public var problems: Int
    }

    public struct Summary: Sendable {
        public var lines = 0
        public var contactsCreated = 0
        public var contactsUpdated = 0
        public var events = 0
        public var organisationRecords = 0
        /// Records already in the ledger (same key and content): stored once.
        public var duplicates = 0
        public var firstSeq: Int64?
        public var lastSeq: Int64?
    }

    /// The import was refused; nothing was written.
    public struct Failed: Error, Sendable, CustomStringConvertible {
        public var problems: [ImportProblem]
        /// Problems beyond those listed (the list stops at `maxProblems`).
        public var more: Int
        public var description: String {
            problems.map(\.description).joined(separator: "\n") + (more > 0 ? "\n... and \(more) more problems" : "")
        }
    }

    public let ledger: Ledger
    public var progressInterval = 10_000
    public var maxProblems = 1_000

    public init(ledger: Ledger) { self.ledger = ledger }

    /// Imports `data` (a memory-mapped file) in `format`.
    public func run(
        _ data: Data, format: Format, recordedAt: Timestamp, progress: ((Progress) -> Void)? = nil
    ) throws -> Summary {
        // Lines are parsed on a second thread while this one appends them.
        switch format {
        case .ndjson:
            var reader = PrefetchingReader(NDJSONReader(data: data))
            defer { reader.stop() }
            return try run(&reader, totalBytes: data.count, recordedAt: recordedAt, progress: progress)
        case .csv:
            var reader = PrefetchingReader(CSVReader(data: data))
            defer { reader.stop() }
            return try run(&reader, totalBytes: data.count, recordedAt: recordedAt, progress: progress)
        }
    }

    func run<R: ImportFormatReader>(
        _ reader: inout R, totalBytes: Int, recordedAt: Timestamp, progress: ((Progress) -> Void)?
    ) throws -> Summary {
        var summary = Summary()
        var problems: [ImportProblem] = []
        var problemCount = 0
        func report(_ problem: ImportProblem) {
            problemCount += 1
            if problems.count < maxProblems { problems.append(problem) }
        }
        do {
            try ledger.withSession(recordedAt: recordedAt) { session in
                var contacts = ContactResolver(ledger: ledger)
                while let line = reader.next() {
                    summary.lines += 1
                    if summary.lines % progressInterval == 0 {
                        progress?(Progress(lines: summary.lines, bytesRead: reader.bytesRead, totalBytes: totalBytes, problems: problemCount))
                    }
                    line.problems.forEach(report)
                    for item in line.items {
                        do {
                            try apply(item, &session, &contacts, &summary)
                        } catch let error as LedgerError {
                            report(ImportProblem(line: line.line, field: error.field, message: error.message))
                        } catch let error as ImportProblem {
                            report(ImportProblem(line: line.line, field: error.field, message: error.message))
                        }
                    }
                }
                progress?(Progress(lines: summary.lines, bytesRead: totalBytes, totalBytes: totalBytes, problems: problemCount))
                if problemCount > 0 { throw Rollback() }
            }
        } catch is Rollback {
            throw Failed(problems: problems, more: problemCount - problems.count)
        }
        return summary
    }

    private func apply(_ item: ImportItem, _ session: inout LedgerSession, _ contacts: inout ContactResolver, _ summary: inout Summary) throws {
        func note(_ outcome: Ledger.Outcome) {
            switch outcome {
            case .appended(let seq):
                summary.firstSeq = summary.firstSeq ?? seq
                summary.lastSeq = session.head.seq   // includes entries the ledger added itself (suppression)
            case .duplicate:
                summary.duplicates += 1
            }
        }
        switch item {
        case .organisation(let record):
            let outcome = try session.append(record)
            note(outcome)
            if case .appended = outcome { summary.organisationRecords += 1 }
        case .contact(let draft):
            guard let change = try contacts.merge(draft, session: session) else { return }
            note(try session.append(.contact(change.profile)))
            if change.created { summary.contactsCreated += 1 } else { summary.contactsUpdated += 1 }
        case .event(let reference, let event, let evidence):
            let contactID = try contacts.resolve(reference, session: session)
            let outcome = try session.append(.event(contactID: contactID, event, evidence))
            note(outcome)
            if case .appended = outcome { summary.events += 1 }
        }
    }
}

/// Thrown inside the import transaction to roll it back when any line had a problem.
private struct Rollback: Error {}

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
        let contactID = id ?? "c-" + ledger.secret.key(for: draft.identifiers[0]).prefix(8).map { String(format: "%02x", $0) }.joined()
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

    /// The contact an event line names.
    mutating func resolve(_ reference: ContactReference, session: LedgerSession) throws -> String {
        switch reference {
        case .id(let id):
            guard try profile(id, session: session) != nil else { throw LedgerError.unknownContact(id) }
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
    var field: String {
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
