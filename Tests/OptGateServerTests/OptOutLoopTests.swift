import Foundation
import Hummingbird
import HummingbirdTesting
import OptGateCore
import OptGateLedger
import Testing

@testable import OptGateServer

/// The opt-out loop over HTTP: links for a send, RFC 8058 one-click unsubscribe, the preference
/// centre, SMS replies. An opt-out binds for the very next decision (PECR reg 22(3)(d); UK GDPR
/// Art 21(3); CAN-SPAM and CASL allow 10 business days, OptGate takes none).
@Suite("Opt-out loop over the API")
struct OptOutLoopTests {
    /// Records the fixture and the sale, then asks for the links of an email from acme.
    func links(_ client: some TestClientProtocol, _ server: TestServer, channel: String = "email") async throws -> (unsubscribe: String, preferences: String) {
        try await Fixture.setUp(client, server)
        try await client.execute(uri: "/v1/events", method: .post, headers: auth(server.admin), body: body(Fixture.sale))
        let request = #"{"email": "ann@example.com", "from": "acme", "channel": "\#(channel)", "message_id": "spring-1"}"#
        return try await client.execute(uri: "/v1/links", method: .post, headers: auth(server.tokens[.decisionsRead]), body: body(request)) { response in
            #expect(response.status == .ok, "\(response.text)")
            let o = response.object
            let unsubscribe = try #require(o["unsubscribe_url"] as? String)
            let preferences = try #require(o["preferences_url"] as? String)
            return (String(unsubscribe.dropFirst("http://127.0.0.1:8080".count)), String(preferences.dropFirst("http://127.0.0.1:8080".count)))
        }
    }

    func decide(_ client: some TestClientProtocol, _ server: TestServer, channel: String = "email") async throws -> [String: Any] {
        let request = #"{"contact": "c-1", "message": {"from": "acme", "channel": "\#(channel)", "purpose": "marketing", "products": ["socks"]}}"#
        return try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(server.admin), body: body(request)) { $0.object }
    }

    static let oneClick: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test("RFC 8058 §3.1: the links API gives one HTTPS-able List-Unsubscribe URI and List-Unsubscribe-Post; the URL shows no personal data")
    func linksForASend() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            let request = #"{"contact": "c-1", "from": "acme", "channel": "email", "message_id": "spring-1"}"#
            try await client.execute(uri: "/v1/links", method: .post, headers: auth(server.tokens[.decisionsRead]), body: body(request)) { response in
                #expect(response.status == .ok)
                let o = response.object
                let headers = try #require(o["headers"] as? [String: String])
                let url = try #require(o["unsubscribe_url"] as? String)
                #expect(headers["List-Unsubscribe"] == "<\(url)>")
                #expect(headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
                #expect(url.hasPrefix("http://127.0.0.1:8080/u/"))
                #expect((o["preferences_url"] as? String)?.hasPrefix("http://127.0.0.1:8080/p/") == true)
                #expect(o["warning"] != nil)   // not https: mailbox providers would refuse it
                for personal in ["c-1", "ann", "acme", "spring"] { #expect(!url.dropFirst(30).contains(personal)) }
                #expect(o["expires_at"] as? String == "2027-12-29T00:00:00Z")
            }
            try await client.execute(uri: "/v1/links", method: .post, headers: auth(server.tokens[.eventsWrite]), body: body(request)) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/links", method: .post, headers: auth(nil), body: body(request)) { response in
                #expect(response.status == .unauthorized)
            }
            let bad = #"{"contact": "c-1", "from": "nobody", "channel": "pigeon", "extra": 1}"#
            try await client.execute(uri: "/v1/links", method: .post, headers: auth(server.admin), body: body(bad)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(Set(response.problemFields) == ["from", "channel", "extra"])
            }
            try await client.execute(uri: "/v1/links", method: .post, headers: auth(server.admin),
                                     body: body(#"{"contact": "c-404", "from": "acme", "channel": "email"}"#)) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("One-click: the POST records the opt-out before answering, 200 without redirect; the very next decision is denied; repeats are harmless")
    func oneClick() async throws {
        let server = try TestServer()
        try await server.test { client in
            let (unsubscribe, _) = try await links(client, server)
            #expect(try await decide(client, server)["allowed"] as? Bool == true)
            let before = server.head
            try await client.execute(uri: unsubscribe, method: .post, headers: Self.oneClick, body: body("List-Unsubscribe=One-Click")) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.location] == nil)
            }
            #expect(server.head == before + 1)
            let denied = try await decide(client, server)
            #expect(denied["allowed"] as? Bool == false)
            #expect((denied["reasons"] as? [[String: Any]])?.contains { $0["code"] as? String == "opt_out.objection" } == true)
            // Texts are another channel: the email unsubscribe leaves them.
            #expect(try await decide(client, server, channel: "sms")["allowed"] as? Bool == true)
            // RFC 8058 §3.2 multipart form, and a second click: stored once.
            var multipart = HTTPFields()
            multipart[.contentType] = "multipart/form-data; boundary=XyZ"
            let form = "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--XyZ--\r\n"
            try await client.execute(uri: unsubscribe, method: .post, headers: multipart, body: body(form)) { response in
                #expect(response.status == .ok)
            }
            #expect(server.head == before + 1)
            let history = try server.ledger.history(contactID: "c-1")
            let recorded = try #require(history.events.last)
            guard case .optOut(let optOut) = recorded.kind else { Issue.record("not an opt-out"); return }
            #expect(optOut == OptOut(channels: [.email], entity: "acme", via: .oneClick))
        }
    }

    @Test("A GET (what link scanners do) changes nothing and shows a confirmation page with a button")
    func scannerGet() async throws {
        let server = try TestServer()
        try await server.test { client in
            let (unsubscribe, _) = try await links(client, server)
            let before = server.head
            try await client.execute(uri: unsubscribe, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.text.contains("<button type=\"submit\" class=\"primary\">Unsubscribe</button>"))
                #expect(response.text.contains("name=\"List-Unsubscribe\" value=\"One-Click\""))
            }
            #expect(server.head == before)
            #expect(try await decide(client, server)["allowed"] as? Bool == true)
            // The page's button posts the same body and gets a page back.
            try await client.execute(uri: unsubscribe, method: .post, headers: Self.oneClick,
                                     body: body("List-Unsubscribe=One-Click&source=page")) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("You are unsubscribed"))
            }
            #expect(try await decide(client, server)["allowed"] as? Bool == false)
        }
    }

    @Test("A forged, truncated, altered or re-signed link gets the same 404 as an unknown one, and records nothing")
    func forgedLinks() async throws {
        let server = try TestServer()
        try await server.test { client in
            let (unsubscribe, _) = try await links(client, server)
            let token = String(unsubscribe.dropFirst(3))
            let reference = try await client.execute(uri: "/u/unknown", method: .get) { ($0.status, $0.text) }
            #expect(reference.0 == .notFound)
            var altered = Array(token)
            altered[10] = altered[10] == "A" ? "B" : "A"
            let foreignSecret = LedgerSecret(bytes: Array(repeating: 8, count: 32))
            let foreignKey = try LinkKey.generate(id: 1, at: TestServer.now, secret: foreignSecret)
            let resigned = try LinkSealer(keys: [foreignKey], secret: foreignSecret, validityDays: 400)
                .seal(LinkToken(contactID: "c-1", entity: "acme", channel: .email, issuedAt: TestServer.now))
            let before = server.head
            for bad in [String(token.dropLast(5)), String(altered), resigned, token + "x", "x" + token] {
                for method in [HTTPRequest.Method.get, .post] {
                    let answer = try await client.execute(uri: "/u/\(bad)", method: method, headers: Self.oneClick,
                                                          body: body("List-Unsubscribe=One-Click")) { ($0.status, $0.text) }
                    #expect(answer.0 == reference.0 && answer.1 == reference.1, "\(method) \(bad)")
                }
                let page = try await client.execute(uri: "/p/\(bad)", method: .get) { ($0.status, $0.text) }
                #expect(page.0 == reference.0 && page.1 == reference.1)
            }
            #expect(server.head == before)
        }
    }

    @Test("A POST without List-Unsubscribe=One-Click is refused and records nothing")
    func oneClickBodyRequired() async throws {
        let server = try TestServer()
        try await server.test { client in
            let (unsubscribe, _) = try await links(client, server)
            let before = server.head
            try await client.execute(uri: unsubscribe, method: .post, headers: Self.oneClick, body: body("unsubscribe=yes")) { response in
                #expect(response.status == .badRequest)
            }
            #expect(server.head == before)
        }
    }

    func csrf(_ page: String) -> String? {
        guard let range = page.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    @Test("Preference centre: opt down (texts off, a pause, fewer messages, with a reason), then out of everything; each choice a ledger event with evidence")
    func preferenceCentre() async throws {
        let server = try TestServer()
        try await server.test { client in
            let (_, preferences) = try await links(client, server)
            let page = try await client.execute(uri: preferences, method: .get) { response in
                #expect(response.status == .ok)
                return response.text
            }
            #expect(page.contains("id=\"channel-email\" name=\"channel\" value=\"email\" checked"))
            #expect(page.contains("id=\"channel-sms\" name=\"channel\" value=\"sms\" checked"))
            #expect(page.contains("<label for=\"channel-sms\">Text messages</label>"))
            let token = try #require(csrf(page))
            let before = server.head
            let form = "csrf=\(token)&channel=email&category=boots&category=socks&frequency=4&pause=0&reason=too_many&action=save"
            try await client.execute(uri: preferences, method: .post, headers: Self.oneClick, body: body(form)) { response in
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.text.contains("No more marketing by text message from acme."))
                #expect(response.text.contains("At most 4 messages a month from acme."))
            }
            #expect(server.head == before + 2)
            #expect(try await decide(client, server, channel: "sms")["allowed"] as? Bool == false)
            #expect(try await decide(client, server)["allowed"] as? Bool == true)
            let history = try server.ledger.history(contactID: "c-1")
            guard case .event(_, _, let evidence) = history.entries.last!.record else { Issue.record("no event"); return }
            #expect(evidence?.reason == "too_many")
            #expect(evidence?.collectionPoint == "preference centre, link in message spring-1")

            let again = try await client.execute(uri: preferences, method: .get) { $0.text }
            #expect(!again.contains("value=\"sms\" checked"))
            #expect(again.contains("<option value=\"4\" selected>"))
            let out = "csrf=\(try #require(csrf(again)))&channel=email&frequency=4&pause=0&action=everything"
            try await client.execute(uri: preferences, method: .post, headers: Self.oneClick, body: body(out)) { response in
                #expect(response.text.contains("You are unsubscribed from all marketing."))
            }
            #expect(try await decide(client, server)["allowed"] as? Bool == false)
        }
    }

    @Test("Preference centre: a post without the page's CSRF field, or from another site, changes nothing; an unoffered value is a 400")
    func preferenceCentreForgery() async throws {
        let server = try TestServer()
        try await server.test { client in
            let (_, preferences) = try await links(client, server)
            let token = try #require(csrf(try await client.execute(uri: preferences, method: .get) { $0.text }))
            let before = server.head
            try await client.execute(uri: preferences, method: .post, headers: Self.oneClick, body: body("action=everything")) { response in
                #expect(response.status == .forbidden)
            }
            var crossSite = Self.oneClick
            crossSite[.init("Sec-Fetch-Site")!] = "cross-site"
            try await client.execute(uri: preferences, method: .post, headers: crossSite, body: body("csrf=\(token)&action=everything")) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: preferences, method: .post, headers: Self.oneClick, body: body("csrf=\(token)&channel=pigeon&action=save")) { response in
                #expect(response.status == .badRequest)
            }
            #expect(server.head == before)
        }
    }

    @Test("GPC spec: a Sec-GPC: 1 request is recorded as a GPC signal, once a day; other values are ignored")
    func globalPrivacyControl() async throws {
        let server = try TestServer()
        try await server.test { client in
            let (_, preferences) = try await links(client, server)
            let before = server.head
            try await client.execute(uri: preferences, method: .get, headers: [.init("Sec-GPC")!: "0"]) { _ in }
            #expect(server.head == before)
            try await client.execute(uri: preferences, method: .get, headers: [.init("Sec-GPC")!: "1"]) { _ in }
            try await client.execute(uri: preferences, method: .get, headers: [.init("Sec-GPC")!: "1"]) { _ in }
            #expect(server.head == before + 1)
            let last = try server.ledger.history(contactID: "c-1").events.last
            #expect(last?.kind == .gpcSignal(true))
            try await client.execute(uri: "/.well-known/gpc.json", method: .get) { response in
                #expect(response.object["gpc"] as? Bool == true)
            }
        }
    }

    @Test("47 CFR 64.1200(a)(10): SMS STOP (any case, spaces) opts out of texts at once; START is noted and re-permits nothing; CANCEL in a sentence is noted for review")
    func smsReplies() async throws {
        let server = try TestServer()
        try await server.test { client in
            _ = try await links(client, server)
            #expect(try await decide(client, server, channel: "sms")["allowed"] as? Bool == true)
            let stop = #"{"from": "+447700900123", "body": "  stop ", "id": "SM1", "entity": "acme"}"#
            try await client.execute(uri: "/v1/sms/inbound", method: .post, headers: auth(server.tokens[.eventsWrite]), body: body(stop)) { response in
                #expect(response.status == .ok)
                #expect(response.object["action"] as? String == "opted_out")
                #expect((response.object["reply"] as? String)?.contains("unsubscribed") == true)
            }
            #expect(try await decide(client, server, channel: "sms")["allowed"] as? Bool == false)
            #expect(try await decide(client, server)["allowed"] as? Bool == true)
            let head = server.head
            // The provider retries the same message: recorded once.
            try await client.execute(uri: "/v1/sms/inbound", method: .post, headers: auth(server.admin), body: body(stop)) { _ in }
            #expect(server.head == head)
            var form = HTTPFields()
            form[.authorization] = "Bearer \(server.admin)"
            form[.contentType] = "application/x-www-form-urlencoded"
            try await client.execute(uri: "/v1/sms/inbound", method: .post, headers: form,
                                     body: body("From=%2B447700900123&Body=START&MessageSid=SM2")) { response in
                #expect(response.object["action"] as? String == "start_noted")
            }
            #expect(server.head == head + 1)
            #expect(try await decide(client, server, channel: "sms")["allowed"] as? Bool == false)
            try await client.execute(uri: "/v1/sms/inbound", method: .post, headers: auth(server.admin),
                                     body: body(#"{"from": "+447700900123", "body": "what time do you open?"}"#)) { response in
                #expect(response.object["action"] as? String == "none")
                #expect(response.object["reply"] == nil)
            }
            #expect(server.head == head + 1)
            // A word with other meanings in a sentence: noted for a person to read, once per provider
            // message, changing no decision by itself.
            let ambiguous = #"{"from": "+447700900123", "body": "Cancel my order please", "id": "SM3", "entity": "acme"}"#
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/sms/inbound", method: .post, headers: auth(server.admin), body: body(ambiguous)) { response in
                    #expect(response.status == .ok)
                    #expect(response.object["action"] as? String == "review")
                    #expect(response.object["contact"] as? String == "c-1")
                    #expect(response.object["reply"] == nil)
                }
            }
            #expect(server.head == head + 2)
            let notes = try server.ledger.history(contactID: "c-1").entries.compactMap { entry -> String? in
                if case .note(let note) = entry.record { return note.text } else { return nil }
            }
            #expect(notes == ["sms_start", "sms_review"])
            #expect(String(decoding: server.services.metrics.exposition(), as: UTF8.self).contains("optgate_sms_reviews_total 1"))
        }
    }

    @Test("47 CFR 64.1200(a)(10), worked case WX-US-02: \"please stop texting me\" revokes consent to texts like STOP, from the entity named, once per provider message")
    func smsSentenceRevokes() async throws {
        let server = try TestServer()
        try await server.test { client in
            _ = try await links(client, server)
            #expect(try await decide(client, server, channel: "sms")["allowed"] as? Bool == true)
            let head = server.head
            let sentence = #"{"from": "+447700900123", "body": "Please stop texting me about boots", "id": "SM9", "entity": "acme"}"#
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/sms/inbound", method: .post, headers: auth(server.admin), body: body(sentence)) { response in
                    #expect(response.status == .ok)
                    #expect(response.object["action"] as? String == "opted_out")
                    #expect(response.object["contact"] as? String == "c-1")
                    #expect((response.object["reply"] as? String)?.contains("unsubscribed") == true)
                }
            }
            #expect(server.head == head + 1)
            #expect(try await decide(client, server, channel: "sms")["allowed"] as? Bool == false)
            #expect(try await decide(client, server)["allowed"] as? Bool == true)
            let events = try server.ledger.history(contactID: "c-1").entries.compactMap { entry -> (Event, EventEvidence?)? in
                if case .event(_, let event, let evidence) = entry.record { return (event, evidence) } else { return nil }
            }
            let last = try #require(events.last)
            #expect(last.0.id == "sms-SM9")
            guard case .optOut(let optOut) = last.0.kind else { Issue.record("not an opt-out: \(last.0.kind)"); return }
            #expect(optOut.channels == [.sms] && optOut.entity == "acme" && optOut.via == .smsStop)
            #expect(last.1?.collectionPoint == "SMS reply (an opt-out word in a sentence)")
            #expect(String(decoding: server.services.metrics.exposition(), as: UTF8.self).contains("optgate_sms_reviews_total 0"))
        }
    }

    @Test("SMS STOP from an unknown number creates a contact so that a later import of the number stays opted out; bad input is named")
    func smsUnknownNumber() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await Fixture.setUp(client, server)
            try await client.execute(uri: "/v1/sms/inbound", method: .post, headers: auth(server.admin),
                                     body: body(#"{"from": "+447700900999", "body": "STOPALL"}"#)) { response in
                #expect(response.object["action"] as? String == "opted_out")
                let contact = try #require(response.object["contact"] as? String)
                #expect(contact.hasPrefix("sms-") && !contact.contains("7700900999"))
            }
            let id = try #require(try server.ledger.contactID(for: try Identifier.phone("+447700900999")))
            #expect(try server.ledger.history(contactID: id).events.count == 1)
            try await client.execute(uri: "/v1/sms/inbound", method: .post, headers: auth(server.admin),
                                     body: body(#"{"from": "07700", "body": "STOP"}"#)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.problemFields == ["from"])
            }
            try await client.execute(uri: "/v1/sms/inbound", method: .post, headers: auth(server.tokens[.decisionsRead]),
                                     body: body(#"{"from": "+447700900999", "body": "STOP"}"#)) { response in
                #expect(response.status == .forbidden)
            }
        }
    }
}
