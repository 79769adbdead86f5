import Foundation
import Fuzzing
import OptGateCore
import OptGateLedger
import Testing

/// The campaign check (issue 6): every recipient gets exactly the verdict the single-decision path
/// gives (`ContactHistory.decide`), whatever the audience, the chunking or the message; recipients
/// OptGate does not know, erased ones and unreadable addresses are excluded with their reason.
@Suite("Campaign filter")
struct CampaignFilterTests {
    static let jurisdictions: [String?] = ["GB", "IE", "DE", "FR", "US", "US-CA", "CA", nil]

    /// A ledger of `count` contacts across jurisdictions and subscriber types, each with a random
    /// valid history; the last one erased.
    static func ledger(seed: UInt64, count: Int) throws -> ScratchLedger {
        let scratch = try ScratchLedger()
        var rng = SeededGenerator(seed: seed)
        var records = Org.records()
        for n in 0..<count {
            let jurisdiction = jurisdictions[n % jurisdictions.count].flatMap(JurisdictionCode.init)
            let subscriber = SubscriberType.allCases.randomElement(using: &rng)!
            records.append(.contact(ContactProfile(
                id: "c-\(n)", jurisdiction: jurisdiction, subscriber: subscriber,
                identifiers: [try Identifier.email("person\(n)@example.com")])))
            for k in 0..<Int.random(in: 0...12, using: &rng) {
                let at = RandomEventStream.instant(&rng, from: Day.at(2024, 6, 1))
                records.append(.event(contactID: "c-\(n)", Event(id: "e-\(n)-\(k)", at: at, RandomEventStream.kind(&rng, at: at)), nil))
            }
        }
        try scratch.ledger.append(records, recordedAt: Day.recorded)
        _ = try scratch.ledger.erase(contactID: "c-\(count - 1)", recordedAt: Day.recorded.adding(seconds: 60))
        return scratch
    }

    static func audience(_ rng: inout SeededGenerator, contacts: Int) throws -> [AudienceReader.Row] {
        try (0..<Int.random(in: 20...120, using: &rng)).map { line in
            let n = Int.random(in: 0..<contacts + 5, using: &rng)
            switch Int.random(in: 0..<10, using: &rng) {
            case 0:
                return AudienceReader.Row(line: line + 2, recipient: "bad-\(n)", lookup: .invalid("not an address"))
            case 1, 2:
                return AudienceReader.Row(line: line + 2, recipient: "c-\(n)", lookup: .contact("c-\(n)"))
            default:
                let email = "Person\(n)@Example.com"
                return AudienceReader.Row(line: line + 2, recipient: email, lookup: .identifier(try Identifier.email(email)))
            }
        }
    }

    static func message(_ rng: inout SeededGenerator) -> Message {
        Message(
            from: Org.entities.randomElement(using: &rng)!,
            channel: [Channel.email, .sms, .post, .liveCall, .onlineAd].randomElement(using: &rng)!,
            purpose: Purpose.allCases.randomElement(using: &rng)!,
            products: Org.products.filter { _ in Bool.random(using: &rng) },
            includesOptOut: Int.random(in: 0..<8, using: &rng) != 0)
    }

    @Test("on random audiences, every recipient's verdict is the single-decision engine's, read from the ledger or from a snapshot the ledger has moved past",
          arguments: [UInt64(11), 12, 13, 14], [false, true])
    func sameAsSingleDecisions(seed: UInt64, fromSnapshot: Bool) throws {
        let contacts = 40
        let scratch = try Self.ledger(seed: seed, count: contacts)
        var rng = SeededGenerator(seed: seed &* 31)
        let snapshotPath = scratch.directory.appendingPathComponent("timelines.snapshot").path
        if fromSnapshot { try TimelineSnapshotBuilder.build(scratch.ledger, to: snapshotPath) }
        // After the snapshot: new events for some contacts, a new contact, an erasure.
        var later: [LedgerRecord] = (0..<6).map { k in
            let at = RandomEventStream.instant(&rng, from: Day.at(2025, 1, 1))
            return .event(contactID: "c-\(Int.random(in: 0..<contacts, using: &rng))", Event(id: "later-\(k)", at: at, RandomEventStream.kind(&rng, at: at)), nil)
        }
        later.append(.contact(ContactProfile(id: "c-\(contacts)", jurisdiction: JurisdictionCode("GB"), identifiers: [try Identifier.email("person\(contacts)@example.com")])))
        later.append(.event(contactID: "c-\(contacts)", Event(id: "later-new", at: Day.at(2025, 6, 1), RandomEventStream.kind(&rng, at: Day.at(2025, 6, 1))), nil))
        try scratch.ledger.append(later, recordedAt: Day.recorded.adding(days: 2))
        _ = try scratch.ledger.erase(contactID: "c-1", recordedAt: Day.recorded.adding(days: 3))
        let snapshot = fromSnapshot ? try scratch.ledger.openSnapshot(path: snapshotPath).snapshot : nil
        for _ in 0..<4 {
            let message = Self.message(&rng)
            let now = Day.at(2026, 3, 1).adding(seconds: Int64.random(in: 0...20_000_000, using: &rng))
            let rows = try Self.audience(&rng, contacts: contacts)
            var filter = CampaignFilter(ledger: scratch.ledger, message: message, at: now, snapshot: snapshot)
            filter.workers = 2
            // Judged in chunks of random size: the chunking changes nothing.
            var verdicts: [CampaignVerdict] = []
            var start = 0
            while start < rows.count {
                let end = min(rows.count, start + Int.random(in: 1...30, using: &rng))
                verdicts += try filter.check(Array(rows[start..<end]))
                start = end
            }
            #expect(verdicts.map(\.line) == rows.map(\.line))
            var summary = CampaignSummary()
            for (row, verdict) in zip(rows, verdicts) {
                summary.add(verdict, now: now)
                // The contact the row names, if the ledger holds it (the erased one keeps its id, not its address).
                let known: String?
                switch row.lookup {
                case .invalid: known = nil
                case .contact(let id): known = try scratch.ledger.store.read { try $0.contactStatus(id: id) } != nil ? id : nil
                case .identifier(let identifier): known = try scratch.ledger.contactID(for: identifier)
                }
                #expect(verdict.contactID == known, "line \(row.line)")
                if let contactID = known {
                    let single = try scratch.ledger.history(contactID: contactID).decide(message, at: now)
                    #expect(verdict.decision == single, "line \(row.line): \(contactID)")
                    #expect(verdict.send == single.allowed && verdict.unjudged == nil)
                } else if case .invalid = row.lookup {
                    #expect(verdict.unjudged == .invalid && verdict.decision == nil)
                } else if case .identifier(let identifier) = row.lookup {
                    // Not found: unknown, or suppressed for an erased contact's address.
                    let erased = try scratch.ledger.isSuppressed(identifier)
                    #expect(erased == ["person1@example.com", "person\(contacts - 1)@example.com"].contains(identifier.value))
                    #expect(verdict.unjudged == (erased ? .suppressed : .unknown), "line \(row.line)")
                } else {
                    #expect(verdict.unjudged == .unknown)
                }
            }
            #expect(summary.recipients == rows.count && summary.send + summary.excluded == rows.count)
            #expect(summary.send == verdicts.filter(\.send).count)
            #expect(summary.byBasis.values.reduce(0, +) == summary.send)
        }
    }

    @Test("the audience header needs exactly one recipient column; rows that cannot be read are recipients to exclude")
    func audienceFile() throws {
        func reader(_ text: String) throws -> AudienceReader { try AudienceReader(data: Data(text.utf8)) }
        #expect(throws: AudienceReader.HeaderError.self) { try reader("name,city\nAnn,Leeds\n") }
        #expect(throws: AudienceReader.HeaderError.self) { try reader("email,phone\na@b.c,+447700900123\n") }
        #expect(throws: AudienceReader.HeaderError.self) { try reader("") }
        var audience = try reader("\u{FEFF}Name, Email \nAnn,ann@example.com\n\nBob,\nCy,\"cy@example.com\"\nDi,not-an-email\n")
        var rows: [AudienceReader.Row] = []
        while let row = audience.next() { rows.append(row) }
        #expect(rows.map(\.line) == [2, 4, 5, 6])
        #expect(rows[0].lookup == .identifier(try Identifier.email("ann@example.com")))
        guard case .invalid = rows[1].lookup, case .invalid = rows[3].lookup else { Issue.record("\(rows)"); return }
        #expect(rows[2].lookup == .identifier(try Identifier.email("cy@example.com")))
        var phones = try reader("phone,country\n07700 900123,GB\n+15551234567,\n07700 900123,\n")
        #expect(phones.next()?.lookup == .identifier(try Identifier.phone("+447700900123")))
        #expect(phones.next()?.lookup == .identifier(try Identifier.phone("+15551234567")))
        guard case .invalid = phones.next()?.lookup else { Issue.record("a national number without a country"); return }
    }

    @Test("rows are RFC 4180: fields with commas and quotes are quoted; a send row carries the RFC 8058 pair")
    func rows() throws {
        var verdict = CampaignVerdict(line: 7, recipient: "ann@example.com", contactID: "c-1", decision: Decision(
            allowed: true, basis: .softOptIn, reasons: [], requirements: [.includeOptOut], validUntil: Day.at(2026, 3, 20), rules: "GB/PECR"))
        let links = MessageLinks(base: "https://x.test", sealed: "T", channel: .email)
        #expect(CampaignRows.send(verdict, links: links, now: Day.at(2026, 3, 1)) ==
            "7,ann@example.com,c-1,soft_opt_in,include_opt_out,2026-03-20T00:00:00Z,true,<https://x.test/u/T>,List-Unsubscribe=One-Click,https://x.test/u/T,https://x.test/p/T\n")
        verdict.decision = nil
        verdict.recipient = "a,\"b\""
        verdict.unjudged = .invalid
        verdict.problem = "bad, very"
        #expect(CampaignRows.excluded(verdict) == "7,\"a,\"\"b\"\"\",c-1,recipient.invalid,\"bad, very\"\n")
    }
}
