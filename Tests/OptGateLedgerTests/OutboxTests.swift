import Foundation
import OptGateCore
import OptGateLedger
import OptGateSQLite
import Testing

/// The outbox as a tail of the ledger: what is enqueued, exactly once, and what the payload says.
@Suite("Outbox")
struct OutboxTests {
    static let t0 = Timestamp(year: 2026, month: 11, day: 16)!
    static let recordedAt = Timestamp(year: 2026, month: 11, day: 20, hour: 9)!

    /// acme, Ann (c-1, email and phone), and a sale, a consent and an opt-out of hers.
    static func ledger() throws -> (ScratchLedger, Outbox) {
        let scratch = try ScratchLedger()
        try scratch.ledger.append([
            .entity(Entity(id: "acme", kind: .company), validFrom: t0),
            .contact(ContactProfile(
                id: "c-1", jurisdiction: JurisdictionCode("GB"), identifiers: [try .email("Ann@Example.com"), try .phone("+447700900123")])),
        ], recordedAt: t0)
        return (scratch, Outbox(store: scratch.ledger.store as! SQLiteLedgerStore))
    }

    static func events(_ ledger: Ledger) throws {
        try ledger.append([
            .event(contactID: "c-1", Event(id: "sale-1", at: t0, .detailsCollected(DetailsCollected(
                by: "acme", from: .recipient, context: .sale, products: [], channels: [.email], refusalOffered: true))), nil),
            .event(contactID: "c-1", Event(id: "consent-1", at: Timestamp(year: 2026, month: 11, day: 18)!,
                .consentGiven(ConsentGiven(to: ["acme"], channels: [.sms], method: .doubleOptIn))), nil),
            .event(contactID: "c-1", Event(id: "oo-1", at: Timestamp(year: 2026, month: 11, day: 19)!,
                .optOut(OptOut(channels: [.email], entity: "acme", via: .oneClick))), nil),
        ], recordedAt: recordedAt)
    }

    @Test("a destination starts at the ledger head: only later opt-outs and consents are enqueued, once each")
    func fromHead() throws {
        let (scratch, outbox) = try Self.ledger()
        let head = try scratch.ledger.store.read { try $0.head()!.seq }
        let esp = try outbox.addDestination(name: "esp", url: "https://esp.example/hook", kind: .bulkEmail, deadlineHours: nil, fromStart: false, at: Self.t0)
        #expect(esp.cursor == head)
        #expect(try outbox.enqueueAll(firstAttemptAt: 0) == 0)
        try Self.events(scratch.ledger)
        #expect(try outbox.enqueueAll(firstAttemptAt: 5) == 2)
        #expect(try outbox.enqueueAll(firstAttemptAt: 5) == 0)
        let pending = try outbox.deliveries(.state(.pending), limit: 10)
        #expect(pending.map(\.change) == [.consent, .optOut])
        #expect(Set(pending.map(\.key)).count == 2)
        #expect(pending.allSatisfy { $0.key == "esp:\($0.seq)" && $0.nextAttemptAt == 5 && $0.attempts == 0 })
        let optOut = pending[1]
        #expect(optOut.receivedAt == Timestamp(year: 2026, month: 11, day: 19)!)
        #expect(optOut.boundAt == Self.recordedAt)
        // bulk_email: 48 hours from when the person opted out.
        #expect(optOut.deadline == Timestamp(year: 2026, month: 11, day: 21)!)
        #expect(try outbox.destinations()[0].cursor == scratch.ledger.store.read { try $0.head()!.seq })
    }

    @Test("--from-start enqueues what the ledger already holds; batches resume at the cursor")
    func fromStart() throws {
        let (scratch, outbox) = try Self.ledger()
        try Self.events(scratch.ledger)
        try outbox.addDestination(name: "crm", url: "http://crm.internal/hook", kind: .crm, deadlineHours: nil, fromStart: true, at: Self.t0)
        #expect(try outbox.enqueue(destination: "crm", firstAttemptAt: 0, batch: 3) == (3, 0))
        #expect(try outbox.destinations()[0].cursor == 3)
        #expect(try outbox.enqueue(destination: "crm", firstAttemptAt: 0, batch: 3) == (2, 2))
        #expect(try outbox.enqueue(destination: "crm", firstAttemptAt: 0, batch: 3) == (0, 0))
        let deliveries = try outbox.deliveries(.state(.pending), limit: 10)
        #expect(deliveries.count == 2)
        // crm: 10 business days (CAN-SPAM 15 U.S.C. 7704(a)(4), CASL s.11(3)) from Thursday 2026-11-19.
        #expect(deliveries[1].deadline == Timestamp(year: 2026, month: 12, day: 3)!)
    }

    @Test("names are unique, removed names stay taken, and a removed destination gets nothing new")
    func duplicatesAndRemoval() throws {
        let (scratch, outbox) = try Self.ledger()
        try outbox.addDestination(name: "esp", url: "https://esp.example/hook", kind: .email, deadlineHours: nil, fromStart: false, at: Self.t0)
        #expect(throws: PropagationError.duplicateDestination("esp")) {
            try outbox.addDestination(name: "esp", url: "https://other.example", kind: .sms, deadlineHours: nil, fromStart: false, at: Self.t0)
        }
        try outbox.removeDestination(name: "esp", at: Self.recordedAt)
        #expect(throws: PropagationError.unknownDestination("esp")) { try outbox.removeDestination(name: "esp", at: Self.recordedAt) }
        #expect(throws: PropagationError.duplicateDestination("esp")) {
            try outbox.addDestination(name: "esp", url: "https://esp.example/hook", kind: .email, deadlineHours: nil, fromStart: false, at: Self.t0)
        }
        try Self.events(scratch.ledger)
        #expect(try outbox.enqueueAll(firstAttemptAt: 0) == 0)
        #expect(try outbox.destinations()[0].removedAt == Self.recordedAt)
    }

    @Test("the payload carries the event, its scope, the contact's identifiers and the times")
    func payload() throws {
        let (scratch, outbox) = try Self.ledger()
        try outbox.addDestination(name: "esp", url: "https://esp.example/hook", kind: .email, deadlineHours: nil, fromStart: false, at: Self.t0)
        try Self.events(scratch.ledger)
        try outbox.enqueueAll(firstAttemptAt: 0)
        let optOut = try #require(try outbox.deliveries(.state(.pending), limit: 10).last)
        let body = try outbox.store.readPropagation { try WebhookPayload.json(optOut, in: $0) }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "opt_out")
        #expect(object["idempotency_key"] as? String == optOut.key)
        #expect(object["contact"] as? String == "c-1")
        #expect(object["erased"] as? Bool == false)
        let identifiers = try #require(object["identifiers"] as? [[String: String]])
        #expect(identifiers == [["type": "email", "value": "ann@example.com"], ["type": "phone", "value": "+447700900123"]])
        let event = try #require(object["event"] as? [String: Any])
        #expect(event["id"] as? String == "oo-1")
        #expect(event["via"] as? String == "one_click")
        let scope = try #require(object["scope"] as? [String: Any])
        #expect(scope["entities"] as? [String] == ["acme"])
        #expect(scope["channels"] as? [String] == ["email"])
        #expect(scope["products"] is NSNull)
        #expect(object["received_at"] as? String == "2026-11-19T00:00:00Z")
        #expect(object["bound_at"] as? String == "2026-11-20T09:00:00Z")
        // Built twice, the same bytes: a retry carries the same content.
        #expect(try outbox.store.readPropagation { try WebhookPayload.json(optOut, in: $0) } == body)
    }

    @Test("UK/EU GDPR Art 17: after erasure the payload carries no identifiers; the erasure itself is propagated")
    func erased() throws {
        let (scratch, outbox) = try Self.ledger()
        try outbox.addDestination(name: "esp", url: "https://esp.example/hook", kind: .email, deadlineHours: nil, fromStart: false, at: Self.t0)
        try Self.events(scratch.ledger)
        try outbox.enqueueAll(firstAttemptAt: 0)
        _ = try scratch.ledger.erase(contactID: "c-1", recordedAt: Timestamp(year: 2026, month: 11, day: 21)!)
        try outbox.enqueueAll(firstAttemptAt: 0)
        let deliveries = try outbox.deliveries(.state(.pending), limit: 10)
        #expect(deliveries.map(\.change) == [.consent, .optOut, .erasure])
        for delivery in deliveries {
            let body = try outbox.store.readPropagation { try WebhookPayload.json(delivery, in: $0) }
            #expect(!body.contains("ann@example.com") && !body.contains("+447700900123"), "\(body)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect((object["identifiers"] as? [Any])?.isEmpty == true)
            #expect(object["erased"] as? Bool == true)
        }
    }

    @Test("signatures verify with the destination's secret only, over the exact body, within the tolerance")
    func signature() {
        let secret = LedgerSecret(bytes: Array(repeating: 1, count: 32))
        let created = Timestamp(year: 2026, month: 1, day: 1)!
        let key = secret.destinationSecret(name: "esp", createdAt: created)
        #expect(key.count == 64)
        #expect(key == secret.destinationSecret(name: "esp", createdAt: created))
        #expect(key != secret.destinationSecret(name: "crm", createdAt: created))
        #expect(key != secret.destinationSecret(name: "esp", createdAt: created.adding(seconds: 1)))
        #expect(key != LedgerSecret(bytes: Array(repeating: 2, count: 32)).destinationSecret(name: "esp", createdAt: created))
        let body = Array(#"{"type":"opt_out"}"#.utf8)
        let header = WebhookSignature.header(secret: key, timestamp: 1_800_000_000, body: body)
        #expect(header.hasPrefix("t=1800000000,v1="))
        #expect(WebhookSignature.verify(header: header, secret: key, body: body, now: 1_800_000_100))
        #expect(!WebhookSignature.verify(header: header, secret: key, body: body, now: 1_800_000_400))
        #expect(!WebhookSignature.verify(header: header, secret: key, body: body + [32], now: 1_800_000_000))
        #expect(!WebhookSignature.verify(header: header, secret: String(key.reversed()), body: body, now: 1_800_000_000))
    }
}
