import Foundation
import Hummingbird
import HummingbirdTesting
import OptGateCore
import OptGateLedger
import Testing

@testable import OptGateServer

@Suite("Decisions over the API")
struct DecisionRoutesTests {
    @Test("after a sale, marketing of a similar product by email is allowed on the soft opt-in (PECR reg 22(3)), with its requirements")
    func softOptIn() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.tokens[.decisionsRead]), body: body(Fixture.decision())) { response in
                #expect(response.status == .ok)
                let o = response.object
                #expect(o["allowed"] as? Bool == true)
                #expect(o["basis"] as? String == "soft_opt_in")
                #expect(o["contact"] as? String == "c-1")
                #expect(o["at"] as? String == "2026-11-23T12:00:00Z")
                #expect((o["requirements"] as? [String])?.contains("include_opt_out") == true)
                #expect((o["rules"] as? String)?.hasPrefix("GB/PECR") == true)
                #expect(o["recorded_seq"] == nil)
            }
        }
    }

    @Test("an opt-out binds for the very next decision: no lag (PECR reg 22(3)(d), GDPR Art 21(3))")
    func optOutBindsAtOnce() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.optOut)) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(Fixture.decision())) { response in
                #expect(response.object["allowed"] as? Bool == false)
                let codes = (response.object["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
                #expect(codes.contains { $0.hasPrefix("opt_out") })
            }
        }
    }

    @Test("a contact named by email or phone is found; an unknown one is a 404 telling not to send")
    func lookupByIdentifier() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            let byEmail = Fixture.decision().replacingOccurrences(of: #""contact": "c-1""#, with: #""email": " ANN@example.COM ""#)
            try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(byEmail)) { response in
                #expect(response.status == .ok)
                #expect(response.object["contact"] as? String == "c-1")
            }
            let byPhone = Fixture.decision().replacingOccurrences(of: #""contact": "c-1""#, with: #""phone": "+44 7700 900123""#)
            try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(byPhone)) { response in
                #expect(response.object["contact"] as? String == "c-1")
            }
            let unknown = Fixture.decision().replacingOccurrences(of: #""contact": "c-1""#, with: #""email": "nobody@example.com""#)
            try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(unknown)) { response in
                #expect(response.status == .notFound)
                #expect((response.object["detail"] as? String)?.contains("do not send") == true)
                #expect(!response.text.contains("nobody@example.com"))
            }
            try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(Fixture.decision().replacingOccurrences(of: "c-1", with: "c-404"))) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("a decision for a send (message_id) is recorded in the ledger once; asking again returns the recorded one")
    func decisionLog() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            let ask = Fixture.decision(#", "message_id": "campaign-7/c-1""#)
            let first = try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(ask)) { $0.object }
            #expect(first["allowed"] as? Bool == true)
            let seq = try #require(first["recorded_seq"] as? Int)
            #expect(Int64(seq) == server.head)
            // Later the person opts out; the send's recorded decision stays what it was.
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.optOut))
            let again = try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(ask)) { $0.object }
            #expect(again["recorded_seq"] as? Int == seq)
            #expect(again["allowed"] as? Bool == true)
            #expect(again["basis"] as? String == "soft_opt_in")
            // The ledger holds it as evidence, with the message and the rule set.
            let history = try server.ledger.history(contactID: "c-1")
            let recorded = history.entries.compactMap { entry -> DecisionRecord? in
                if case .decision(let d) = entry.record { return d } else { return nil }
            }
            #expect(recorded.count == 1)
            #expect(recorded.first?.messageID == "campaign-7/c-1")
            #expect(recorded.first?.message.products == ["socks"])
            #expect(recorded.first?.evidence == ["sale-1"])
            #expect(try server.ledger.verify().isValid)
        }
    }

    @Test("a recorded decision cannot be back-dated; unknown fields, entities and channels are named")
    func invalidRequests() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            let backdated = Fixture.decision(#", "message_id": "m-1", "at": "2026-01-01T00:00:00Z""#)
            try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(backdated)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problemFields == ["at"])
            }
            let bad = #"{"contact": "c-1", "email": "a@b.c", "message": {"from": "acne", "channel": "emial", "purpose": "marketing"}, "colour": 1}"#
            try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(bad)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(Set(response.problemFields) == ["contact", "message.from", "message.channel", "colour"])
            }
            #expect(server.head == 6)
        }
    }

    @Test("at= replays a past moment: before the sale there was no ground")
    func replay() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            let before = Fixture.decision(#", "at": "2026-10-31T00:00:00Z""#)
            try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(before)) { response in
                #expect(response.object["allowed"] as? Bool == false)
                #expect(response.object["at"] as? String == "2026-10-31T00:00:00Z")
            }
        }
    }
}

@Suite("Decision batches")
struct DecisionBatchTests {
    @Test("NDJSON in, NDJSON out: one line per request, in order, errors on their own line, sends recorded")
    func stream() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            let head = server.head
            let lines = [
                Fixture.decision(),
                "{not json",
                Fixture.decision().replacingOccurrences(of: "c-1", with: "c-404"),
                "",
                Fixture.decision(#", "message_id": "m-1""#),
                Fixture.decision().replacingOccurrences(of: "\"email\"", with: "\"sms\""),
            ]
            let text = lines.joined(separator: "\n")
            let out = try await client.execute(uri: "/v1/decisions/batch", method: .post, headers: auth(server.admin, ndjson: true), body: body(text)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/x-ndjson")
                return response.text
            }
            let results = out.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            #expect(results.map { $0["line"] as? Int } == [1, 2, 3, 5, 6])
            #expect(results[0]["allowed"] as? Bool == true)
            #expect((results[1]["error"] as? [String: Any])?["status"] as? Int == 422)
            #expect((results[2]["error"] as? [String: Any])?["status"] as? Int == 404)
            #expect(results[3]["recorded_seq"] as? Int == Int(head + 1))
            #expect(results[4]["allowed"] as? Bool == true)
            #expect(server.head == head + 1)
        }
    }

    @Test("a batch of more lines than allowed stops with an error line after the allowed ones")
    func limit() async throws {
        var configuration = ServerConfiguration()
        configuration.maxBatchDecisions = 2
        let server = try TestServer(configuration: configuration)
        try await server.test { client in
            try await Fixture.setUp(client, server)
            let text = Array(repeating: Fixture.decision(), count: 3).joined(separator: "\n")
            let out = try await client.execute(uri: "/v1/decisions/batch", method: .post, headers: auth(server.admin, ndjson: true), body: body(text)) { $0.text }
            let lines = out.split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines[2].contains("too-large"))
        }
    }
}
