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
    /// From this size on (bytes), an import into a ledger without contacts is a bulk append
    /// (`LedgerSession.beginBulkAppend`): the same entries, with the look-up indexes built once at
    /// the end instead of row by row.
    public var bulkAppendBytes = 1 << 20
    /// Whether a bulk append also holds the store to itself (`LedgerStore.writeExclusively`: on
    /// SQLite, the rollback journal instead of the WAL), so that other processes wait for the load
    /// instead of reading it mid-way. On by default: it is what keeps an import of tens of millions
    /// of lines from slowing down as it grows.
    public var exclusiveBulkAppend = true
    /// Checks the file against the ledger exactly as an import would, inside the same kind of
    /// transaction, then rolls it back: the summary says what an import would add, the problems are
    /// those an import would list, and nothing is written. Never holds the store to itself.
    public var dryRun = false

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
        let bulk = totalBytes >= bulkAppendBytes
        // Only a load into a ledger without contacts can be a bulk append; the session checks
        // again inside its transaction.
        let exclusive = try bulk && exclusiveBulkAppend && !dryRun && ledger.store.read { try $0.contactCount() } == 0
        do {
            try ledger.withSession(recordedAt: recordedAt, exclusive: exclusive) { session in
                session.tracksTouchedContacts = false
                // An NDJSON event line is about 200 bytes: the estimate errs towards fewer entries.
                if bulk { try session.beginBulkAppend(expectedEntries: totalBytes / 256) }
                var recorder = ItemRecorder(ledger: ledger)
                while let line = reader.next() {
                    summary.lines += 1
                    if summary.lines % progressInterval == 0 {
                        progress?(Progress(lines: summary.lines, bytesRead: reader.bytesRead, totalBytes: totalBytes, problems: problemCount))
                    }
                    line.problems.forEach(report)
                    for (index, item) in line.items.enumerated() {
                        do {
                            try apply(item, line.prepared(index), &session, &recorder, &summary)
                        } catch let error as LedgerError {
                            report(ImportProblem(line: line.line, field: error.field, message: error.message))
                        } catch let error as ImportProblem {
                            report(ImportProblem(line: line.line, field: error.field, message: error.message))
                        }
                    }
                }
                progress?(Progress(lines: summary.lines, bytesRead: totalBytes, totalBytes: totalBytes, problems: problemCount))
                if problemCount > 0 || dryRun { throw Rollback() }
            }
        } catch is Rollback {
            if problemCount == 0 { return summary }
            throw Failed(problems: problems, more: problemCount - problems.count)
        }
        return summary
    }

    private func apply(
        _ item: ImportItem, _ prepared: PreparedRecord?, _ session: inout LedgerSession, _ recorder: inout ItemRecorder,
        _ summary: inout Summary
    ) throws {
        let recorded = try recorder.record(item, prepared: prepared, in: &session)
        switch recorded.outcome {
        case .appended(let seq):
            summary.firstSeq = summary.firstSeq ?? seq
            summary.lastSeq = session.head.seq   // includes entries the ledger added itself (suppression)
            switch item {
            case .organisation: summary.organisationRecords += 1
            case .contact: if recorded.createdContact { summary.contactsCreated += 1 } else { summary.contactsUpdated += 1 }
            case .event: summary.events += 1
            }
        case .duplicate:
            summary.duplicates += 1
        case nil:
            break
        }
    }
}

private struct Rollback: Error {}
