import Foundation
import GRDB
import OptGateCore
import OptGateLedger
import Testing

/// Contacts known to exist, shared by write sessions (`Ledger.withSession(knownContacts:)`): a
/// contact learnt by a committed session is not looked up again; nothing is learnt from a
/// transaction that was rolled back; an unknown contact is still refused.
@Suite("Known contacts shared by sessions")
struct KnownContactsTests {
    struct Rollback: Error {}

    static func session(_ scratch: ScratchLedger, _ known: KnownContacts, _ records: [LedgerRecord]) throws {
        try scratch.ledger.withSession(recordedAt: Day.recorded, knownContacts: known) { session in
            for record in records { try session.append(record) }
        }
    }

    @Test("contacts found or created by a committed session are known to the next ones, which do not look them up")
    func learntAfterCommit() throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + [try Chain.contact(1)], recordedAt: Day.recorded)
        let known = KnownContacts(capacity: 10)
        try Self.session(scratch, known, [Chain.event(contact: 1, 0), try Chain.contact(2)])
        #expect(known.contains("c-1"), "found by its look-up")
        #expect(known.contains("c-2"), "created by the session")
        #expect(known.count == 2)

        // With the contacts' rows gone (as no code path ever does), only a known contact gets through:
        // proof that the session did not look it up.
        try scratch.tamper { db in try db.execute(sql: "DELETE FROM contacts") }
        try Self.session(scratch, known, [Chain.event(contact: 1, 1), Chain.event(contact: 2, 2)])
        #expect(throws: LedgerError.unknownContact("c-1")) {
            try scratch.ledger.withSession(recordedAt: Day.recorded) { session in _ = try session.append(Chain.event(contact: 1, 3)) }
        }
    }

    @Test("a contact created by a transaction that was rolled back is never known")
    func notFromRollback() throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + [try Chain.contact(1)], recordedAt: Day.recorded)
        let known = KnownContacts(capacity: 10)
        #expect(throws: Rollback.self) {
            try scratch.ledger.withSession(recordedAt: Day.recorded, knownContacts: known) { session in
                try session.append(try Chain.contact(7))
                try session.append(Chain.event(contact: 1, 0))
                throw Rollback()
            }
        }
        #expect(known.count == 0)
        #expect(throws: LedgerError.unknownContact("c-7")) { try Self.session(scratch, known, [Chain.event(contact: 7, 0)]) }
        #expect(!known.contains("c-7"))
    }

    @Test("an unknown contact is refused whatever else is known, and no more than the capacity is kept")
    func unknownRefusedAndBounded() throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + (1...5).map { try Chain.contact($0) }, recordedAt: Day.recorded)
        let known = KnownContacts(capacity: 3)
        try Self.session(scratch, known, (1...5).map { Chain.event(contact: $0, 0) })
        #expect(known.count == 3)
        #expect(throws: LedgerError.unknownContact("c-404")) {
            try scratch.ledger.withSession(recordedAt: Day.recorded, knownContacts: known) { session in
                _ = try session.append(.event(contactID: "c-404", Event(id: "e-404", at: Day.at(2025, 1, 1), .gpcSignal(true)), nil))
            }
        }
        // Contacts past the capacity are still appended for, after a look-up.
        try Self.session(scratch, known, (1...5).map { Chain.event(contact: $0, 1) })
        #expect(try scratch.ledger.verify().isValid)
    }

    @Test("loading from the ledger knows every contact it holds, up to the capacity")
    func loadFromLedger() throws {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + (1...25).map { try Chain.contact($0) }, recordedAt: Day.recorded)
        let all = KnownContacts(capacity: 100)
        #expect(try all.load(from: scratch.ledger) == 25)
        #expect((1...25).allSatisfy { all.contains("c-\($0)") })
        #expect(!all.contains("c-26"))
        let bounded = KnownContacts(capacity: 10)
        #expect(try bounded.load(from: scratch.ledger) == 10)
    }
}
