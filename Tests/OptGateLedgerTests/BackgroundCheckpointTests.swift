import Foundation
import GRDB
import OptGateCore
import OptGateLedger
import OptGateSQLite
import Testing

/// Checkpoints behind the writers (`CheckpointingStore`): while they are open, commits leave the
/// WAL to them; a checkpoint copies into the database file every page no reader still needs;
/// closing them gives commits their own checkpoints back; nothing written is lost either way.
@Suite("Background checkpoints")
struct BackgroundCheckpointTests {
    static func store(_ scratch: ScratchLedger) throws -> SQLiteLedgerStore {
        try #require(scratch.ledger.store as? SQLiteLedgerStore)
    }

    @Test("commits leave the WAL to the background checkpoints, which copy every page no reader needs, then give the threshold back")
    func copiesBehindWriters() throws {
        let scratch = try ScratchLedger()
        let store = try Self.store(scratch)
        #expect(try store.writerCheckpointThreshold() == 10_000)
        try scratch.ledger.append(Org.records(), recordedAt: Day.recorded)

        let checkpoints = try store.openBackgroundCheckpoints()
        #expect(try store.writerCheckpointThreshold() == 40_000, "commits copy the log themselves only past the safety bound")
        for n in 1...30 { try scratch.ledger.append([try Chain.contact(n), Chain.event(contact: n, 0)], recordedAt: Day.recorded) }
        let first = try checkpoints.checkpoint()
        #expect(!first.busy)
        #expect(first.logPages > 0, "the commits' pages were in the log")
        #expect(first.copiedPages == first.logPages, "with no reader, all of them are copied")

        // A reader holding the state before the next commit keeps that commit's pages in the log.
        var whileRead = LogCheckpoint(logPages: 0, copiedPages: 0)
        try scratch.inspect { db in
            _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger")
            try scratch.ledger.append([try Chain.contact(31)], recordedAt: Day.recorded)
            whileRead = try checkpoints.checkpoint()
        }
        #expect(whileRead.copiedPages < whileRead.logPages, "pages newer than the reader's snapshot stay in the log")
        let after = try checkpoints.checkpoint()
        #expect(after.copiedPages == after.logPages, "and are copied once the reader has finished")

        checkpoints.close()
        #expect(try store.writerCheckpointThreshold() == 10_000, "closing gives commits their own checkpoints back")
        #expect(try scratch.entryCount == Int64(Org.records().count + 61))
        #expect(try scratch.ledger.verify().isValid)
        #expect(try scratch.reopened().store.read { try $0.entryCount() } == Int64(Org.records().count + 61))
    }

    @Test("writes from several threads while checkpoints run all the time lose nothing and leave a valid chain")
    func concurrentWrites() async throws {
        let scratch = try ScratchLedger()
        let store = try Self.store(scratch)
        try scratch.ledger.append(Org.records(), recordedAt: Day.recorded)
        let checkpoints = try store.openBackgroundCheckpoints()
        let ledger = scratch.ledger
        // Writers and the checkpoint loop on threads of their own: blocking I/O stays off Swift's
        // cooperative pool, which the other tests running meanwhile need.
        let progress = Progress()
        let group = DispatchGroup()
        for writer in 0..<4 {
            DispatchQueue.global().async(group: group) {
                for k in 0..<25 {
                    let n = writer * 100 + k + 1
                    progress.record { _ = try ledger.append([try Chain.contact(n), Chain.event(contact: n, k)], recordedAt: Day.recorded) }
                }
            }
        }
        let copying = Thread {
            while !progress.writesDone {
                progress.record { progress.copied(try checkpoints.checkpoint().copiedPages) }
                Thread.sleep(forTimeInterval: 0.001)
            }
            progress.finishCopying()
        }
        copying.start()
        await withCheckedContinuation { continuation in group.notify(queue: .global()) { continuation.resume() } }
        progress.endWrites()
        await progress.waitForCopying()
        #expect(progress.errors.isEmpty, "\(progress.errors)")
        #expect(progress.maxCopied > 0, "the checkpoints copied pages while the writes went on")
        checkpoints.close()
        #expect(try scratch.entryCount == Int64(Org.records().count + 200))
        #expect(try scratch.ledger.verify().isValid)
        #expect(try scratch.reopened().verify().isValid)
    }

    /// What the threads of `concurrentWrites` report.
    final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        private var copyingFinished: CheckedContinuation<Void, Never>?
        private var copyingEnded = false
        private(set) var errors: [String] = []
        private(set) var maxCopied = 0

        var writesDone: Bool { lock.withLock { done } }
        func endWrites() { lock.withLock { done = true } }
        func copied(_ pages: Int) { lock.withLock { maxCopied = max(maxCopied, pages) } }
        func record(_ body: () throws -> Void) {
            do { try body() } catch { lock.withLock { errors.append("\(error)") } }
        }
        func finishCopying() {
            let waiting = lock.withLock { () -> CheckedContinuation<Void, Never>? in
                copyingEnded = true
                return copyingFinished
            }
            waiting?.resume()
        }
        func waitForCopying() async {
            await withCheckedContinuation { continuation in
                let ended = lock.withLock { () -> Bool in
                    if !copyingEnded { copyingFinished = continuation }
                    return copyingEnded
                }
                if ended { continuation.resume() }
            }
        }
    }
}
