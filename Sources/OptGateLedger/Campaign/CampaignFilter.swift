import Dispatch
import Foundation
import OptGateCore

/// Judges a campaign's recipients: for each, the decision the engine gives for this message at this
/// moment, exactly as a single decision would (`ContactTimeline.decide` over the same history and
/// organisation). Recipients are judged a chunk at a time in one read transaction each, so that
/// memory stays bounded whatever the audience.
///
/// With a `TimelineSnapshot`, recipients are found and their timelines read from the snapshot, on
/// every core; only those the ledger changed after the snapshot (see `SnapshotDelta`) are read from
/// the ledger. Without one, each recipient costs a few index lookups and a JSON decode.
/// The server judges with the same `verdict` function over its in-memory timelines.
public struct CampaignFilter: Sendable {
    public let ledger: Ledger
    public let message: Message
    public let at: Timestamp
    public let snapshot: TimelineSnapshot?
    /// What the ledger gained after the snapshot, as of the last chunk judged.
    public private(set) var delta: SnapshotDelta?
    /// Threads judging a chunk from the snapshot.
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    public init(ledger: Ledger, message: Message, at: Timestamp, snapshot: TimelineSnapshot? = nil) {
        self.ledger = ledger
        self.message = message
        self.at = at
        self.snapshot = snapshot
        delta = snapshot.map(SnapshotDelta.init)
    }

    /// Who a row names, as far as the ledger knows.
    public enum Resolution: Sendable {
        case contact(String)
        case unknown
        /// An erased person's identifier, kept on the suppression list.
        case suppressed
    }

    /// The verdicts for `rows`, in their order (judged on every core when there is a snapshot).
    public mutating func check(_ rows: [AudienceReader.Row]) throws -> [CampaignVerdict] {
        let parts = snapshot == nil ? 1 : min(workers, max(1, rows.count))
        let chunks = (0..<parts).map { part in Array(rows[(rows.count * part / parts)..<(rows.count * (part + 1) / parts)]) }
        return try judge(chunks).flatMap { $0 }
    }

    /// The verdicts for several chunks of rows, in one read transaction: each chunk judged from the
    /// snapshot on its own thread, then those the snapshot cannot answer from the ledger.
    public mutating func judge(_ chunks: [[AudienceReader.Row]]) throws -> [[CampaignVerdict]] {
        try judge(chunks: chunks.count, rows: { chunks[$0] }, finish: { _, _, verdicts in verdicts })
    }

    /// Judges `count` chunks in one read transaction, each on its own thread when there is a
    /// snapshot: `rows(i)` makes chunk i's rows (parsed on that thread), and `finish(i, rows,
    /// verdicts)` uses its verdicts. A chunk the snapshot answers entirely is finished on its
    /// thread at once; one with recipients the ledger changed since the snapshot is finished after
    /// the ledger has answered them. The results are in chunk order.
    public mutating func judge<T: Sendable>(
        chunks count: Int, rows: @Sendable (Int) -> [AudienceReader.Row],
        finish: @Sendable (Int, [AudienceReader.Row], [CampaignVerdict]) throws -> T
    ) throws -> [T] {
        guard let snapshot, var delta else {
            return try ledger.store.read { reader in
                try (0..<count).map { chunk in
                    let chunkRows = rows(chunk)
                    return try finish(chunk, chunkRows, try checkLive(chunkRows, reader))
                }
            }
        }
        let result = try ledger.store.read { reader in
            try delta.catchUp(reader)
            let organisation = try ledger.organisationHistory(reader).organisation(at: at)
            let current = delta
            let filter = self
            let judged = try ParallelRanges.map(count: count, parts: count) { range in
                try range.map { chunk -> ChunkJudged<T> in
                    let chunkRows = rows(chunk)
                    var verdicts: [CampaignVerdict] = []
                    verdicts.reserveCapacity(chunkRows.count)
                    var live: [Int] = []
                    for (index, row) in chunkRows.enumerated() {
                        if let verdict = try filter.fromSnapshot(row, snapshot: snapshot, delta: current, organisation: organisation) {
                            verdicts.append(verdict)
                        } else {
                            live.append(index)
                            verdicts.append(CampaignVerdict(line: row.line, recipient: row.recipient))
                        }
                    }
                    return live.isEmpty ? .finished(try finish(chunk, chunkRows, verdicts)) : .waiting(rows: chunkRows, verdicts: verdicts, live: live)
                }
            }
            return try judged.enumerated().map { chunk, judged in
                switch judged {
                case .finished(let result):
                    return result
                case .waiting(let chunkRows, var verdicts, let live):
                    for (index, verdict) in zip(live, try checkLive(live.map { chunkRows[$0] }, reader)) { verdicts[index] = verdict }
                    return try finish(chunk, chunkRows, verdicts)
                }
            }
        }
        self.delta = delta
        return result
    }

    /// A chunk judged: finished, or waiting for the ledger's answers at these places.
    private enum ChunkJudged<T: Sendable>: Sendable {
        case finished(T)
        case waiting(rows: [AudienceReader.Row], verdicts: [CampaignVerdict], live: [Int])
    }

    /// A recipient's verdict from the snapshot, or nil if the ledger changed what the snapshot
    /// would say about them.
    private func fromSnapshot(
        _ row: AudienceReader.Row, snapshot: TimelineSnapshot, delta: SnapshotDelta, organisation: Organisation
    ) throws -> CampaignVerdict? {
        let key: Data
        switch row.lookup {
        case .invalid: return try Self.verdict(row, message: message, at: at, organisation: organisation, engine: ledger.engine) { _ in .unknown } timeline: { _ in throw LedgerError.unknownContact("") }
        case .contact(let id): key = ledger.secret.key(forContactID: id)
        case .identifier(let identifier): key = ledger.secret.key(for: identifier)
        }
        let resolution: Resolution
        var timeline: ContactTimeline?
        switch snapshot.find(key: key) {
        case .contact(let ordinal):
            let found = try snapshot.timeline(ordinal: ordinal)
            if !delta.touched.isEmpty, delta.touched.contains(found.contactID) { return nil }
            if case .contact(let id) = row.lookup, id != found.contactID { return nil }
            resolution = .contact(found.contactID)
            timeline = found
        case .suppressed:
            if delta.identifiersChanged { return nil }
            resolution = .suppressed
        case nil:
            if delta.identifiersChanged { return nil }
            resolution = .unknown
        }
        return try Self.verdict(row, message: message, at: at, organisation: organisation, engine: ledger.engine) { _ in resolution } timeline: { _ in timeline! }
    }

    /// The verdicts for `rows`, each read from the ledger.
    private func checkLive(_ rows: [AudienceReader.Row], _ reader: any LedgerReader) throws -> [CampaignVerdict] {
        let organisation = try ledger.organisationHistory(reader).organisation(at: at)
        return try rows.map { row in
            try Self.verdict(row, message: message, at: at, organisation: organisation, engine: ledger.engine) { lookup in
                switch lookup {
                case .contact(let id):
                    return try reader.contactStatus(id: id) != nil ? .contact(id) : .unknown
                case .identifier(let identifier):
                    let key = ledger.secret.key(for: identifier)
                    if let id = try reader.contactID(identifierKey: key) { return .contact(id) }
                    return try reader.suppressedSince(identifierKey: key) != nil ? .suppressed : .unknown
                case .invalid:
                    return .unknown
                }
            } timeline: { contactID in
                let entries = try reader.entries(contactID: contactID).compactMap { stored -> ContactHistory.Entry? in
                    stored.kind == .decision ? nil : ContactHistory.Entry(stored: stored, record: try LedgerSession.decode(stored, personal: nil))
                }
                return ContactTimeline(contactID: contactID, entries: entries)
            }
        }
    }

    /// One recipient's verdict, given the organisation as it stood at `at` and how to find contacts
    /// and their timelines.
    public static func verdict(
        _ row: AudienceReader.Row, message: Message, at: Timestamp, organisation: Organisation, engine: DecisionEngine,
        resolve: (AudienceReader.Lookup) throws -> Resolution,
        timeline: (String) throws -> ContactTimeline
    ) throws -> CampaignVerdict {
        var verdict = CampaignVerdict(line: row.line, recipient: row.recipient)
        if case .invalid(let problem) = row.lookup {
            verdict.unjudged = .invalid
            verdict.problem = problem
            return verdict
        }
        switch try resolve(row.lookup) {
        case .unknown:
            verdict.unjudged = .unknown
        case .suppressed:
            verdict.unjudged = .suppressed
        case .contact(let contactID):
            // A source may resolve an id without looking it up: an unknown contact then shows here.
            let contactTimeline: ContactTimeline
            do { contactTimeline = try timeline(contactID) } catch LedgerError.unknownContact {
                verdict.unjudged = .unknown
                return verdict
            }
            verdict.contactID = contactID
            verdict.decision = contactTimeline.decide(message, at: at, organisation: organisation, engine: engine)
        }
        return verdict
    }
}

extension Ledger {
    /// Records a checked campaign as evidence (once per campaign id); returns where it is, or where
    /// the earlier record of the same campaign is.
    public func record(_ campaign: CampaignRecord, recordedAt: Timestamp) throws -> Outcome {
        try withSession(recordedAt: recordedAt) { session in
            if let earlier = try session.entry(recordedUnder: "campaign:" + campaign.campaignID) { return .duplicate(seq: earlier.seq) }
            return try session.append(.campaign(campaign))
        }
    }

    /// The recorded check of a campaign, if any.
    public func campaign(id: String) throws -> (seq: Int64, record: CampaignRecord)? {
        try store.read { reader in
            guard let entry = try reader.entry(entryID: "campaign:" + id),
                  case .campaign(let record) = try LedgerSession.decode(entry, personal: nil)
            else { return nil }
            return (entry.seq, record)
        }
    }
}
