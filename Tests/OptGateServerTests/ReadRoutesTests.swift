import Foundation
import Hummingbird
import HummingbirdTesting
import OptGateCore
import OptGateLedger
import Testing

@testable import OptGateServer

@Suite("Contacts, organisation and evidence over the API")
struct ReadRoutesTests {
    @Test("a contact's permissions per sender and channel, now and at a past moment")
    func permissions() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            func emailFromAcme(_ uri: String) async throws -> [String: Any]? {
                try await client.execute(uri: uri, method: .get, headers: auth(server.tokens[.contactsRead])) { response in
                    #expect(response.status == .ok)
                    let permissions = response.object["permissions"] as? [[String: Any]] ?? []
                    #expect(permissions.count == 2 * Channel.allCases.count)
                    return permissions.first { $0["from"] as? String == "acme" && $0["channel"] as? String == "email" }
                }
            }
            let now = try #require(try await emailFromAcme("/v1/contacts/c-1"))
            #expect(now["allowed"] as? Bool == true)
            #expect(now["basis"] as? String == "soft_opt_in")
            #expect(now["products"] as? [String] == ["boots"])
            let before = try #require(try await emailFromAcme("/v1/contacts/c-1?at=2026-10-01T00:00:00Z"))
            #expect(before["allowed"] as? Bool == false)
            try await client.execute(uri: "/v1/contacts/c-1", method: .get, headers: auth(server.admin)) { response in
                let contact = response.object["contact"] as? [String: Any]
                #expect(contact?["jurisdiction"] as? String == "GB")
                #expect((contact?["identifiers"] as? [[String: Any]])?.count == 2)
            }
            try await client.execute(uri: "/v1/contacts/c-1?at=yesterday", method: .get, headers: auth(server.admin)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problemFields == ["at"])
            }
            try await client.execute(uri: "/v1/contacts/c-404", method: .get, headers: auth(server.admin)) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("history lists the contact's entries with hashes; at= keeps what was known of that moment")
    func history() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.optOut))
            let all = try await client.execute(uri: "/v1/contacts/c-1/history", method: .get, headers: auth(server.admin)) { $0.object["entries"] as? [[String: Any]] ?? [] }
            #expect(all.map { $0["kind"] as? String } == ["contact", "event", "event"])
            #expect(all.allSatisfy { ($0["hash"] as? String)?.count == 64 })
            let early = try await client.execute(uri: "/v1/contacts/c-1/history?at=2026-11-10T00:00:00Z", method: .get, headers: auth(server.admin)) { $0.object["entries"] as? [[String: Any]] ?? [] }
            #expect(early.map { $0["kind"] as? String } == ["contact", "event"])
        }
    }

    @Test("lookup by email in the body, never in the URL")
    func lookup() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/contacts/lookup", method: .post, headers: auth(server.admin), body: body(#"{"email": "ann@example.com"}"#)) { response in
                #expect(response.object["contact"] as? String == "c-1")
            }
            try await client.execute(uri: "/v1/contacts/lookup", method: .post, headers: auth(server.admin), body: body(#"{"email": "not an email"}"#)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problemFields == ["email"])
            }
            try await client.execute(uri: "/v1/contacts/lookup", method: .post, headers: auth(server.admin), body: body(#"{"phone": "+447700900999"}"#)) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("organisation records are versioned by valid_from: GET shows the version in effect at the moment asked")
    func organisation() async throws {
        let server = try TestServer()
        try await server.test { client in
            let write = auth(server.tokens[.organisationWrite])
            try await client.execute(uri: "/v1/entities", method: .post, headers: write, body: body(#"{"id": "acme", "kind": "company"}"#)) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/v1/entities", method: .post, headers: write, body: body(#"{"id": "acme", "kind": "charity", "valid_from": "2026-06-01T00:00:00Z"}"#))
            try await client.execute(uri: "/v1/entities", method: .post, headers: write, body: body(#"{"id": "acme", "kind": "nonprofit"}"#)) { response in
                #expect(response.status == .conflict)
            }
            let reader = auth(server.tokens[.contactsRead])
            try await client.execute(uri: "/v1/entities?at=2026-01-01T00:00:00Z", method: .get, headers: reader) { response in
                #expect((response.object["entities"] as? [[String: Any]])?.first?["kind"] as? String == "company")
            }
            try await client.execute(uri: "/v1/entities", method: .get, headers: reader) { response in
                #expect((response.object["entities"] as? [[String: Any]])?.first?["kind"] as? String == "charity")
            }
            try await client.execute(uri: "/v1/catalogue", method: .post, headers: write, body: body(#"{"id": "boots"}"#))
            try await client.execute(uri: "/v1/catalogue", method: .post, headers: write, body: body(#"{"id": "socks", "similar_to": ["boots"], "reasoning": "worn with boots"}"#))
            try await client.execute(uri: "/v1/catalogue", method: .post, headers: write, body: body(#"{"id": "hats", "similar_to": ["caps"]}"#)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problemFields == ["similar_to"])
            }
            try await client.execute(uri: "/v1/catalogue", method: .get, headers: reader) { response in
                let products = response.object["products"] as? [[String: Any]] ?? []
                #expect(products.map { $0["id"] as? String } == ["boots", "socks"])
                #expect(products[1]["reasoning"] as? String == "worn with boots")
            }
            try await client.execute(uri: "/v1/policy", method: .post, headers: write, body: body(#"{"uk_soft_opt_in_months": 12, "valid_from": "2026-03-01T00:00:00Z"}"#))
            try await client.execute(uri: "/v1/policy", method: .get, headers: reader) { response in
                #expect(response.object["uk_soft_opt_in_months"] as? Int == 12)
            }
            try await client.execute(uri: "/v1/policy?at=2026-02-01T00:00:00Z", method: .get, headers: reader) { response in
                #expect(response.object["uk_soft_opt_in_months"] as? Int == 24)
            }
            try await client.execute(uri: "/v1/notices", method: .post, headers: write, body: body(#"{"version": "v2", "text": "We will email you offers."}"#))
            try await client.execute(uri: "/v1/notices", method: .get, headers: reader) { response in
                #expect((response.object["notices"] as? [[String: Any]])?.first?["text"] as? String == "We will email you offers.")
            }
        }
    }

    @Test("audit verify over the API, an evidence pack showing the recorded send decision, consent receipts")
    func evidence() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            let consent = #"{"contact": "c-1", "id": "con-1", "type": "consent_given", "at": "2026-11-02T10:00:00Z", "to": ["acme"], "channels": ["sms"], "purposes": ["marketing"], "method": "unticked_box", "notice_version": "v1"}"#
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(consent))
            try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(Fixture.decision(#", "message_id": "m-1""#)))
            let evidence = auth(server.tokens[.evidenceRead])
            try await client.execute(uri: "/v1/audit/verify", method: .get, headers: evidence) { response in
                #expect(response.object["valid"] as? Bool == true)
                #expect(response.object["entries"] as? Int == Int(server.head))
            }
            try await client.execute(uri: "/v1/contacts/c-1/evidence", method: .get, headers: evidence) { response in
                let summary = response.object["summary"] as? [String: Any]
                #expect(summary?["decisions_recorded"] as? Int == 1)
                #expect(response.text.contains("\"message_id\":\"m-1\""))
                #expect(response.text.contains("Tick to hear about offers by email."))
            }
            try await client.execute(uri: "/v1/contacts/c-1/receipts", method: .get, headers: evidence) { response in
                let receipts = (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [[String: Any]]
                #expect(receipts?.count == 1)
            }
        }
    }

    @Test("health, metrics and the OpenAPI document are public; metrics count decisions by basis and events by type")
    func operations() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.optOut))
            try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(Fixture.decision()))
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.object["status"] as? String == "ok")
                #expect(response.object["ledger_head"] as? Int == Int(server.head))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = response.text
                #expect(text.contains(#"optgate_decisions_total{outcome="denied",basis="none"} 1"#))
                #expect(text.contains(#"optgate_events_recorded_total{type="opt_out"} 1"#))
                #expect(text.contains(#"route="/v1/decisions""#))
                #expect(!text.contains("ann@example.com") && !text.contains("c-1"))
            }
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.object["openapi"] as? String == "3.1.0")
            }
        }
    }
}
