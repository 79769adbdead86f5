import Foundation
import Fuzzing
import OptGateCore
import OptGateLedger
import OptGateSQLite
import Testing

/// `Ledger.allTimelines`, which warms a server's timeline cache: read in slices of the chain, each
/// its own read transaction, it must give every contact's timeline exactly as reading that contact
/// alone does.
@Suite("Every contact's timeline, read in slices")
struct AllTimelinesTests {
    /// A ledger whose contacts' entries are interleaved: each contact's first events, then more
    /// events for contacts chosen at random, so that a contact's timeline spans many slices.
    static func interleavedLedger() throws -> ScratchLedger {
        let scratch = try CampaignFilterTests.ledger(seed: 8, count: 40)
        var rng = SeededGenerator(seed: 9)
        var records: [LedgerRecord] = []
        for k in 0..<120 {
            let n = Int.random(in: 0..<39, using: &rng)
            let at = RandomEventStream.instant(&rng, from: Day.at(2024, 6, 1))
            records.append(.event(contactID: "c-\(n)", Event(id: "late-\(k)", at: at, RandomEventStream.kind(&rng, at: at)), nil))
        }
        try scratch.ledger.append(records, recordedAt: Day.recorded.adding(seconds: 120))
        return scratch
    }

    @Test("slices of any size give each contact's timeline as reading it alone does, as of the same head")
    func slices() throws {
        let scratch = try Self.interleavedLedger()
        let head = try #require(try scratch.ledger.store.read { try $0.head() }).seq
        for slice: Int64 in [.max, 1, 2, 7, 64] {
            let all = try scratch.ledger.allTimelines(limit: .max, slice: slice)
            #expect(all.head == head, "slice \(slice)")
            #expect(all.timelines.count == 40, "slice \(slice)")
            for n in 0..<40 {
                let id = "c-\(n)"
                let (alone, _) = try scratch.ledger.timeline(contactID: id)
                let sliced = try #require(all.timelines[id], "slice \(slice): \(id) missing")
                #expect(sliced.events == alone.events, "slice \(slice): \(id)")
                #expect(sliced.profiles.map(\.profile.contact) == alone.profiles.map(\.profile.contact), "slice \(slice): \(id)")
                #expect(sliced.profiles.map(\.recordedAt) == alone.profiles.map(\.recordedAt), "slice \(slice): \(id)")
            }
            let organisation = try scratch.ledger.history(contactID: "c-0").organisation.organisation(at: Day.recorded)
            #expect(!organisation.entities.isEmpty)
            #expect(all.organisation.organisation(at: Day.recorded).entities == organisation.entities, "slice \(slice)")
        }
    }

    @Test("the limit keeps the contacts that appear first, whole, however the chain is sliced")
    func limit() throws {
        let scratch = try Self.interleavedLedger()
        for slice: Int64 in [3, .max] {
            let all = try scratch.ledger.allTimelines(limit: 5, slice: slice)
            #expect(Set(all.timelines.keys) == Set((0..<5).map { "c-\($0)" }), "slice \(slice)")
            for (id, timeline) in all.timelines {
                #expect(timeline.events == (try scratch.ledger.timeline(contactID: id)).0.events, "slice \(slice): \(id)")
            }
        }
    }

    /// A store that forwards to another and notes when read transactions and reclaims happen.
    final class Spy: LedgerStore, @unchecked Sendable {
        let inner: any LedgerStore
        private let lock = NSLock()
        private var openReads = 0
        private(set) var reads = 0
        private(set) var reclaims = 0
        private(set) var reclaimsDuringRead = 0

        init(_ inner: any LedgerStore) { self.inner = inner }

        func read<T>(_ body: (any LedgerReader) throws -> T) throws -> T {
            lock.withLock { openReads += 1; reads += 1 }
            defer { lock.withLock { openReads -= 1 } }
            return try inner.read(body)
        }

        func write<T>(_ body: (any LedgerWriter) throws -> T) throws -> T { try inner.write(body) }

        func reclaimAfterReads() throws {
            lock.withLock {
                reclaims += 1
                if openReads > 0 { reclaimsDuringRead += 1 }
            }
            try inner.reclaimAfterReads()
        }
    }

    @Test("the store may reclaim between slices, never while one is being read, and not after the last; progress follows each slice")
    func reclaims() throws {
        let scratch = try Self.interleavedLedger()
        let spy = Spy(scratch.ledger.store)
        let ledger = Ledger(store: spy, secret: scratch.secret)
        let head = try #require(try ledger.store.read { try $0.head() }).seq
        var reports: [Int64] = []
        let all = try ledger.allTimelines(limit: .max, slice: 10) { read, total in
            #expect(total == head)
            reports.append(read)
        }
        let slices = Int((head + 9) / 10)
        #expect(reports == (1...Int64(slices)).map { Swift.min($0 * 10, head) }, "progress after each slice, up to the head")
        #expect(all.timelines.count == 40)
        #expect(spy.reads == 2 + slices, "the test's own read, the head with the organisation, then one per slice")
        #expect(spy.reclaims == slices - 1)
        #expect(spy.reclaimsDuringRead == 0)
        _ = try ledger.allTimelines(limit: .max, slice: .max)
        #expect(spy.reclaims == slices - 1, "one slice: nothing to reclaim")
    }

    @Test("SQLite: after reclaiming, the next commit starts the WAL over instead of growing it")
    func sqliteWALStartsOver() throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + (1...40).map { try Chain.contact($0) }, recordedAt: Day.recorded)
        let wal = scratch.databasePath + "-wal"
        func walSize() throws -> Int { try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int ?? 0 }
        let grown = try walSize()
        #expect(grown > 0)
        // Without reclaiming, a commit appends to the WAL.
        try scratch.ledger.append([Chain.event(contact: 1, 0)], recordedAt: Day.recorded)
        let appended = try walSize()
        #expect(appended > grown)
        // After it, the next commit writes from the WAL's start: the file does not grow.
        try scratch.ledger.store.reclaimAfterReads()
        try scratch.ledger.append([Chain.event(contact: 2, 0)], recordedAt: Day.recorded)
        #expect(try walSize() == appended)
        #expect(try scratch.ledger.verify().isValid)
    }
}
