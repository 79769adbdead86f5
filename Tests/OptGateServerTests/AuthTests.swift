import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import OptGateCore
import OptGateLedger
import Testing

@testable import OptGateServer

@Suite("Authentication, scopes and rate limits")
struct AuthTests {
    @Test("no key, a malformed key, a wrong secret and a revoked key all get the same 401 with WWW-Authenticate")
    func unauthenticated() async throws {
        let server = try TestServer()
        let (revoked, revokedToken) = APIKey.generate(name: "old", scopes: [.admin], ratePerSecond: nil, at: TestServer.now)
        try server.store.saveKey(revoked)
        #expect(try server.store.revokeKey(id: revoked.id, at: TestServer.now))
        let wrongSecret = String(server.admin.dropLast(4)) + "aaaa"
        try await server.test { client in
            for token in [nil, "not-a-token", "og_short_x", wrongSecret, revokedToken] as [String?] {
                try await client.execute(uri: "/v1/entities", method: .get, headers: auth(token)) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"optgate\"")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(response.object["type"] as? String == "urn:optgate:problem:unauthenticated")
                }
            }
        }
    }

    @Test("the bearer token is read without the spaces and tabs around it; other schemes and empty tokens are refused")
    func bearerToken() {
        #expect(AuthMiddleware.bearerToken("Bearer og_abc") == "og_abc")
        #expect(AuthMiddleware.bearerToken("Bearer  \tog_abc \t ") == "og_abc")
        #expect(AuthMiddleware.bearerToken("Bearer og_a b") == "og_a b")
        #expect(AuthMiddleware.bearerToken("Bearer ") == nil)
        #expect(AuthMiddleware.bearerToken("Bearer  \t ") == nil)
        #expect(AuthMiddleware.bearerToken("Basic og_abc") == nil)
        // RFC 9110 §11.1: the scheme is case-insensitive.
        #expect(AuthMiddleware.bearerToken("bearer og_abc") == "og_abc")
        #expect(AuthMiddleware.bearerToken("BEARER og_abc") == "og_abc")
        #expect(AuthMiddleware.bearerToken("bEaReR\tog_abc") == nil)
        #expect(AuthMiddleware.bearerToken("Bearerog_abc") == nil)
        #expect(AuthMiddleware.bearerToken("Bearer") == nil)
        #expect(AuthMiddleware.bearerToken("Bearex og_abc") == nil)
    }

    @Test("a request with two Authorization fields is refused (401), and one field is read as sent")
    func twoAuthorizationFields() async throws {
        let server = try TestServer()
        var fields = HTTPFields()
        fields.append(HTTPField(name: .authorization, value: "Bearer \(server.admin)"))
        #expect(AuthMiddleware.authorization(fields) == "Bearer \(server.admin)")
        fields.append(HTTPField(name: .authorization, value: "Bearer og_other"))
        #expect(AuthMiddleware.authorization(fields) == nil)
        #expect(AuthMiddleware.authorization(HTTPFields()) == nil)
        let twoFields = fields
        try await server.test { client in
            try await client.execute(uri: "/v1/contacts/lookup", method: .post, headers: twoFields, body: ByteBuffer(string: "{\"contact\":\"c-1\"}")) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test("each route needs its scope (403 naming it); admin holds every scope")
    func scopes() async throws {
        let server = try TestServer()
        let routes: [(String, HTTPRequest.Method, String, APIScope)] = [
            ("/v1/events", .post, Fixture.sale, .eventsWrite),
            ("/v1/events/batch", .post, "[]", .eventsWrite),
            ("/v1/contacts", .post, "{}", .eventsWrite),
            ("/v1/contacts/c-1", .get, "", .contactsRead),
            ("/v1/contacts/c-1/history", .get, "", .contactsRead),
            ("/v1/contacts/lookup", .post, "{}", .contactsRead),
            ("/v1/decisions", .post, Fixture.decision(), .decisionsRead),
            ("/v1/decisions/batch", .post, Fixture.decision(), .decisionsRead),
            ("/v1/entities", .post, "{}", .organisationWrite),
            ("/v1/catalogue", .post, "{}", .organisationWrite),
            ("/v1/policy", .post, "{}", .organisationWrite),
            ("/v1/notices", .post, "{}", .organisationWrite),
            ("/v1/audit/verify", .get, "", .evidenceRead),
            ("/v1/contacts/c-1/evidence", .get, "", .evidenceRead),
            ("/v1/contacts/c-1/receipts", .get, "", .evidenceRead),
            ("/v1/propagation", .get, "", .evidenceRead),
            ("/v1/propagation/deliveries", .get, "", .evidenceRead),
            ("/v1/propagation/dead/esp:1/retry", .post, "", .admin),
        ]
        try await server.test { client in
            for (uri, method, text, needed) in routes {
                for scope in APIScope.allCases where !needed.isGranted(by: [scope]) {
                    try await client.execute(uri: uri, method: method, headers: auth(server.tokens[scope]), body: body(text)) { response in
                        #expect(response.status == .forbidden, "\(uri) with \(scope.rawValue)")
                        #expect((response.object["detail"] as? String)?.contains(needed.rawValue) == true)
                    }
                }
                try await client.execute(uri: uri, method: method, headers: auth(server.tokens[needed]), body: body(text)) { response in
                    #expect(response.status != .forbidden && response.status != .unauthorized, "\(uri) with \(needed.rawValue)")
                }
            }
        }
    }

    @Test("a key over its rate gets 429 with Retry-After; other keys are not affected")
    func rateLimit() async throws {
        // The limiter's clock stands still, so the bucket does not refill however slowly the
        // requests run (the refill arithmetic is RateLimiterTests').
        let server = try TestServer(monotonicNow: { 1_000 })
        let (key, token) = APIKey.generate(name: "slow", scopes: [.admin], ratePerSecond: 1, at: TestServer.now)
        try server.store.saveKey(key)
        try await server.test { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<6 {
                statuses.append(try await client.execute(uri: "/v1/policy", method: .get, headers: auth(token)) { response in
                    if response.status == .tooManyRequests {
                        #expect(response.headers[.retryAfter] == "1")
                        #expect(response.object["type"] as? String == "urn:optgate:problem:rate-limited")
                    }
                    return response.status
                })
            }
            // A burst of twice the rate, then refusals.
            #expect(statuses == [.ok, .ok] + Array(repeating: .tooManyRequests, count: 4))
            try await client.execute(uri: "/v1/policy", method: .get, headers: auth(server.admin)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("tokens are unguessable and stored only as digests")
    func storage() throws {
        let server = try TestServer()
        let keys = try server.store.keys()
        for (_, token) in server.tokens {
            let (id, secret) = try #require(APIKey.parse(token: token))
            let key = try #require(keys.first { $0.id == id })
            #expect(key.secretDigest.count == 32)
            #expect(!key.secretDigest.elementsEqual(Data(secret.utf8)))
            #expect(key.accepts(secret: secret))
            #expect(!key.accepts(secret: String(secret.reversed())))
            #expect(secret.count == 40)   // 200 random bits
        }
        #expect(Set(server.tokens.values).count == server.tokens.count)
    }
}

@Suite("Rate limiter")
struct RateLimiterTests {
    @Test("refills at the key's rate up to a burst of twice the rate")
    func refill() {
        let clock = ManualClock()
        let limiter = RateLimiter(monotonicNow: { clock.now })
        for _ in 0..<20 { #expect(limiter.admit(keyID: "k", ratePerSecond: 10) == nil) }
        let wait = limiter.admit(keyID: "k", ratePerSecond: 10)
        #expect(wait != nil && abs(wait! - 0.1) < 1e-9)
        clock.now += 0.5
        for _ in 0..<5 { #expect(limiter.admit(keyID: "k", ratePerSecond: 10) == nil) }
        #expect(limiter.admit(keyID: "k", ratePerSecond: 10) != nil)
        clock.now += 100
        for _ in 0..<20 { #expect(limiter.admit(keyID: "k", ratePerSecond: 10) == nil) }
        #expect(limiter.admit(keyID: "k", ratePerSecond: 10) != nil)
    }
}

final class ManualClock: @unchecked Sendable {
    var now: Double = 1000
}
