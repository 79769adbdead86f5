import Foundation
import Fuzzing
import Hummingbird
import HummingbirdTesting
import OptGateCore
import OptGateLedger
import Testing

@testable import OptGateServer

/// Mutated request bodies, forms, links and query values against every route that reads input.
/// Whatever arrives, the server answers: never a 5xx, a refusal of an API request is problem
/// details naming its status, a refused write records nothing, and the chain verifies afterwards.
/// The decision request's direct reader reads a mutant exactly as the full reader does, or leaves
/// it to the full reader.
///
/// Mutants are deterministic (`InputMutator`): a failure prints the seed and index that rebuild it.
@Suite("Fuzzing: the API's input")
struct APIFuzzTests {
    /// A route that reads input, with valid inputs to mutate.
    struct Target: Sendable {
        var path: String
        var contentType: String
        var inputs: [String]
        /// Whether an accepted request may append to the ledger.
        var writes: Bool
        /// Whether the route streams its answer as NDJSON, one line per input line, and reports a
        /// bad line in its place instead of refusing the request.
        var streams = false
    }

    static let json = "application/json"
    static let ndjson = "application/x-ndjson"
    static let form = "application/x-www-form-urlencoded"

    static let decisions = [
        Fixture.decision(), Fixture.decision(#", "at": "2026-11-01T10:00:00Z", "message_id": "m-1""#),
        #"{"email": "Ann@Example.com", "message": {"from": "acme", "channel": "sms", "purpose": "marketing", "includes_opt_out": true, "identifies_sender": true}}"#,
        #"{"phone": "+447700900123", "message": {"from": "helping-hands", "channel": "email", "purpose": "fundraising", "on_behalf_of": "acme"}}"#,
    ]

    static let targets: [Target] = [
        Target(path: "/v1/events", contentType: json, inputs: [
            Fixture.sale, Fixture.optOut,
            #"{"contact": "c-1", "id": "c-9", "type": "consent_given", "at": "2026-11-02T10:00:00Z", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"], "method": "unticked_box", "notice_version": "v1", "evidence": {"collection_point": "form", "ip": "203.0.113.9", "user_agent": "Mozilla/5.0"}}"#,
            #"{"phone": "+447700900123", "id": "tps-1", "type": "register_listed", "at": "2026-11-03T00:00:00Z", "register": "tps"}"#,
        ], writes: true),
        Target(path: "/v1/events/batch", contentType: ndjson, inputs: [Fixture.organisation.replacingOccurrences(of: "\n  ", with: "\n")
            .replacingOccurrences(of: "[\n", with: "").replacingOccurrences(of: "\n]", with: "").replacingOccurrences(of: "},\n", with: "}\n"),
            Fixture.sale + "\n" + Fixture.optOut + "\n"], writes: true),
        Target(path: "/v1/contacts", contentType: json, inputs: [
            #"{"id": "c-7", "email": "Cora@Example.com", "phone": "07700 900456", "jurisdiction": "IE", "subscriber": "sole_trader"}"#,
        ], writes: true),
        Target(path: "/v1/decisions", contentType: json, inputs: decisions, writes: true),
        Target(path: "/v1/decisions/batch", contentType: ndjson, inputs: [decisions.joined(separator: "\n")], writes: false, streams: true),
        Target(path: "/v1/contacts/lookup", contentType: json, inputs: [#"{"email": "ann@example.com"}"#, #"{"phone": "+447700900123"}"#], writes: false),
        Target(path: "/v1/campaigns/check", contentType: ndjson, inputs: [
            [CampaignRoutesTests.header, #"{"email": "Ann@Example.com"}"#, #"{"phone": "07700 900123"}"#, #"{"contact": "c-1"}"#].joined(separator: "\n"),
        ], writes: true, streams: true),
        Target(path: "/v1/links", contentType: json, inputs: [#"{"email": "ann@example.com", "from": "acme", "channel": "email", "message_id": "spring-1"}"#], writes: false),
        Target(path: "/v1/entities", contentType: json, inputs: [#"{"id": "acme-travel", "kind": "company", "group": "acme-group", "name": "Acme Travel"}"#], writes: true),
        Target(path: "/v1/catalogue", contentType: json, inputs: [#"{"id": "laces", "similar_to": ["boots", "socks"], "reasoning": "tie boots"}"#], writes: true),
        Target(path: "/v1/policy", contentType: json, inputs: [#"{"uk_soft_opt_in_months": 18}"#], writes: true),
        Target(path: "/v1/notices", contentType: json, inputs: [#"{"version": "v2", "text": "Tick to hear about offers by text."}"#], writes: true),
        Target(path: "/v1/sms/inbound", contentType: json, inputs: [#"{"from": "+447700900123", "body": "  stop ", "id": "SM1", "entity": "acme"}"#], writes: true),
        Target(path: "/v1/sms/inbound", contentType: form, inputs: ["From=%2B447700900123&Body=START&MessageSid=SM2"], writes: true),
    ]

    @Test("no input makes an API route fail with a 5xx; refusals are problem details; a refused write records nothing")
    func apiRoutes() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale)) { _ in }
            for target in Self.targets {
                var accepted = 0, refused = 0
                for mutant in InputMutator(inputs: target.inputs).mutants(250) {
                    let head = server.head
                    var headers = auth(server.admin)
                    headers[.contentType] = target.contentType
                    let (status, contentType, text) = try await client.execute(
                        uri: target.path, method: .post, headers: headers, body: ByteBuffer(bytes: mutant.bytes)
                    ) { ($0.status, $0.headers[.contentType], $0.text) }
                    #expect(status.code < 500, "\(target.path) answered \(status.code) \(text) to \(mutant)")
                    if target.streams, status == .ok {
                        // Every answer line is JSON: a result, or the problem of its input line.
                        var answered = false
                        for line in text.split(separator: "\n") {
                            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                                Issue.record("\(target.path) streamed a line that is not a JSON object: \(line) for \(mutant)")
                                continue
                            }
                            if let problem = object["error"] as? [String: Any] {
                                #expect((problem["status"] as? Int).map { $0 >= 400 && $0 < 500 } == true, "\(line) for \(mutant)")
                            } else {
                                answered = true
                            }
                        }
                        if answered { accepted += 1 } else { refused += 1 }
                    } else if status.code >= 400 {
                        refused += 1
                        Self.expectProblem(status: status, contentType: contentType, text: text, "\(target.path): \(mutant)")
                        if target.writes { #expect(server.head == head, "\(target.path) refused with \(status.code) but recorded: \(mutant)") }
                    } else {
                        accepted += 1
                    }
                }
                // Both outcomes occur for every route, or its mutants test too little.
                #expect(accepted > 0 && refused > 20, "\(target.path): \(accepted) accepted, \(refused) refused")
            }
            #expect(try server.ledger.verify().isValid)
        }
    }

    @Test("mutated one-click posts, preference forms and links get an answer below 500 and change nothing when refused")
    func optOutRoutes() async throws {
        let server = try TestServer()
        try await server.test { client in
            let loop = OptOutLoopTests()
            let (unsubscribe, preferences) = try await loop.links(client, server)
            let csrf = try #require(loop.csrf(try await client.execute(uri: preferences, method: .get) { $0.text }))
            let forms = [
                "csrf=\(csrf)&channel=email&category=boots&category=socks&frequency=4&pause=0&reason=too_many&action=save",
                "csrf=\(csrf)&action=everything", "List-Unsubscribe=One-Click",
            ]
            var answered: [Int: Int] = [:]
            for mutant in InputMutator(inputs: forms).mutants(400) {
                for path in [unsubscribe, preferences] {
                    let head = server.head
                    let status = try await client.execute(uri: path, method: .post, headers: [.contentType: Self.form], body: ByteBuffer(bytes: mutant.bytes)) { $0.status }
                    #expect(status.code < 500, "\(path) answered \(status.code) to \(mutant)")
                    if status.code >= 400 { #expect(server.head == head, "refused with \(status.code) but recorded: \(mutant)") }
                    answered[status.code, default: 0] += 1
                }
            }
            #expect(answered.keys.contains { $0 >= 400 } && answered.keys.contains { $0 < 300 }, "\(answered)")
            // The links themselves mutated: the same 404 as an unknown link, nothing recorded.
            let head = server.head
            for mutant in InputMutator(inputs: [String(unsubscribe.dropFirst(3))]).mutants(300) {
                let token = mutant.text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                guard !token.isEmpty else { continue }
                for prefix in ["/u/", "/p/"] {
                    let status = try await client.execute(uri: prefix + token, method: .post, headers: [.contentType: Self.form], body: body("List-Unsubscribe=One-Click")) { $0.status }
                    #expect(status.code < 500, "\(prefix) answered \(status.code) to \(mutant)")
                }
            }
            // A mutant can still be the valid token (a mutation undone by another); nothing else records.
            #expect(server.head <= head + 1)
            #expect(try server.ledger.verify().isValid)
        }
    }

    @Test("mutated point-in-time queries answer below 500, refusals as problem details")
    func queries() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            for mutant in InputMutator(inputs: ["2026-11-01T10:00:00Z", "2026-11-01T10:00:00.25+01:00"]).mutants(300) {
                let at = mutant.text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                for path in ["/v1/contacts/c-1?at=\(at)", "/v1/contacts/c-1/history?at=\(at)", "/v1/contacts/c-1/evidence?at=\(at)"] {
                    let (status, contentType, text) = try await client.execute(uri: path, method: .get, headers: auth(server.admin)) {
                        ($0.status, $0.headers[.contentType], $0.text)
                    }
                    #expect(status.code < 500, "\(path) answered \(status.code) \(text) to \(mutant)")
                    if status.code >= 400 { Self.expectProblem(status: status, contentType: contentType, text: text, "\(path): \(mutant)") }
                }
            }
        }
    }

    @Test("mutated tokens, content types and path parameters get an answer below 500, refusals as problem details")
    func headersAndPaths() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            let head = server.head
            var statuses: [Int: Int] = [:]
            // A mutated token is another token: refused (401), unless a mutation gave the same one back.
            for mutant in InputMutator(inputs: ["Bearer \(server.admin)", "bearer \(server.admin)"]).mutants(300) {
                // (HTTP fields cannot carry some bytes: swift-http-types replaces those with spaces.)
                var headers: HTTPFields = [.contentType: Self.json]
                headers[.authorization] = mutant.text
                let (status, contentType, text) = try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: body(Fixture.optOut)) {
                    ($0.status, $0.headers[.contentType], $0.text)
                }
                #expect(status.code < 500, "\(status.code) \(text) for \(mutant)")
                if status.code >= 400 { Self.expectProblem(status: status, contentType: contentType, text: text, "\(mutant)") }
                statuses[status.code, default: 0] += 1
            }
            #expect(statuses[401, default: 0] > 200, "\(statuses)")
            #expect(server.head <= head + 1)
            for mutant in InputMutator(inputs: [Self.json, "application/json; charset=utf-8", Self.ndjson]).mutants(200) {
                var headers = auth(server.admin)
                headers[.contentType] = mutant.text
                let status = try await client.execute(uri: "/v1/decisions", method: .post, headers: headers, body: body(Fixture.decision())) { $0.status }
                #expect(status.code < 500, "\(status.code) for \(mutant)")
            }
            // Path parameters: contact ids, campaign ids and delivery keys of any shape.
            for mutant in InputMutator(inputs: ["c-1", "sale-1", "socks-2026", "acme:c-1:1"]).mutants(300) {
                let id = mutant.text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                guard !id.isEmpty else { continue }
                for (path, method) in [("/v1/contacts/\(id)", HTTPRequest.Method.get), ("/v1/contacts/\(id)/history", .get), ("/v1/contacts/\(id)/evidence", .get),
                                       ("/v1/contacts/\(id)/receipts", .get), ("/v1/campaigns/\(id)", .get), ("/v1/propagation/dead/\(id)/retry", .post)] {
                    let (status, contentType, text) = try await client.execute(uri: path, method: method, headers: auth(server.admin)) {
                        ($0.status, $0.headers[.contentType], $0.text)
                    }
                    #expect(status.code < 500, "\(method) \(path) answered \(status.code) \(text)")
                    if status.code >= 400 { Self.expectProblem(status: status, contentType: contentType, text: text, "\(method) \(path)") }
                    statuses[status.code, default: 0] += 1
                }
            }
            #expect(statuses[404, default: 0] > 500 && statuses[200, default: 0] > 0, "\(statuses)")
        }
    }

    @Test("a mutated decision request is read directly exactly as the full reader reads it, or left to it")
    func directDecisionRequests() async throws {
        let server = try TestServer()
        try await server.test { client in try await Fixture.setUp(client, server) }
        let routes = DecisionRoutes(services: server.services)
        let organisation = try server.services.organisation()
        // Bodies the direct reader takes, so that many mutants stay close to its shape.
        let inputs = (Self.decisions + (0..<2_000).map(DirectDecisionRequestTests.body)).filter {
            DirectDecisionRequest.read(Array($0.utf8), organisation: organisation) != nil
        }
        try #require(inputs.count > 20)
        var direct = 0
        let count = 20_000
        for mutant in InputMutator(inputs: inputs).mutants(count) {
            guard let fast = DirectDecisionRequest.read(mutant.bytes, organisation: organisation) else { continue }
            direct += 1
            #expect(fast == (try? routes.parse(try Request.json(mutant.bytes))), "\(mutant)")
        }
        #expect(direct * 50 > count * InputMutator.environmentScale, "only \(direct) mutants read directly")
    }

    static func expectProblem(status: HTTPResponse.Status, contentType: String?, text: String, _ comment: String) {
        #expect(contentType == "application/problem+json", "\(status.code) as \(contentType ?? "no type"): \(comment)")
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        #expect(object?["status"] as? Int == status.code, "\(text): \(comment)")
        #expect((object?["title"] as? String)?.isEmpty == false, "\(text): \(comment)")
    }
}
