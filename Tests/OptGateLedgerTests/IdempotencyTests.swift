import Foundation
import OptGateCore
import OptGateLedger
import Testing

/// Recording the same thing twice stores it once; the same key with different content is refused
/// and the whole write with it.
@Suite("Idempotency")
struct IdempotencyTests {
    static let sale = Event(
        id: "ord-1", at: Day.at(2025, 11, 2, 12),
        .detailsCollected(DetailsCollected(by: Org.acme, context: .sale, products: ["laptops"], channels: [.email], refusalOffered: true)))

    static func withContact() throws -> ScratchLedger {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records() + [try Chain.contact(1)], recordedAt: Day.at(2026, 1, 1))
        return scratch
    }

    @Test("the same event appended in two writes is stored once, and counted once in the state")
    func sameEventTwice() throws {
        let scratch = try Self.withContact()
        let first = try scratch.ledger.append([.event(contactID: "c-1", Self.sale, nil)], recordedAt: Day.at(2026, 1, 2))
        #expect(first == [.appended(seq: 10)])
        let before = try scratch.snapshot()
        let second = try scratch.ledger.append([.event(contactID: "c-1", Self.sale, nil)], recordedAt: Day.at(2026, 1, 3))
        #expect(second == [.duplicate(seq: 10)])
        #expect(try scratch.snapshot() == before)
        #expect(try scratch.state("c-1")?.eventCount == 1)
        #expect(try scratch.ledger.history(contactID: "c-1").events == [Self.sale])
    }

    @Test("the same event twice in one write is stored once")
    func sameEventInOneWrite() throws {
        let scratch = try Self.withContact()
        let outcomes = try scratch.ledger.append(
            [.event(contactID: "c-1", Self.sale, nil), .event(contactID: "c-1", Self.sale, nil)], recordedAt: Day.at(2026, 1, 2))
        #expect(outcomes == [.appended(seq: 10), .duplicate(seq: 10)])
        #expect(try scratch.entryCount == 10)
        #expect(try scratch.state("c-1")?.eventCount == 1)
    }

    @Test("the same event with its capture evidence again is a duplicate")
    func sameEventWithEvidence() throws {
        let scratch = try Self.withContact()
        let evidence = EventEvidence(collectionPoint: "checkout", actor: "web", ip: "203.0.113.9", userAgent: "Mozilla/5.0")
        try scratch.ledger.append([.event(contactID: "c-1", Self.sale, evidence)], recordedAt: Day.at(2026, 1, 2))
        let again = try scratch.ledger.append([.event(contactID: "c-1", Self.sale, evidence)], recordedAt: Day.at(2026, 1, 3))
        #expect(again == [.duplicate(seq: 10)])
    }

    /// Each a different content for the id `ord-1`.
    static let conflicting: [(String, LedgerRecord)] = [
        ("another time", .event(contactID: "c-1", Event(id: "ord-1", at: Day.at(2025, 11, 3), sale.kind), nil)),
        ("another type", .event(contactID: "c-1", Event(id: "ord-1", at: sale.at, .gpcSignal(true)), nil)),
        ("another product", .event(contactID: "c-1", Event(id: "ord-1", at: sale.at, .detailsCollected(DetailsCollected(
            by: Org.acme, context: .sale, products: ["holidays"], channels: [.email], refusalOffered: true))), nil)),
        ("another contact", .event(contactID: "c-2", sale, nil)),
        ("other visible evidence", .event(contactID: "c-1", sale, EventEvidence(collectionPoint: "phone call"))),
    ]

    @Test("the same id with different content is refused, and nothing of that write is stored", arguments: conflicting.map(\.0))
    func conflict(_ what: String) throws {
        let scratch = try Self.withContact()
        try scratch.ledger.append([try Chain.contact(2), .event(contactID: "c-1", Self.sale, nil)], recordedAt: Day.at(2026, 1, 2))
        let before = try scratch.snapshot()
        let record = try #require(Self.conflicting.first { $0.0 == what }).1
        let innocent = LedgerRecord.event(contactID: "c-1", Event(id: "gpc-1", at: Day.at(2025, 12, 1), .gpcSignal(true)), nil)
        #expect(throws: LedgerError.conflictingRecord(key: "event:ord-1")) {
            try scratch.ledger.append([innocent, try Chain.contact(3), record], recordedAt: Day.at(2026, 1, 3))
        }
        #expect(try scratch.snapshot() == before)
        #expect(try scratch.ledger.store.read { try $0.entry(entryID: "event:gpc-1") } == nil)
        #expect(try scratch.ledger.store.read { try $0.contactStatus(id: "c-3") } == nil)
        #expect(try scratch.state("c-1")?.eventCount == 1)
        #expect(try scratch.ledger.verify().isValid)
    }

    @Test("a conflict inside one write is refused too")
    func conflictInOneWrite() throws {
        let scratch = try Self.withContact()
        let before = try scratch.snapshot()
        #expect(throws: LedgerError.conflictingRecord(key: "event:ord-1")) {
            try scratch.ledger.append(
                [.event(contactID: "c-1", Self.sale, nil), Self.conflicting[0].1], recordedAt: Day.at(2026, 1, 2))
        }
        #expect(try scratch.snapshot() == before)
    }

    @Test("organisation records appended again are duplicates")
    func organisationAgain() throws {
        let scratch = try Self.withContact()
        let before = try scratch.snapshot()
        let outcomes = try scratch.ledger.append(Org.records(), recordedAt: Day.at(2026, 5, 1))
        #expect(outcomes == (1...8).map { .duplicate(seq: Int64($0)) })
        #expect(try scratch.snapshot() == before)
    }

    static let conflictingOrganisation: [(String, LedgerRecord, String)] = [
        ("entity kind", .entity(Entity(id: Org.acme, kind: .charity, group: "acme-group"), validFrom: Day.origin), "entity:acme@2024-01-01T00:00:00Z"),
        ("entity group", .entity(Entity(id: Org.acme, kind: .company), validFrom: Day.origin), "entity:acme@2024-01-01T00:00:00Z"),
        ("product similarity", .product(Product(id: "holidays", similarTo: ["laptops"]), validFrom: Day.origin, retired: false), "product:holidays@2024-01-01T00:00:00Z"),
        ("product retired", .product(Product(id: "laptops"), validFrom: Day.origin, retired: true), "product:laptops@2024-01-01T00:00:00Z"),
        ("policy setting", .policy({ var p = Policy(); p.ukSoftOptInMonths = 6; return p }(), validFrom: Day.origin), "policy@2024-01-01T00:00:00Z"),
        ("notice wording", .notice(NoticeText(version: "v1", text: "Other words.", validFrom: Day.origin)), "notice:v1"),
    ]

    @Test("an organisation record with the same id and date but other content is refused", arguments: conflictingOrganisation.map(\.0))
    func organisationConflict(_ what: String) throws {
        let scratch = try Self.withContact()
        let before = try scratch.snapshot()
        let (_, record, key) = try #require(Self.conflictingOrganisation.first { $0.0 == what })
        #expect(throws: LedgerError.conflictingRecord(key: key)) {
            try scratch.ledger.append([record], recordedAt: Day.at(2026, 5, 1))
        }
        #expect(try scratch.snapshot() == before)
    }

    @Test("a new version of an organisation record from a later date is appended")
    func organisationNewVersion() throws {
        let scratch = try Self.withContact()
        let outcomes = try scratch.ledger.append(
            [.entity(Entity(id: Org.acme, kind: .charity, group: "acme-group"), validFrom: Day.at(2026, 1, 1))], recordedAt: Day.at(2026, 5, 1))
        #expect(outcomes == [.appended(seq: 10)])
    }

    @Test("events without an id cannot be told apart: each is stored")
    func eventsWithoutID() throws {
        let scratch = try Self.withContact()
        var anonymous = Self.sale
        anonymous.id = nil
        let outcomes = try scratch.ledger.append(
            [.event(contactID: "c-1", anonymous, nil), .event(contactID: "c-1", anonymous, nil)], recordedAt: Day.at(2026, 1, 2))
        #expect(outcomes == [.appended(seq: 10), .appended(seq: 11)])
    }
}
