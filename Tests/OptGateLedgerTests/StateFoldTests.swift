import Foundation
import Fuzzing
import OptGateCore
@testable import OptGateLedger
import PropertyBased
import Testing

/// Permission states folded behind the ledger: sessions that defer states, folds that catch up,
/// and sessions that fold all keep every contact's state equal to a replay of its events, as shown
/// (a history read with its state) and, once folded, as stored.
@Suite("Permission state: folded behind the ledger")
struct StateFoldTests {
    static let seeds = Gen.uint64(in: 0...UInt64.max)
    static let start = Day.at(2026, 1, 1)

    /// The state a history read shows, for each contact.
    static func shown(_ ledger: Ledger, _ contacts: [String]) throws -> [String: PermissionState?] {
        Dictionary(uniqueKeysWithValues: try contacts.map { ($0, try ledger.history(contactID: $0, withState: true).state) })
    }

    static func replayed(_ events: [String: [Event]], _ contacts: [String]) -> [String: PermissionState?] {
        Dictionary(uniqueKeysWithValues: contacts.map { contact in
            let list = events[contact] ?? []
            return (contact, list.isEmpty ? nil : PermissionState(replaying: list))
        })
    }

    @Test("batches written by deferring and folding sessions, with folds of any size between: the state shown is always a replay, and stored once folded")
    func deferredEqualsReplay() async throws {
        await propertyCheck(count: 40, input: Self.seeds) { seed in
            let stream = RandomEventStream(seed: seed)
            var rng = SeededGenerator(seed: seed ^ 0xF01D)
            let scratch = try ScratchLedger()
            let ledger = scratch.ledger
            let contacts = stream.contactIDs
            try ledger.append(Org.records() + contacts.map { .contact(ContactProfile(id: $0, jurisdiction: JurisdictionCode("GB"))) }, recordedAt: Self.start)
            var sent: [String: [Event]] = [:]
            var seen: Set<String> = []
            // What deferring sessions appended, handed to the folds as a server's committer hands
            // it to its folder; some sessions are never handed over (as past the folder's bound).
            var handed: [AppendedEvents] = []
            for (i, batch) in stream.batches.enumerated() {
                let records = batch.map { LedgerRecord.event(contactID: $0.contactID, $0.event, nil) }
                let at = Self.start.adding(seconds: Int64(i + 1))
                if Int.random(in: 0..<3, using: &rng) == 0 {
                    try ledger.append(records, recordedAt: at)   // folds, first catching up
                } else {
                    let appended = try ledger.withSession(recordedAt: at, defersStates: true) { session in
                        for record in records { _ = try session.append(record) }
                        return session.appendedEvents
                    }
                    if let appended, Int.random(in: 0..<4, using: &rng) != 0 { handed.append(appended) }
                }
                for item in batch where item.event.id == nil || seen.insert(item.event.id!).inserted {
                    sent[item.contactID, default: []].append(item.event)
                }
                if Bool.random(using: &rng), let pending = try ledger.foldStates(limit: Int.random(in: 1...20, using: &rng), appended: handed) {
                    let read = (after: pending.fromSeq, through: pending.fromSeq + Int64(pending.entriesReadFromLedger))
                    #expect(
                        !handed.contains { $0.afterSeq < read.through && $0.throughSeq > read.after },
                        "seed \(seed): entries \(read.after + 1) through \(read.through) read back although a session in memory holds some")
                    #expect(try ledger.save(pending), "seed \(seed): nothing moved the cursor since the fold read it")
                    handed.removeAll { $0.throughSeq <= pending.throughSeq }
                }
                #expect(try Self.shown(ledger, contacts) == Self.replayed(sent, contacts), "seed \(seed), after batch \(i)")
            }
            while let pending = try ledger.foldStates(limit: Int.random(in: 1...10, using: &rng), appended: handed) {
                #expect(try ledger.save(pending))
            }
            #expect(try ledger.unfoldedEntries() == 0)
            for contact in contacts {
                let events = stream.events[contact] ?? []
                #expect(try scratch.state(contact) == (events.isEmpty ? nil : PermissionState(replaying: events)), "seed \(seed), \(contact): stored")
            }
        }
    }

    /// Three deferring sessions of events for `contacts` contacts, each `perContact` events a
    /// contact; returns what each appended.
    static func deferredSessions(_ ledger: Ledger, contacts: Int, perContact: Int) throws -> [AppendedEvents] {
        try (0..<3).map { session in
            try ledger.withSession(recordedAt: Self.start, defersStates: true) { writing in
                for contact in 0..<contacts {
                    for k in 0..<perContact {
                        let event = Event(id: "s\(session)-c\(contact)-\(k)", at: Day.at(2025, 1 + session, 1 + k), k % 2 == 0 ? .registerListed(.tps) : .gpcSignal(k % 3 == 0))
                        _ = try writing.append(.event(contactID: "c-\(contact)", event, nil))
                    }
                }
                return try #require(writing.appendedEvents)
            }
        }
    }

    @Test("sessions handed over in memory are folded without reading the ledger, into the states a fold from the store gives")
    func foldedFromMemory() throws {
        let fromMemory = try ScratchLedger(), fromStore = try ScratchLedger()
        var handed: [AppendedEvents] = []
        for scratch in [fromMemory, fromStore] {
            try scratch.ledger.append(Org.records() + (0..<4).map { .contact(ContactProfile(id: "c-\($0)", jurisdiction: JurisdictionCode("GB"))) }, recordedAt: Self.start)
            handed = try Self.deferredSessions(scratch.ledger, contacts: 4, perContact: 5)
        }
        #expect(handed.map(\.entries) == [20, 20, 20])
        #expect(handed.map(\.events.count) == [20, 20, 20])
        #expect(zip(handed, handed.dropFirst()).allSatisfy { $0.throughSeq == $1.afterSeq }, "consecutive sessions")
        // Whole sessions: a limit inside the second one still folds all of it.
        let first = try #require(try fromMemory.ledger.foldStates(limit: 30, appended: handed))
        #expect(first.entriesReadFromLedger == 0)
        #expect(first.entries == 40 && first.events == 40 && first.contacts == 4)
        #expect(first.throughSeq == handed[1].throughSeq)
        #expect(try fromMemory.ledger.save(first))
        let second = try #require(try fromMemory.ledger.foldStates(limit: 30, appended: handed))
        #expect(second.entriesReadFromLedger == 0 && second.entries == 20)
        #expect(try fromMemory.ledger.save(second))
        #expect(try fromMemory.ledger.foldStates(limit: 30, appended: handed) == nil)
        #expect(try fromStore.ledger.foldAllStates() == 60)
        for contact in 0..<4 {
            let state = try fromMemory.state("c-\(contact)")
            let stored = try fromStore.state("c-\(contact)")
            #expect(state != nil && state == stored, "c-\(contact)")
            #expect(state?.eventCount == 15)
        }
    }

    @Test("entries no session in memory holds are read from the ledger, up to the first session that does")
    func gapsReadFromTheLedger() throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + (0..<2).map { .contact(ContactProfile(id: "c-\($0)", jurisdiction: JurisdictionCode("GB"))) }, recordedAt: Self.start)
        let sessions = try Self.deferredSessions(scratch.ledger, contacts: 2, perContact: 3)
        // The first session was never handed over.
        let handed = Array(sessions.dropFirst())
        let gap = try #require(try scratch.ledger.foldStates(limit: 100, appended: handed))
        #expect(gap.fromSeq == sessions[0].afterSeq && gap.throughSeq == sessions[0].throughSeq, "stops where memory begins")
        #expect(gap.entriesReadFromLedger == 6 && gap.events == 6)
        #expect(try scratch.ledger.save(gap))
        let rest = try #require(try scratch.ledger.foldStates(limit: 100, appended: handed))
        #expect(rest.entriesReadFromLedger == 0 && rest.entries == 12)
        #expect(try scratch.ledger.save(rest))
        #expect(try scratch.ledger.unfoldedEntries() == 0)
        #expect(try scratch.state("c-0")?.eventCount == 9)
        // A session this snapshot does not hold (a later one's range) is not taken from memory.
        let beyond = AppendedEvents(afterSeq: sessions[2].throughSeq, throughSeq: sessions[2].throughSeq + 5, events: [])
        #expect(try scratch.ledger.foldStates(limit: 100, appended: [beyond]) == nil)
    }

    @Test("a fold whose events a session folded meanwhile is not saved; the states stay a replay")
    func staleFoldRefused() throws {
        let scratch = try ScratchLedger()
        let ledger = scratch.ledger
        try ledger.append(Org.records() + [.contact(ContactProfile(id: "c-1", jurisdiction: JurisdictionCode("GB")))], recordedAt: Self.start)
        let first = Event(id: "e-1", at: Day.at(2025, 5, 1), .registerListed(.tps))
        try ledger.withSession(recordedAt: Self.start, defersStates: true) { session in
            _ = try session.append(.event(contactID: "c-1", first, nil))
        }
        #expect(try scratch.state("c-1") == nil, "deferred: not stored yet")
        #expect(try ledger.unfoldedEntries() == 1)
        let pending = try #require(try ledger.foldStates(limit: 100))
        #expect(pending.events == 1 && pending.contacts == 1)
        // A folding session catches up with the deferred event and moves the cursor.
        let second = Event(id: "e-2", at: Day.at(2025, 6, 1), .gpcSignal(true))
        try ledger.append([.event(contactID: "c-1", second, nil)], recordedAt: Self.start)
        #expect(try ledger.unfoldedEntries() == 0)
        #expect(try ledger.save(pending) == false, "the cursor moved since the fold read it")
        #expect(try scratch.state("c-1") == PermissionState(replaying: [first, second]), "each event folded once")
        #expect(try ledger.foldStates(limit: 100) == nil)
    }

    @Test("a ledger from before the state cursor starts with its states holding every entry")
    func migrationStartsAtTheHead() throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + [.contact(ContactProfile(id: "c-1", jurisdiction: JurisdictionCode("GB")))], recordedAt: Self.start)
        try scratch.ledger.append([.event(contactID: "c-1", Event(id: "e-1", at: Day.at(2025, 5, 1), .registerListed(.tps)), nil)], recordedAt: Self.start)
        // As the ledger was before the migration: no cursor table, the migration not yet run.
        try scratch.tamper { db in
            try db.execute(sql: "DROP TABLE state_cursor")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v6:%'")
        }
        let reopened = try scratch.reopened()
        let head = try #require(try scratch.head).seq
        #expect(try reopened.store.read { try $0.stateCursor() } == head)
        #expect(try reopened.unfoldedEntries() == 0)
        #expect(try reopened.foldStates(limit: 10) == nil)
    }
}
