import Foundation
import OptGateCore
import OptGateLedger
import Testing

/// Where checkpoints are sealed: every `Ledger.checkpointInterval` entries and at the end of every
/// write that appended something, each holding the hash of the entry at its seq.
@Suite("Checkpoints")
struct CheckpointTests {
    @Test("the interval is 1024 entries")
    func interval() {
        #expect(Ledger.checkpointInterval == 1024)
    }

    @Test("one large write is sealed every 1024 entries and at its end, each checkpoint holding its entry's hash and the write's time")
    func largeWrite() throws {
        let scratch = try ScratchLedger.large(total: 2_100)
        let checkpoints = try scratch.checkpoints
        #expect(checkpoints.map(\.seq) == [1024, 2048, 2100])
        let hashes = Dictionary(uniqueKeysWithValues: try scratch.allEntries().map { ($0.entry.seq, $0.entry.hash) })
        for checkpoint in checkpoints {
            #expect(checkpoint.hash == hashes[checkpoint.seq])
            #expect(checkpoint.recordedAt == Day.at(2026, 1, 1))
            #expect(checkpoint.mac.count == 32)
        }
    }

    @Test("the interval counts from the last checkpoint, across writes")
    func acrossWrites() throws {
        let scratch = try ScratchLedger()
        var records = Org.records()
        records += try Chain.people(1...15, eventsPerContact: 99)   // 8 + 1,500 entries
        try scratch.ledger.append(Array(records.prefix(1_500)), recordedAt: Day.at(2026, 1, 1))
        try scratch.ledger.append(Array(records.dropFirst(1_500)), recordedAt: Day.at(2026, 1, 2))
        #expect(try scratch.entryCount == 1_508)
        #expect(try scratch.checkpoints.map(\.seq) == [1024, 1500, 1508])
        try scratch.ledger.append(try Chain.people(16...26, eventsPerContact: 99), recordedAt: Day.at(2026, 1, 3))
        #expect(try scratch.checkpoints.map(\.seq) == [1024, 1500, 1508, 2532, 2608])
        #expect(try scratch.ledger.verify().isValid)
    }

    @Test("a write of duplicates only adds neither entries nor a checkpoint")
    func duplicatesOnly() throws {
        let scratch = try ScratchLedger.small()
        let before = try scratch.snapshot()
        let outcomes = try scratch.ledger.append(Org.records() + [Chain.event(contact: 3, 2)], recordedAt: Day.at(2026, 3, 1))
        #expect(outcomes.allSatisfy { if case .duplicate = $0 { true } else { false } })
        #expect(try scratch.snapshot() == before)
        #expect(try scratch.ledger.verify().isValid)
    }

    @Test("an empty write adds nothing")
    func emptyWrite() throws {
        let scratch = try ScratchLedger.small()
        let before = try scratch.snapshot()
        #expect(try scratch.ledger.append([], recordedAt: Day.at(2026, 3, 1)).isEmpty)
        #expect(try scratch.snapshot() == before)
    }
}
