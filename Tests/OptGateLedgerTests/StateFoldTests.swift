import Foundation
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
            for (i, batch) in stream.batches.enumerated() {
                let records = batch.map { LedgerRecord.event(contactID: $0.contactID, $0.event, nil) }
                let at = Self.start.adding(seconds: Int64(i + 1))
                if Int.random(in: 0..<3, using: &rng) == 0 {
                    try ledger.append(records, recordedAt: at)   // folds, first catching up
                } else {
                    try ledger.withSession(recordedAt: at, defersStates: true) { session in
                        for record in records { _ = try session.append(record) }
                    }
                }
                for item in batch where item.event.id == nil || seen.insert(item.event.id!).inserted {
                    sent[item.contactID, default: []].append(item.event)
                }
                if Bool.random(using: &rng), let pending = try ledger.foldStates(limit: Int.random(in: 1...20, using: &rng)) {
                    #expect(try ledger.save(pending), "seed \(seed): nothing moved the cursor since the fold read it")
                }
                #expect(try Self.shown(ledger, contacts) == Self.replayed(sent, contacts), "seed \(seed), after batch \(i)")
            }
            try ledger.foldAllStates(limit: Int.random(in: 1...10, using: &rng))
            #expect(try ledger.unfoldedEntries() == 0)
            for contact in contacts {
                let events = stream.events[contact] ?? []
                #expect(try scratch.state(contact) == (events.isEmpty ? nil : PermissionState(replaying: events)), "seed \(seed), \(contact): stored")
            }
        }
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
