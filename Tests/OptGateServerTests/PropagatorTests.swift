import Foundation
import OptGateCore
import OptGateLedger
import OptGateSQLite
import Testing

@testable import OptGateServer

/// The propagator against a real destination on 127.0.0.1: opt-outs must reach every system that
/// sends (CAN-SPAM 15 U.S.C. 7704(a)(4), CASL s.11(3), UK GDPR Art 21(3)), durably and provably.
@Suite("Propagator")
struct PropagatorTests {
    @Test("through 500s and timeouts every change is confirmed once, retries keep their key and content, signatures verify")
    func failuresThenRecovery() async throws {
        let fixture = try PropagationFixture()
        // Requests 1-3 get 500, 4-5 outlast the timeout, then the destination recovers. The timeout
        // leaves a loaded machine (a parallel test run, CI) a second for a prompt answer.
        let receiver = WebhookReceiver { n in n <= 3 ? .status(500) : n <= 5 ? .slow(2.5) : .status(200) }
        try await receiver.serve { url in
            let destination = try fixture.outbox.addDestination(
                name: "esp", url: url, kind: .bulkEmail, deadlineHours: nil, fromStart: false, at: PropagationFixture.now)
            try fixture.optOuts(4)
            let propagator = fixture.propagator(settings: PropagationFixture.fastSettings(timeout: 1.0))
            let running = Task { await propagator.run() }
            try await eventually("all four opt-outs confirmed") { try fixture.deliveries(.delivered).count == 4 }
            propagator.stop()
            await running.value

            let received = await receiver.received
            let delivered = try fixture.deliveries(.delivered)
            #expect(Set(delivered.map(\.key)).count == 4, "distinct changes have distinct keys")
            #expect(Set(delivered.map(\.seq)).count == 4)
            #expect(Set(received.map(\.key)) == Set(delivered.map(\.key)), "only enqueued keys were sent")
            #expect(received.count > 4, "failures were retried")
            #expect(received.contains { if case .slow = $0.answered { return true } else { return false } }, "a timeout happened")
            let confirmed = await receiver.confirmedKeys
            #expect(confirmed.count == 4 && Set(confirmed).count == 4, "no change confirmed twice: \(confirmed)")
            // Each delivery's attempts are every request the destination got for its key, all with the same body.
            for delivery in delivered {
                let attempts = received.filter { $0.key == delivery.key }
                #expect(delivery.attempts == attempts.count)
                #expect(Set(attempts.map(\.body)).count == 1, "a retry carries the same content")
                #expect(delivery.deliveredAt == PropagationFixture.now)
                #expect(delivery.lastError == nil)
            }
            let secret = PropagationFixture.secret.destinationSecret(name: "esp", createdAt: destination.createdAt)
            let now = Int64(Date().timeIntervalSince1970)
            for request in received {
                #expect(WebhookSignature.verify(header: request.signature, secret: secret, body: request.body, now: now))
                let object = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
                #expect(object["idempotency_key"] as? String == request.key)
                #expect(object["type"] as? String == "opt_out")
                #expect((object["identifiers"] as? [[String: String]])?.first?["value"] == "ann@example.com")
            }
        }
    }

    @Test("a restart mid-delivery loses nothing and confirms nothing twice")
    func restart() async throws {
        let fixture = try PropagationFixture()
        let receiver = WebhookReceiver { _ in .slow(0.2) }
        try await receiver.serve { url in
            try fixture.outbox.addDestination(name: "crm", url: url, kind: .crm, deadlineHours: nil, fromStart: false, at: PropagationFixture.now)
            try fixture.optOuts(8)
            let settings = PropagationFixture.fastSettings(timeout: 2, maxInFlight: 2)
            let first = fixture.propagator(settings: settings)
            let running = Task { await first.run() }
            try await eventually("deliveries in flight") { await receiver.received.count >= 1 }
            first.stop()
            await running.value
            let pendingAfterStop = try fixture.deliveries(.pending).count
            #expect(pendingAfterStop > 0, "the stop came mid-delivery")
            #expect(pendingAfterStop + (try fixture.deliveries(.delivered).count) == 8, "nothing lost")
            #expect(await receiver.received.count == 8 - pendingAfterStop, "in-flight deliveries finished and were recorded")

            // A new process: another store on the same database file.
            let second = fixture.propagator(settings: settings, store: try SQLiteLedgerStore(path: fixture.directory + "/ledger.sqlite"))
            let resumed = Task { await second.run() }
            try await eventually("every change confirmed after the restart") { try fixture.deliveries(.delivered).count == 8 }
            second.stop()
            await resumed.value
            let keys = await receiver.received.map(\.key)
            #expect(keys.count == 8 && Set(keys).count == 8, "each change sent and confirmed once: \(keys)")
        }
    }

    @Test("after its last attempt a delivery is dead-lettered, kept and listed; requeued, it is delivered")
    func deadLetter() async throws {
        let fixture = try PropagationFixture()
        let receiver = WebhookReceiver { _ in .status(503) }
        let metrics = ServerMetrics()
        try await receiver.serve { url in
            try fixture.outbox.addDestination(name: "sms", url: url, kind: .sms, deadlineHours: nil, fromStart: false, at: PropagationFixture.now)
            try fixture.optOuts(1)
            let propagator = fixture.propagator(settings: PropagationFixture.fastSettings(maxAttempts: 3), metrics: metrics)
            let running = Task { await propagator.run() }
            try await eventually("dead-lettered") { try fixture.deliveries(.dead).count == 1 }
            let dead = try #require(try fixture.deliveries(.dead).first)
            #expect(dead.attempts == 3)
            #expect(dead.lastError == "HTTP 503")
            #expect(await receiver.received.map(\.key) == [dead.key, dead.key, dead.key])
            try await Task.sleep(for: .milliseconds(300))
            #expect(await receiver.received.count == 3, "a dead delivery is not retried by itself")

            await receiver.answer { _ in .status(204) }
            try fixture.outbox.requeue(key: dead.key, at: Date().timeIntervalSince1970)
            #expect(throws: PropagationError.noDeadDelivery(dead.key)) { try fixture.outbox.requeue(key: dead.key, at: 0) }
            propagator.wake.signal()
            try await eventually("delivered after the requeue") { try fixture.deliveries(.delivered).count == 1 }
            propagator.stop()
            await running.value
            let delivered = try #require(try fixture.deliveries(.delivered).first)
            #expect(delivered.key == dead.key)
            #expect(delivered.attempts == 1)
            let exposition = String(decoding: metrics.exposition(), as: UTF8.self)
            #expect(exposition.contains(#"optgate_webhook_deliveries_total{destination="sms",outcome="dead"} 1"#))
            #expect(exposition.contains(#"optgate_webhook_deliveries_total{destination="sms",outcome="confirmed"} 1"#))
        }
    }

    @Test("a removed destination gets nothing more; another keeps receiving")
    func removedDestination() async throws {
        let fixture = try PropagationFixture()
        let receiver = WebhookReceiver { _ in .status(200) }
        try await receiver.serve { url in
            try fixture.outbox.addDestination(name: "a", url: url, kind: .email, deadlineHours: nil, fromStart: false, at: PropagationFixture.now)
            try fixture.outbox.addDestination(name: "b", url: url, kind: .email, deadlineHours: nil, fromStart: false, at: PropagationFixture.now)
            try fixture.outbox.removeDestination(name: "b", at: PropagationFixture.now)
            try fixture.optOuts(2)
            let propagator = fixture.propagator(settings: PropagationFixture.fastSettings())
            let running = Task { await propagator.run() }
            try await eventually("delivered to a") { try fixture.deliveries(.delivered).count == 2 }
            propagator.stop()
            await running.value
            #expect(await receiver.received.allSatisfy { $0.key.hasPrefix("a:") })
            #expect(try fixture.outbox.deliveries(.state(.pending), destination: "b", limit: 10).isEmpty)
        }
    }
}
