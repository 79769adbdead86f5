import Foundation
import Hummingbird
import HummingbirdTesting
import OptGateCore
import OptGateLedger
import Testing

@testable import OptGateServer

/// The campaign check over the API: NDJSON in, one verdict per recipient out, in order, each the
/// single decision's; a summary line; the check recorded once per campaign id.
@Suite("Campaign check over the API")
struct CampaignRoutesTests {
    static let header = #"{"message": {"from": "acme", "channel": "email", "purpose": "marketing", "products": ["socks"]}, "campaign_id": "socks-2026", "record": true}"#

    func lines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test("verdicts in order, equal to single decisions; unknown, invalid and erased recipients excluded with reasons; summary; recorded once")
    func check() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            let audience = [Self.header, #"{"email": "Ann@Example.com"}"#, #"{"email": "nobody@example.com"}"#,
                            #"{"phone": "07700"}"#, #"{"contact": "c-1"}"#, #"{"contact": "c-404"}"#].joined(separator: "\n")
            let out = try await client.execute(uri: "/v1/campaigns/check", method: .post, headers: auth(server.tokens[.decisionsRead], ndjson: true),
                                               body: body(audience)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/x-ndjson")
                return lines(response.text)
            }
            #expect(out.count == 6)
            #expect(out.prefix(5).map { $0["line"] as? Int } == [2, 3, 4, 5, 6])
            let single = try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(Fixture.decision())) { $0.object }
            #expect(out[0]["send"] as? Bool == true && out[0]["basis"] as? String == single["basis"] as? String)
            #expect(out[0]["requirements"] as? [String] == single["requirements"] as? [String])
            let links = try #require(out[0]["links"] as? [String: String])
            #expect(links["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
            #expect(links["List-Unsubscribe"] == "<\(links["unsubscribe_url"]!)>")
            #expect(out[1]["reasons"] as? [String] == ["recipient.unknown"])
            #expect(out[2]["reasons"] as? [String] == ["recipient.invalid"] && out[2]["send"] as? Bool == false)
            #expect(out[3]["contact"] as? String == "c-1" && out[3]["send"] as? Bool == true)
            #expect(out[4]["reasons"] as? [String] == ["recipient.unknown"])
            let summary = try #require(out[5]["summary"] as? [String: Any])
            #expect(summary["recipients"] as? Int == 5 && summary["send"] as? Int == 2 && summary["excluded"] as? Int == 3)
            #expect(summary["by_basis"] as? [String: Int] == ["soft_opt_in": 2])
            let seq = try #require(summary["recorded_seq"] as? Int)

            // The same campaign again: not recorded twice.
            let again = try await client.execute(uri: "/v1/campaigns/check", method: .post, headers: auth(server.admin, ndjson: true),
                                                 body: body(audience)) { lines($0.text) }
            #expect((again.last?["summary"] as? [String: Any])?["already_recorded_seq"] as? Int == seq)
            try await client.execute(uri: "/v1/campaigns/socks-2026", method: .get, headers: auth(server.tokens[.evidenceRead])) { response in
                #expect(response.status == .ok)
                #expect(response.object["seq"] as? Int == seq && response.object["recipients"] as? Int == 5)
            }
            try await client.execute(uri: "/v1/campaigns/none", method: .get, headers: auth(server.admin)) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("an opt-out recorded just before the check excludes the recipient (no lag)")
    func optOutBinds() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.optOut))
            let audience = #"{"message": {"from": "acme", "channel": "email", "purpose": "marketing", "products": ["socks"]}}"# + "\n" + #"{"contact": "c-1"}"#
            let out = try await client.execute(uri: "/v1/campaigns/check", method: .post, headers: auth(server.admin, ndjson: true), body: body(audience)) {
                lines($0.text)
            }
            #expect(out[0]["send"] as? Bool == false && (out[0]["reasons"] as? [String])?.contains("opt_out.objection") == true)
            #expect((out[1]["summary"] as? [String: Any])?["recorded_seq"] == nil)
        }
    }

    @Test("a bad first line is an error line naming the field; keys and scopes are checked")
    func errors() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            let bad = #"{"message": {"from": "nobody", "channel": "email", "purpose": "marketing"}, "record": true}"# + "\n" + #"{"contact": "c-1"}"#
            let out = try await client.execute(uri: "/v1/campaigns/check", method: .post, headers: auth(server.admin, ndjson: true), body: body(bad)) {
                lines($0.text)
            }
            let error = try #require(out.last?["error"] as? [String: Any])
            let fields = (error["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields.contains("message.from") && fields.contains("record"))
            try await client.execute(uri: "/v1/campaigns/check", method: .post, headers: auth(nil, ndjson: true), body: body(bad)) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/campaigns/check", method: .post, headers: auth(server.tokens[.eventsWrite], ndjson: true), body: body(bad)) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/campaigns/x", method: .get, headers: auth(server.tokens[.decisionsRead])) { response in
                #expect(response.status == .forbidden)
            }
        }
    }
}
