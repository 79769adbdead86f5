import Foundation
import OptGateCore

/// Appends records inside one write transaction: chains each entry, seals checkpoints, keeps
/// identities, suppression and permission state up to date. Created by `Ledger.append` and
/// `Ledger.withSession`; everything it does is committed or rolled back together.
public struct LedgerSession {
    let writer: any LedgerWriter
    let secret: LedgerSecret
    let recordedAt: Timestamp
    private(set) var head: ChainHead
    private var lastCheckpoint: Int64
    private var organisation: OrganisationHistory
    private var states: [String: PermissionState] = [:]
    /// Whether this session leaves permission states to `Ledger.foldStates` (see `Ledger.withSession`).
    public let defersStates: Bool
    /// The events appended while deferring states, in chain order (see `appendedEvents`).
    private var deferredEvents: [AppendedEvents.Item] = []
    /// The position through which the stored permission states hold every event, as the session
    /// found it.
    private let stateCursor: Int64
    private var knownContacts: [String: Bool] = [:]
    /// Contacts earlier, committed sessions found (`Ledger.withSession(knownContacts:)`).
    private let sharedContacts: KnownContacts?
    /// Contacts this session found or created that `sharedContacts` does not hold, for the caller
    /// to add once the transaction has committed.
    private(set) var learntContacts: [String] = []
    private var salts = SaltSource()
    /// During a bulk append (`beginBulkAppend`): every idempotency key in the ledger, with its
    /// entry's position, since the store's index of them is set aside.
    private var bulkEntryIDs: [String: Int64]?
    /// Entries appended in this session.
    public private(set) var appended: Int64 = 0
    /// Records skipped as already recorded.
    public private(set) var duplicates: Int64 = 0
    /// Position of the ledger's head when the session began.
    public let startSeq: Int64
    /// Position of the ledger's head now (after this session's appends).
    public var headSeq: Int64 { head.seq }
    /// Contacts whose profile or events this session appended to (while `tracksTouchedContacts`).
    public private(set) var touchedContacts: Set<String> = []
    /// Whether to keep `touchedContacts`. An import of millions of contacts turns it off: nothing
    /// reads it there, and it would hold every contact's id until the end.
    public var tracksTouchedContacts = true
    /// The most contacts whose permission state or existence the session keeps in memory (about
    /// 450 MB of states at most). Past it, the states are saved and both are forgotten, and read
    /// again when a later record needs them, so that a session that touches tens of millions of
    /// contacts (an import) holds a bounded amount of memory. Reading states back costs time: with
    /// 200,000 an import of 1,000,000 contacts in random order ran 35 % longer than with all of
    /// them in memory (docs/benchmarks.md).
    var contactsInMemory = 1_000_000
    /// Whether this session appended a contact profile (identifiers may have changed).
    public private(set) var appendedProfiles = false
    /// Whether this session appended an organisation record.
    public private(set) var organisationChanged = false
    /// Whether to refuse a record that would not read back exactly as given. Records built in code
    /// (the API) are checked; import lines were already read by the same decoder.
    public var checksRoundTrip = false

    /// `organisation`: the organisation's history as the ledger holds it (the ledger's cache).
    /// `defersStates`: see `Ledger.withSession`. A session that keeps states first folds in the
    /// events that sessions deferring them appended, so that the states it saves hold every entry.
    init(
        writer: any LedgerWriter, secret: LedgerSecret, recordedAt: Timestamp, organisation: OrganisationHistory,
        defersStates: Bool = false, knownContacts: KnownContacts? = nil
    ) throws {
        self.writer = writer
        sharedContacts = knownContacts
        self.secret = secret
        self.recordedAt = recordedAt
        head = try writer.head() ?? .genesis
        startSeq = head.seq
        lastCheckpoint = try writer.lastCheckpointSeq() ?? 0
        self.organisation = organisation
        self.defersStates = defersStates
        stateCursor = try writer.stateCursor()
        if !defersStates && stateCursor < head.seq {
            try writer.forEachEvent(from: stateCursor + 1, through: head.seq) { contactID, event in try fold(event, contactID: contactID) }
        }
    }

    /// What this session appended without folding it (nil unless it defers states), for a folder
    /// to fold from memory once the session has committed (`Ledger.foldStates(limit:appended:)`).
    public var appendedEvents: AppendedEvents? {
        defersStates ? AppendedEvents(afterSeq: startSeq, throughSeq: head.seq, events: deferredEvents) : nil
    }

    /// The organisation's records as this session sees them (including its own appends).
    public var organisationHistory: OrganisationHistory { organisation }

    /// The entry recorded under an idempotency key (`LedgerRecord.entryID`), including this session's.
    public func entry(recordedUnder key: String) throws -> StoredEntry? {
        if let bulkEntryIDs {
            return try bulkEntryIDs[key].flatMap { try writer.entry(seq: $0) }
        }
        return try writer.entry(entryID: key)
    }

    /// Makes the rest of this session a bulk append, when the ledger holds no contacts yet (an
    /// empty ledger, or one holding only the organisation): the store sets its look-up indexes
    /// aside and rebuilds them, sorted, when the session finishes, and the session checks
    /// idempotency keys in memory. What is recorded is the same, entry for entry; only the work
    /// differs. Returns whether it did. For large imports: rebuilding costs time in proportion to
    /// the whole ledger. `expectedEntries`, an estimate of the entries to come, sizes the keys'
    /// table once instead of as it grows.
    @discardableResult
    public mutating func beginBulkAppend(expectedEntries: Int = 0) throws -> Bool {
        guard bulkEntryIDs == nil else { return true }
        guard try writer.contactCount() == 0 else { return false }
        var keys: [String: Int64] = [:]
        keys.reserveCapacity(max(0, expectedEntries))
        try writer.forEachEntry(from: 1) { entry, _ in
            if let key = entry.entryID { keys[key] = entry.seq }
        }
        try writer.suspendLookupIndexes()
        bulkEntryIDs = keys
        return true
    }

    /// Appends one record, after checking it against what the ledger holds.
    public mutating func append(_ record: LedgerRecord) throws -> Ledger.Outcome {
        try append(PreparedRecord(record, salts: &salts))
    }

    /// Appends one record whose stored form was prepared ahead (see `PreparedRecord`), after
    /// checking it against what the ledger holds.
    public mutating func append(_ prepared: PreparedRecord) throws -> Ledger.Outcome {
        let record = prepared.record
        let encoded = prepared.encoded
        // A profile's identifier keys (HMACs), computed once for the checks and the links.
        var identifierKeys: [Data] = []
        if case .contact(let profile) = record { identifierKeys = profile.identifiers.map { secret.key(for: $0) } }
        try validate(record, identifierKeys: identifierKeys)
        if checksRoundTrip { try checkRoundTrip(record, encoded) }
        guard let seq = try store(prepared) else {
            // The idempotency key is already recorded: the same content is a duplicate, other
            // content a conflict.
            guard let entryID = record.entryID, let existing = try entry(recordedUnder: entryID) else {
                throw LedgerError.corrupt("an entry was refused without an existing one under its key")
            }
            guard existing.body == encoded.body else { throw LedgerError.conflictingRecord(key: entryID) }
            duplicates += 1
            return .duplicate(seq: existing.seq)
        }
        try afterAppend(record, seq: seq, identifierKeys: identifierKeys)
        return .appended(seq: seq)
    }

    /// Seals the final checkpoint and saves the permission states touched.
    mutating func finish() throws {
        if !defersStates {
            try saveStates()
            if head.seq != stateCursor { try writer.setStateCursor(head.seq) }
        }
        if head.seq > lastCheckpoint { try checkpoint() }
        if bulkEntryIDs != nil {
            try writer.rebuildLookupIndexes()
            bulkEntryIDs = nil
        }
    }

    /// Saves the permission states folded in memory, in contact order (neighbours share pages),
    /// and forgets them.
    private mutating func saveStates() throws {
        for contactID in states.keys.sorted() { try writer.saveState(states[contactID]!, contactID: contactID) }
        states.removeAll()
    }

    // MARK: Storing

    /// Chains and stores a record; nil when its idempotency key is already recorded.
    private mutating func store(_ prepared: PreparedRecord) throws -> Int64? {
        let record = prepared.record
        let seq = head.seq + 1
        var entry = StoredEntry(
            seq: seq, recordedAt: recordedAt, kind: record.kind, contactID: record.contactID, entryID: record.entryID,
            occurredAt: record.occurredAt, body: prepared.encoded.body, personalDataDigest: prepared.personalDataDigest, hash: Data())
        // In a bulk append the key is claimed in memory first; a duplicate gives it back.
        if let key = entry.entryID, let earlier = bulkEntryIDs?.updateValue(seq, forKey: key) {
            bulkEntryIDs?[key] = earlier
            return nil
        }
        entry.hash = HashChain.hash(of: entry, previous: head.hash)
        guard try writer.insert(entry, personalData: prepared.personalData) else { return nil }
        head = ChainHead(seq: seq, hash: entry.hash)
        appended += 1
        if seq - lastCheckpoint >= Ledger.checkpointInterval { try checkpoint() }
        return seq
    }

    private mutating func checkpoint() throws {
        try writer.insert(Checkpoint.sealing(head, at: recordedAt, with: secret))
        lastCheckpoint = head.seq
    }

    private mutating func afterAppend(_ record: LedgerRecord, seq: Int64, identifierKeys: [Data]) throws {
        switch record {
        case .contact, .event: if tracksTouchedContacts { touchedContacts.insert(record.contactID!) }
        case .entity, .product, .policy, .notice: organisationChanged = true
        case .erasure, .decision, .note, .campaign: break
        }
        switch record {
        case .contact(let profile):
            appendedProfiles = true
            if knownContacts[profile.id] != true {
                if try writer.contactStatus(id: profile.id) == nil { try writer.saveContact(id: profile.id, createdSeq: seq) }
                rememberContact(profile.id)
                if let sharedContacts, !sharedContacts.contains(profile.id) { learntContacts.append(profile.id) }
            }
            var suppressedSince: Timestamp?
            for key in identifierKeys {
                try writer.link(identifierKey: key, contactID: profile.id)
                if let since = try writer.suppressedSince(identifierKey: key) {
                    suppressedSince = min(suppressedSince ?? since, since)
                }
            }
            if let since = suppressedSince {
                // The person was erased before: their objection carries over to the new record.
                let optOut = Event(id: "suppression:\(profile.id)", at: since, .optOut(OptOut(via: .other)))
                _ = try append(.event(contactID: profile.id, optOut, EventEvidence(collectionPoint: "suppression list", actor: "optgate")))
            }
        case .event(let contactID, let event, _):
            if defersStates {
                deferredEvents.append(AppendedEvents.Item(seq: seq, contactID: contactID, event: event))
            } else {
                try fold(event, contactID: contactID)
            }
        case .entity, .product, .policy, .notice:
            organisation.add(record, seq: seq)
        case .erasure, .decision, .note, .campaign:
            break
        }
    }

    /// Folds an event into its contact's permission state, read from the store the first time.
    private mutating func fold(_ event: Event, contactID: String) throws {
        // In place: no copy of the state's tables (not even to test whether it is loaded).
        if let index = states.index(forKey: contactID) {
            states.values[index].apply(event)
        } else {
            if states.count >= contactsInMemory { try saveStates() }
            var state = try writer.state(contactID: contactID) ?? PermissionState()
            state.apply(event)
            states[contactID] = state
        }
    }

    // MARK: Validation

    private mutating func validate(_ record: LedgerRecord, identifierKeys: [Data]) throws {
        switch record {
        case .contact(let profile):
            if profile.id.contains("@") || (profile.id.hasPrefix("+") && profile.id.dropFirst().allSatisfy(\.isNumber)) {
                throw LedgerError.personalContactID(profile.id)
            }
            for (identifier, key) in zip(profile.identifiers, identifierKeys) {
                if let owner = try writer.contactID(identifierKey: key), owner != profile.id {
                    throw LedgerError.identifierTaken(identifier, contactID: owner)
                }
            }
        case .event(let contactID, let event, _):
            // An erased contact may receive new records: erasure removed the personal data of its
            // day, and its identifiers stay suppressed if they come back.
            try requireContact(contactID)
            try validateReferences(event)
        case .product(let product, _, _):
            for other in product.similarTo where other != product.id && !organisation.productIDs.contains(other) {
                throw LedgerError.unknownProduct(other, field: "similar_to")
            }
        case .decision(let decision):
            try requireContact(decision.contactID)
        case .note(let note):
            try requireContact(note.contactID)
        case .entity, .policy, .notice, .erasure, .campaign:
            break
        }
    }

    /// Refuses a record for a contact the ledger does not hold.
    private mutating func requireContact(_ id: String) throws {
        guard knownContacts[id] == nil else { return }
        if let sharedContacts, sharedContacts.contains(id) { return }
        guard try writer.contactExists(id: id) else { throw LedgerError.unknownContact(id) }
        rememberContact(id)
        if sharedContacts != nil { learntContacts.append(id) }
    }

    /// Notes that a contact exists, forgetting the others first when the session knows too many.
    private mutating func rememberContact(_ id: String) {
        if knownContacts.count >= contactsInMemory { knownContacts.removeAll() }
        knownContacts[id] = true
    }

    private func validateReferences(_ event: Event) throws {
        let entities = organisation.entityIDs
        let products = organisation.productIDs
        func entity(_ id: String, _ field: String) throws {
            if !entities.contains(id) { throw LedgerError.unknownEntity(id, field: field) }
        }
        func product(_ ids: [String], _ field: String) throws {
            for id in ids where !products.contains(id) { throw LedgerError.unknownProduct(id, field: field) }
        }
        switch event.kind {
        case .detailsCollected(let d):
            try entity(d.by, "by")
            try product(d.products, "products")
        case .consentGiven(let c):
            if c.to.isEmpty { throw LedgerError.unreadable("a consent must name at least one entity in `to`") }
            for id in c.to { try entity(id, "to") }
            if let by = c.collectedBy { try entity(by, "collected_by") }
            try product(c.products ?? [], "products")
            if let version = c.noticeVersion, organisation.hasNotices, organisation.notice(version) == nil {
                throw LedgerError.unknownNotice(version)
            }
        case .optOut(let o):
            if let id = o.entity { try entity(id, "entity") }
            try product(o.products ?? [], "products")
        case .marketingSent(let s):
            try entity(s.by, "by")
            try product(s.products, "products")
        case .frequencySet(let f):
            if let id = f.entity { try entity(id, "entity") }
        case .registerListed, .registerRemoved, .gpcSignal:
            break
        }
    }

    /// Refuses a record whose stored form would not decode back to it: the ledger is append-only,
    /// so an unreadable entry could never be fixed.
    private func checkRoundTrip(_ record: LedgerRecord, _ encoded: RecordCodec.Encoded) throws {
        let decoded: LedgerRecord
        do {
            decoded = try RecordCodec.decode(kind: record.kind, body: encoded.body, personalData: encoded.personalData)
        } catch {
            throw LedgerError.unreadable(error.description)
        }
        guard decoded == record else { throw LedgerError.unreadable("a field is empty or out of range") }
    }

    static func decode(_ entry: StoredEntry, personal: SealedPersonalData?) throws -> LedgerRecord {
        do {
            return try RecordCodec.decode(kind: entry.kind, body: entry.body, personalData: personal?.body)
        } catch {
            throw LedgerError.corrupt("entry \(entry.seq): \(error.description)")
        }
    }
}

extension Checkpoint {
    /// A checkpoint of `head`, authenticated with the secret.
    static func sealing(_ head: ChainHead, at: Timestamp, with secret: LedgerSecret) -> Checkpoint {
        Checkpoint(seq: head.seq, hash: head.hash, recordedAt: at, mac: secret.seal(message(seq: head.seq, hash: head.hash, at: at)))
    }

    static func message(seq: Int64, hash: Data, at: Timestamp) -> Data {
        var data = Data("optgate/checkpoint/v1".utf8)
        withUnsafeBytes(of: seq.bigEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: at.secondsSinceEpoch.bigEndian) { data.append(contentsOf: $0) }
        data.append(hash)
        return data
    }

    /// Whether the seal is the secret's.
    func isSealed(by secret: LedgerSecret) -> Bool {
        secret.seal(Self.message(seq: seq, hash: hash, at: recordedAt)) == mac
    }
}
