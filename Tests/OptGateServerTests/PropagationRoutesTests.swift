import Foundation
import Hummingbird
import HummingbirdTesting
import OptGateCore
import OptGateLedger
import Testing

@testable import OptGateServer

/// `/v1/propagation`: the proof that opt-outs reached each destination by its deadline, and the
/// requeue of dead letters.
@Suite("Propagation routes")
struct PropagationRoutesTests {
    /// Ann's opt-out of 2026-11-20T09:00 enqueued for a bulk sender (48 hours: due 2026-11-22T09:00,
    /// overdue at the test clock's 2026-11-23T12:00) and a CRM (10 business days: due 2026-12-04).
    static func setUp(_ client: some TestClientProtocol, _ server: TestServer) async throws -> Outbox {
        let outbox = try #require(server.services.outbox)
        try outbox.addDestination(name: "esp", url: "https://esp.example/hook", kind: .bulkEmail, deadlineHours: nil, fromStart: false, at: TestServer.now)
        try outbox.addDestination(name: "crm", url: "https://crm.example/hook", kind: .crm, deadlineHours: nil, fromStart: false, at: TestServer.now)
        try await Fixture.setUp(client, server)
        try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.optOut)) { response in
            #expect(response.status == .created)
        }
        #expect(try outbox.enqueueAll(firstAttemptAt: 0) == 2)
        return outbox
    }

    @Test("status counts each destination's deliveries and flags the one past its 48-hour deadline")
    func status() async throws {
        let server = try TestServer()
        try await server.test { client in
            _ = try await Self.setUp(client, server)
            try await client.execute(uri: "/v1/propagation", method: .get, headers: auth(server.tokens[.evidenceRead])) { response in
                #expect(response.status == .ok)
                let destinations = try #require(response.object["destinations"] as? [[String: Any]])
                #expect(destinations.map { $0["name"] as? String } == ["crm", "esp"])
                let crm = destinations[0], esp = destinations[1]
                #expect(esp["pending"] as? Int == 1 && esp["overdue"] as? Int == 1 && esp["dead"] as? Int == 0)
                #expect(crm["pending"] as? Int == 1 && crm["overdue"] as? Int == 0)
                #expect(esp["deadline"] as? String == "48 hours")
                #expect(crm["deadline"] as? String == "10 business days")
                #expect(esp["oldest_pending_age_seconds"] as? Int == 0)
            }
        }
    }

    @Test("deliveries are listed by state and overdue; bad state and limit are refused naming the field")
    func deliveries() async throws {
        let server = try TestServer()
        try await server.test { client in
            _ = try await Self.setUp(client, server)
            try await client.execute(uri: "/v1/propagation/deliveries?state=overdue", method: .get, headers: auth(server.admin)) { response in
                let list = try #require(response.object["deliveries"] as? [[String: Any]])
                #expect(list.count == 1)
                #expect(list.first?["destination"] as? String == "esp")
                #expect(list.first?["deadline"] as? String == "2026-11-22T09:00:00Z")
                #expect(list.first?["received_at"] as? String == "2026-11-20T09:00:00Z")
                #expect(list.first?["overdue"] as? Bool == true)
                #expect(list.first?["confirmed_at"] is NSNull)
            }
            try await client.execute(uri: "/v1/propagation/deliveries?limit=1", method: .get, headers: auth(server.admin)) { response in
                #expect((response.object["deliveries"] as? [Any])?.count == 1)
            }
            try await client.execute(uri: "/v1/propagation/deliveries?state=dead", method: .get, headers: auth(server.admin)) { response in
                #expect((response.object["deliveries"] as? [Any])?.isEmpty == true)
            }
            for (query, field) in [("state=lost", "state"), ("limit=0", "limit"), ("limit=x", "limit")] {
                try await client.execute(uri: "/v1/propagation/deliveries?\(query)", method: .get, headers: auth(server.admin)) { response in
                    #expect(response.status == .unprocessableContent)
                    #expect(response.problemFields == [field])
                }
            }
        }
    }

    @Test("a dead letter is requeued by an admin key only, once")
    func retry() async throws {
        let server = try TestServer()
        try await server.test { client in
            let outbox = try await Self.setUp(client, server)
            let key = try #require(try outbox.deliveries(.state(.pending), destination: "esp", limit: 1).first?.key)
            try outbox.store.writePropagation {
                try $0.markFailed(key: key, attempts: 15, at: TestServer.now, error: "HTTP 500", nextAttemptAt: nil)
            }
            let uri = "/v1/propagation/dead/\(key)/retry"
            try await client.execute(uri: uri, method: .post, headers: auth(nil)) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: uri, method: .post, headers: auth(server.tokens[.evidenceRead])) { #expect($0.status == .forbidden) }
            try await client.execute(uri: uri, method: .post, headers: auth(server.admin)) { response in
                #expect(response.status == .ok)
                #expect(response.object["state"] as? String == "pending")
                #expect(response.object["attempts"] as? Int == 0)
            }
            try await client.execute(uri: uri, method: .post, headers: auth(server.admin)) { response in
                #expect(response.status == .notFound)
                #expect(response.object["type"] as? String == "urn:optgate:problem:not-found")
            }
        }
    }

    @Test("the evidence pack lists each destination's delivery of the contact's opt-out, with deadline and overdue flag")
    func evidencePack() async throws {
        let server = try TestServer()
        try await server.test { client in
            let outbox = try await Self.setUp(client, server)
            let crm = try #require(try outbox.deliveries(.state(.pending), destination: "crm", limit: 1).first)
            #expect(try outbox.store.writePropagation { try $0.markDelivered(key: crm.key, attempts: 1, at: TestServer.now) })
            try await client.execute(uri: "/v1/contacts/c-1/evidence", method: .get, headers: auth(server.tokens[.evidenceRead])) { response in
                let propagation = try #require(response.object["propagation"] as? [[String: Any]])
                #expect(propagation.count == 1)
                #expect(propagation[0]["type"] as? String == "opt_out")
                #expect(propagation[0]["entry_id"] as? String == "event:oo-1")
                let destinations = try #require(propagation[0]["destinations"] as? [[String: Any]])
                #expect(destinations.map { $0["destination"] as? String } == ["crm", "esp"])
                #expect(destinations[0]["confirmed_at"] as? String == "2026-11-23T12:00:00Z")
                #expect(destinations[0]["overdue"] as? Bool == false)
                #expect(destinations[1]["confirmed_at"] is NSNull)
                #expect(destinations[1]["overdue"] as? Bool == true)
            }
        }
    }

    @Test("metrics show each destination's pending, overdue and dead-lettered deliveries")
    func metrics() async throws {
        let server = try TestServer()
        try await server.test { client in
            _ = try await Self.setUp(client, server)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.text.contains(#"optgate_propagation_overdue{destination="esp"} 1.0"#))
                #expect(response.text.contains(#"optgate_propagation_pending{destination="crm"} 1.0"#))
                #expect(response.text.contains(#"optgate_propagation_dead{destination="crm"} 0.0"#))
            }
        }
    }
}
