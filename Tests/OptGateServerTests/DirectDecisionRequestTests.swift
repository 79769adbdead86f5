import Foundation
import Hummingbird
import HummingbirdTesting
import OptGateCore
import OptGateLedger
import Testing

@testable import OptGateServer

@Suite("Decision requests read straight from their bytes")
struct DirectDecisionRequestTests {
    /// Members of a request, valid and invalid, combined below into many bodies.
    static let contacts = [
        #""contact": "c-1""#, #""contact": """#, #""email": "Ann@Example.com""#, #""email": "not-an-email""#,
        #""phone": "+447700900123""#, #""phone": "07700""#, #""contact": 5"#, #""contact": "c\u002d1""#,
        #""contact": "c-1", "email": "ann@example.com""#, "",
    ]
    static let froms = [#""from": "acme""#, #""from": "helping-hands""#, #""from": "nobody""#, #""from": """#, ""]
    static let channels = [#""channel": "email""#, #""channel": "sms""#, #""channel": "fax""#, #""channel": ["email"]"#]
    static let purposes = [#""purpose": "marketing""#, #""purpose": "fundraising""#, #""purpose": "spam""#, ""]
    static let products = [
        "", #""products": []"#, #""products": ["socks"]"#, #""products": ["boots", "socks"]"#, #""products": ["nope"]"#,
        #""products": [""]"#, #""products": "socks""#,
    ]
    static let extras = [
        "", #""includes_opt_out": false"#, #""identifies_sender": true, "solicited": true"#, #""relevant_to_role": "yes""#,
        #""on_behalf_of": "helping-hands""#, #""on_behalf_of": "nobody""#, #""colour": "red""#, #""from": "acme""#,
    ]
    static let tails = [
        "", #""at": "2026-11-01T10:00:00Z""#, #""at": "yesterday""#, #""message_id": "m-1""#, #""message_id": """#,
        #""at": "2026-11-01T10:00:00Z", "message_id": "m-1""#, #""extra": 1"#, #""message": {}"#,
    ]

    /// The `index`-th body of the combinations (each list stepped at its own rate).
    static func body(_ index: Int) -> String {
        func pick(_ list: [String], _ stride: Int) -> String { list[(index / stride) % list.count] }
        let message = [pick(froms, 1), pick(channels, 5), pick(purposes, 20), pick(products, 80), pick(extras, 3)]
            .filter { !$0.isEmpty }.joined(separator: ", ")
        let members = [pick(contacts, 7), "\"message\": {\(message)}", pick(tails, 11)].filter { !$0.isEmpty }
        let spacing = index % 2 == 0 ? ", " : ",\n  "
        return "{" + members.joined(separator: spacing) + "}"
    }

    @Test("the direct reader reads a body exactly as the full reader does, or leaves it to the full reader")
    func agreesWithTheFullReader() async throws {
        let server = try TestServer()
        try await server.test { client in try await Fixture.setUp(client, server) }
        let routes = DecisionRoutes(services: server.services)
        let organisation = try server.services.organisation()
        var direct = 0, full = 0
        for index in 0..<20_000 {
            let text = Self.body(index)
            let bytes = Array(text.utf8)
            let fast = DirectDecisionRequest.read(bytes, organisation: organisation)
            let slow = try? routes.parse(try Request.json(bytes))
            if let fast {
                #expect(fast == slow, "\(text)")
                direct += 1
            }
            if slow != nil { full += 1 }
        }
        // Both kinds occur: bodies the direct reader takes, and valid bodies it leaves to the full reader.
        #expect(direct > 100)
        #expect(full > direct)
    }

    @Test("the usual requests are read directly; escapes, unknown members, duplicates and malformed text are not")
    func shapes() async throws {
        let server = try TestServer()
        try await server.test { client in try await Fixture.setUp(client, server) }
        let organisation = try server.services.organisation()
        func direct(_ text: String) -> DecisionRoutes.DecisionRequest? { DirectDecisionRequest.read(Array(text.utf8), organisation: organisation) }
        let read = try #require(direct(Fixture.decision()))
        #expect(read.contact == .id("c-1"))
        #expect(read.message == Message(from: "acme", channel: .email, purpose: .marketing, products: ["socks"]))
        #expect(direct(Fixture.decision(#", "message_id": "m-9""#))?.messageID == "m-9")
        #expect(direct(#"{"email": "Ann@Example.com", "message": {"from": "acme", "channel": "sms", "purpose": "marketing"}}"#)?.contact
            == .identifier(try Identifier.email("ann@example.com")))
        for text in [
            Fixture.decision(#", "colour": "red""#), Fixture.decision(#", "contact": "c-2""#),
            #"{"contact": "c\u002d1", "message": {"from": "acme", "channel": "email", "purpose": "marketing"}}"#,
            #"{"contact": "c-1", "message": {"from": "acme", "channel": "email"}}"#,
            String(Fixture.decision().dropLast()), Fixture.decision() + "x", "", "{}", "[]",
        ] {
            #expect(direct(text) == nil, "\(text)")
        }
    }
}
