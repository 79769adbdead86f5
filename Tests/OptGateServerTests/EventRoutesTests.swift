import Foundation
import Hummingbird
import HummingbirdTesting
import OptGateLedger
import Testing

@testable import OptGateServer

@Suite("Recording events over the API")
struct EventRoutesTests {
    @Test("an event is recorded once, acknowledged with its position; the same event again is a duplicate")
    func recordsOnce() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            let before = server.head
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale)) { response in
                #expect(response.status == .created)
                #expect(response.object["status"] as? String == "appended")
                #expect(response.object["contact"] as? String == "c-1")
                #expect(response.object["seq"] as? Int == Int(before + 1))
            }
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale)) { response in
                #expect(response.status == .ok)
                #expect(response.object["status"] as? String == "duplicate")
            }
            #expect(server.head == before + 1)
        }
    }

    @Test("the same event id with other content is a 409 naming the id; nothing is written")
    func conflict() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            let head = server.head
            let changed = Fixture.sale.replacingOccurrences(of: "2026-11-01T10:00:00Z", with: "2026-11-02T10:00:00Z")
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(changed)) { response in
                #expect(response.status == .conflict)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.problemFields == ["id"])
            }
            #expect(server.head == head)
        }
    }

    @Test("invalid fields are 422 problem details naming each field with line and column")
    func invalidFields() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            let bad = #"{"contact": "c-1", "type": "opt_out", "at": "2026-13-01T00:00:00Z", "via": "pigeon"}"#
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(bad)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(Set(response.problemFields) == ["at", "via"])
                let errors = response.object["errors"] as? [[String: Any]] ?? []
                #expect(errors.allSatisfy { $0["line"] as? Int == 1 && $0["column"] != nil })
                #expect(response.object["type"] as? String == "urn:optgate:problem:invalid-request")
                #expect(response.object["status"] as? Int == 422)
            }
        }
    }

    @Test("an event for an unknown contact, entity or product is refused, naming the field")
    func unknownReferences() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            let cases = [
                (Fixture.sale.replacingOccurrences(of: "\"c-1\"", with: "\"c-404\""), "contact"),
                (Fixture.sale.replacingOccurrences(of: "\"acme\"", with: "\"acne\""), "by"),
                (Fixture.sale.replacingOccurrences(of: "[\"boots\"]", with: "[\"bots\"]"), "products"),
                (Fixture.optOut.replacingOccurrences(of: "ann@", with: "anne@"), "email"),
            ]
            for (text, field) in cases {
                try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(text)) { response in
                    #expect(response.status == .unprocessableContent, "\(field)")
                    #expect(response.problemFields == [field])
                }
            }
        }
    }

    @Test("bodies that are not JSON, empty, or the wrong record kind are refused with their place")
    func malformedBodies() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body("{\"contact\": \n  oops}")) { response in
                #expect(response.status == .unprocessableContent)
                let error = (response.object["errors"] as? [[String: Any]])?.first
                #expect(error?["line"] as? Int == 2)
                #expect(error?["column"] as? Int == 3)
            }
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body("")) { response in
                #expect(response.status == .unprocessableContent)
            }
            let entity = #"{"record": "entity", "id": "x", "kind": "company"}"#
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(entity)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problemFields == ["record"])
            }
            #expect(server.head == 0)
        }
    }

    @Test("a body over the configured limit is a 413")
    func bodyLimit() async throws {
        var configuration = ServerConfiguration()
        configuration.maxBodyBytes = 1024
        let server = try TestServer(configuration: configuration)
        try await server.test { client in
            let big = "{\"contact\": \"" + String(repeating: "x", count: 2000) + "\"}"
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(big)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.object["type"] as? String == "urn:optgate:problem:too-large", "\(response.headers) \(response.text)")
            }
        }
    }

    @Test("a contact is created, then updated, then unchanged")
    func contacts() async throws {
        let server = try TestServer()
        try await server.test { client in
            let profile = #"{"id": "c-9", "email": "zoe@example.com", "jurisdiction": "IE"}"#
            try await client.execute(uri: "/v1/contacts", method: .post, headers: auth(server.tokens[.eventsWrite]), body: body(profile)) { response in
                #expect(response.status == .created)
                #expect(response.object["status"] as? String == "created")
            }
            let phone = #"{"id": "c-9", "phone": "+353851234567"}"#
            try await client.execute(uri: "/v1/contacts", method: .post, headers: auth(server.admin), body: body(phone)) { response in
                #expect(response.status == .created)
                #expect(response.object["status"] as? String == "appended")
            }
            try await client.execute(uri: "/v1/contacts", method: .post, headers: auth(server.admin), body: body(phone)) { response in
                #expect(response.status == .ok)
                #expect(response.object["status"] as? String == "unchanged")
                #expect(response.object["contact"] as? String == "c-9")
            }
            let taken = #"{"id": "c-10", "email": "ZOE@example.com"}"#
            try await client.execute(uri: "/v1/contacts", method: .post, headers: auth(server.admin), body: body(taken)) { response in
                #expect(response.status == .conflict)
                #expect(response.problemFields == ["email"])
            }
        }
    }
}

@Suite("Batch writes")
struct BatchTests {
    @Test("a JSON array batch is one transaction: one bad record rejects all, listing every problem by index")
    func allOrNothing() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            let head = server.head
            let batch = "[" + [
                Fixture.sale,
                #"{"contact": "c-1", "id": "x-1", "type": "opt_out", "at": "2026-11-02T00:00:00Z", "via": "nope"}"#,
                #"{"contact": "c-1", "id": "x-2", "type": "registered", "at": "2026-11-02T00:00:00Z"}"#,
            ].joined(separator: ",\n") + "]"
            try await client.execute(uri: "/v1/events/batch", method: .post, headers: auth(server.admin), body: body(batch)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problemFields == ["[1].via", "[2].type"])
            }
            #expect(server.head == head)
        }
    }

    @Test("a batch whose records are refused by the ledger (unknown contact on line 3) writes nothing")
    func ledgerRefusalRollsBack() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            let head = server.head
            let lines = [Fixture.sale, Fixture.optOut, Fixture.sale.replacingOccurrences(of: "c-1", with: "c-2").replacingOccurrences(of: "sale-1", with: "sale-2")]
            try await client.execute(uri: "/v1/events/batch", method: .post, headers: auth(server.admin, ndjson: true), body: body(lines.joined(separator: "\n"))) { response in
                #expect(response.status == .unprocessableContent)
                let error = (response.object["errors"] as? [[String: Any]])?.first
                #expect(error?["line"] as? Int == 3)
                #expect(error?["field"] as? String == "contact")
            }
            #expect(server.head == head)
        }
    }

    @Test("an NDJSON batch is recorded in order; counts and per-record results come back")
    func ndjson() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            let text = Fixture.sale + "\n\n" + Fixture.optOut + "\n" + Fixture.sale + "\n"
            try await client.execute(uri: "/v1/events/batch", method: .post, headers: auth(server.admin, ndjson: true), body: body(text)) { response in
                #expect(response.status == .created)
                #expect(response.object["appended"] as? Int == 2)
                #expect(response.object["duplicates"] as? Int == 1)
                #expect((response.object["results"] as? [Any])?.count == 3)
            }
        }
    }

    @Test("a batch stores its events exactly as one-event requests store them, personal data included")
    func batchStoresAsSingleRequests() async throws {
        let lines = [
            #"{"contact": "c-1", "id": "e-a", "type": "opt_out", "at": "2026-11-20T09:00:00Z", "channels": ["sms"], "via": "link", "evidence": {"collection_point": "footer", "ip": "203.0.113.77", "user_agent": "Mail/1.0"}}"#,
            #"{"contact": "c-1", "id": "e-b", "type": "gpc_signal", "at": "2026-11-21T09:00:00Z", "value": true, "evidence": {"user_agent": "Browser/2"}}"#,
            Fixture.sale,
        ]
        // The same events, once in one batch and once one request each, into two ledgers.
        var stored: [[String]] = []
        var evidence: [[EventEvidence?]] = []
        for batched in [true, false] {
            let server = try TestServer()
            try await server.test { client in
                try await Fixture.setUp(client, server)
                let requests = batched ? [lines.joined(separator: "\n")] : lines
                for text in requests {
                    try await client.execute(uri: batched ? "/v1/events/batch" : "/v1/events", method: .post,
                                             headers: auth(server.admin, ndjson: batched), body: body(text)) { response in
                        #expect(response.status == .created, "\(response.text)")
                    }
                }
            }
            let history = try server.ledger.history(contactID: "c-1")
            stored.append(history.entries.map { RecordCodec.encode($0.record).body })
            evidence.append(history.entries.compactMap { if case .event(_, _, let e) = $0.record { return e } else { return nil } })
            #expect(try server.ledger.verify().isValid)
        }
        #expect(stored[0] == stored[1])
        #expect(evidence[0] == evidence[1])
        #expect(evidence[0].first??.ip == "203.0.113.0", "the address is truncated on capture")
        #expect(evidence[0].first??.userAgent == "Mail/1.0")
        #expect(evidence[0].dropFirst().first??.userAgent == "Browser/2")
    }

    @Test("a batch beyond the record limit is a 413; organisation records need organisation:write")
    func limitsAndScopes() async throws {
        var configuration = ServerConfiguration()
        configuration.maxBatchRecords = 2
        let server = try TestServer(configuration: configuration)
        try await server.test { client in
            let three = "[" + Array(repeating: Fixture.sale, count: 3).joined(separator: ",") + "]"
            try await client.execute(uri: "/v1/events/batch", method: .post, headers: auth(server.admin), body: body(three)) { response in
                #expect(response.status == .contentTooLarge)
            }
            let entity = #"[{"record": "entity", "id": "x", "kind": "company"}]"#
            try await client.execute(uri: "/v1/events/batch", method: .post, headers: auth(server.tokens[.eventsWrite]), body: body(entity)) { response in
                #expect(response.status == .forbidden)
            }
            #expect(server.head == 0)
        }
    }
}
