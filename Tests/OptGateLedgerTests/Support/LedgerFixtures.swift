import Foundation
import OptGateCore
import OptGateLedger

/// The organisation the ledger tests record: two group companies, a charity, three products
/// (accessories declared similar to laptops), the default policy and one notice.
enum Org {
    static let acme = "acme"
    static let travel = "acme-travel"
    static let charity = "helping-hands"
    static let entities = [acme, travel, charity]
    static let products = ["laptops", "accessories", "holidays"]

    static func records(from: Timestamp = Day.origin) -> [LedgerRecord] {
        [
            .entity(Entity(id: acme, kind: .company, group: "acme-group"), validFrom: from),
            .entity(Entity(id: travel, kind: .company, group: "acme-group"), validFrom: from),
            .entity(Entity(id: charity, kind: .charity), validFrom: from),
            .product(Product(id: "laptops"), validFrom: from, retired: false),
            .product(Product(id: "accessories", similarTo: ["laptops"], reasoning: "bought with laptops"), validFrom: from, retired: false),
            .product(Product(id: "holidays"), validFrom: from, retired: false),
            .policy(Policy(), validFrom: from),
            .notice(NoticeText(version: "v1", text: "Tick to get our offers by email.", validFrom: from)),
        ]
    }
}

/// Deterministic contacts and events for building chains of a given length.
enum Chain {
    static func contact(_ n: Int) throws -> LedgerRecord {
        .contact(ContactProfile(
            id: "c-\(n)", jurisdiction: JurisdictionCode("GB"), subscriber: .individual,
            identifiers: [try Identifier.email("person\(n)@example.com"), try Identifier.phone("+4477009\(String(format: "%05d", n))")]))
    }

    /// Event `k` of contact `n`: a rotation through every event kind, every third one with personal
    /// evidence (IP address and user agent), so that chains mix entries with and without personal data.
    static func event(contact n: Int, _ k: Int) -> LedgerRecord {
        let at = Day.at(2025, 1, 1).adding(seconds: Int64(n * 100_000 + k * 3_600))
        let kind: Event.Kind
        switch k % 6 {
        case 0:
            kind = .detailsCollected(DetailsCollected(by: Org.acme, context: .sale, products: ["laptops"], channels: [.email, .sms], refusalOffered: true))
        case 1:
            kind = .consentGiven(ConsentGiven(to: [Org.travel], channels: [.email], method: .uncheckedBox, noticeVersion: "v1"))
        case 2:
            kind = .marketingSent(MarketingSent(by: Org.acme, channel: .email, products: ["accessories"]))
        case 3:
            kind = .registerListed(.tps)
        case 4:
            kind = .gpcSignal(k % 4 == 0)
        default:
            kind = .optOut(OptOut(channels: [.sms], entity: Org.acme, via: .smsStop))
        }
        let evidence = k % 3 == 0
            ? EventEvidence(collectionPoint: "web form", actor: "site", ip: "203.0.113.\(n % 250)", userAgent: "Mozilla/5.0 (\(n))")
            : EventEvidence(collectionPoint: "till \(k)")
        return .event(contactID: "c-\(n)", Event(id: "e-\(n)-\(k)", at: at, kind), evidence)
    }

    /// Records for `contacts` contacts with `eventsPerContact` events each.
    static func people(_ contacts: ClosedRange<Int>, eventsPerContact: Int) throws -> [LedgerRecord] {
        var records: [LedgerRecord] = []
        for n in contacts {
            records.append(try contact(n))
            for k in 0..<eventsPerContact { records.append(event(contact: n, k)) }
        }
        return records
    }
}

extension ScratchLedger {
    /// A 50-entry ledger written in eight transactions (so with eight checkpoints): the
    /// organisation (8 entries), then 7 contacts with 5 events each (6 entries per write).
    static func small() throws -> ScratchLedger {
        let scratch = try ScratchLedger()
        try scratch.ledger.append(Org.records(), recordedAt: Day.at(2026, 1, 1))
        for n in 1...7 {
            try scratch.ledger.append(try Chain.people(n...n, eventsPerContact: 5), recordedAt: Day.at(2026, 1, 1 + n))
        }
        return scratch
    }

    /// A ledger of `total` entries written in one transaction, so sealed by checkpoints every
    /// `Ledger.checkpointInterval` entries and at its end.
    static func large(total: Int = 2_100) throws -> ScratchLedger {
        let scratch = try ScratchLedger()
        var records = Org.records()
        var n = 0
        while records.count < total {
            n += 1
            records.append(try Chain.contact(n))
            for k in 0..<99 where records.count < total { records.append(Chain.event(contact: n, k)) }
        }
        try scratch.ledger.append(records, recordedAt: Day.at(2026, 1, 1))
        return scratch
    }
}
