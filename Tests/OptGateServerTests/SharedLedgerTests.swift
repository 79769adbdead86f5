import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OptGateCore
import OptGateLedger
@testable import OptGatePostgres
import Testing

@testable import OptGateServer

/// Several servers over one PostgreSQL ledger (a multi-node deployment): a write acknowledged by
/// one binds the others' very next decision, though each answers decisions from memory.
@Suite(
    "Servers sharing a PostgreSQL ledger",
    .enabled(if: ProcessInfo.processInfo.environment["OPTGATE_TEST_DATABASE_URL"].map { !$0.isEmpty } ?? false,
             "set OPTGATE_TEST_DATABASE_URL (scripts/postgres-cluster.sh starts a database)"))
struct SharedLedgerTests {
    /// One server: its own store (its own connections) on the shared schema, its own services.
    final class Node: Sendable {
        let store: PostgresLedgerStore
        let services: ServerServices

        init(location: PostgresLocation) throws {
            store = try PostgresLedgerStore(location: location, maximumConnections: 4)
            let ledger = Ledger(store: store, secret: LedgerSecret(bytes: Array(repeating: 7, count: 32)))
            services = ServerServices(ledger: ledger, keys: store, linkKeys: store, keyRefreshInterval: 0, clock: { TestServer.now })
        }

        func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
            var logger = Logger(label: "optgate-test")
            logger.logLevel = .warning
            return try await Application(router: OptGateServer.router(services: services), logger: logger).test(.router, body)
        }

        func stop() {
            services.committer.shutdown()
            services.states.stop()
            services.stopWatching()
        }
    }

    static func location() throws -> PostgresLocation {
        let url = try #require(ProcessInfo.processInfo.environment["OPTGATE_TEST_DATABASE_URL"])
        let schema = "s_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        return try PostgresLocation(url: url + (url.contains("?") ? "&" : "?") + "schema=\(schema)")
    }

    static func allowed(_ client: some TestClientProtocol, _ token: String) async throws -> Bool? {
        try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(token), body: body(Fixture.decision())) {
            #expect($0.status == .ok, "\($0.text)")
            return $0.object["allowed"] as? Bool
        }
    }

    @Test("an opt-out acknowledged by one server is refused by the other's very next decision (GDPR Art 21(3))")
    func optOutBindsEverywhere() async throws {
        let location = try Self.location()
        let a = try Node(location: location)
        let b = try Node(location: location)
        defer {
            a.stop()
            b.stop()
            try? a.store.transaction(begin: "BEGIN", locked: false) { try $0.execute("DROP SCHEMA \(location.schema) CASCADE", doing: "dropping a test schema") }
        }
        let (key, token) = APIKey.generate(name: "admin", scopes: [.admin], ratePerSecond: nil, at: TestServer.now)
        try a.store.saveKey(key)
        try await a.test { client in
            try await client.execute(uri: "/v1/events/batch", method: .post, headers: auth(token), body: body(Fixture.organisation)) {
                #expect($0.status == .created, "\($0.text)")
            }
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(token), body: body(Fixture.sale)) {
                #expect($0.status == .created, "\($0.text)")
            }
        }
        // B has Ann in memory, with the sale: allowed.
        let before = try await b.test { client in try await Self.allowed(client, token) }
        #expect(before == true)
        #expect(b.services.timelines.count == 1)
        // A records her opt-out; B's next decision, from memory a moment ago, is a refusal.
        try await a.test { client in
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(token), body: body(Fixture.optOut)) {
                #expect($0.status == .created, "\($0.text)")
            }
        }
        let after = try await b.test { client in try await Self.allowed(client, token) }
        #expect(after == false)
        // Each server's writes interleave in one chain, which verifies.
        try await b.test { client in
            try await client.execute(uri: "/v1/contacts", method: .post, headers: auth(token), body: body(#"{"id": "c-2", "jurisdiction": "IE"}"#)) {
                #expect($0.status == .created, "\($0.text)")
            }
        }
        try await a.test { client in
            try await client.execute(uri: "/v1/contacts", method: .post, headers: auth(token), body: body(#"{"id": "c-3", "jurisdiction": "DE"}"#)) {
                #expect($0.status == .created, "\($0.text)")
            }
            let allowed = try await Self.allowed(client, token)
            #expect(allowed == false)
        }
        let report = try a.services.ledger.verify()
        #expect(report.isValid, "\(String(describing: report.problem))")
    }

    @Test("with the database unreachable a decision is refused with 503 and Retry-After, never answered from memory; /health says 503 too")
    func databaseUnreachable() async throws {
        let location = try Self.location()
        let node = try Node(location: location)
        defer {
            node.stop()
            if let store = try? PostgresLedgerStore(location: location) {
                try? store.transaction(begin: "BEGIN", locked: false) { try $0.execute("DROP SCHEMA \(location.schema) CASCADE", doing: "dropping a test schema") }
            }
        }
        let (key, token) = APIKey.generate(name: "admin", scopes: [.admin], ratePerSecond: nil, at: TestServer.now)
        try node.store.saveKey(key)
        try await node.test { client in
            try await client.execute(uri: "/v1/events/batch", method: .post, headers: auth(token), body: body(Fixture.organisation)) {
                #expect($0.status == .created, "\($0.text)")
            }
            try await client.execute(uri: "/v1/events", method: .post, headers: auth(token), body: body(Fixture.sale))
        }
        let before = try await node.test { client in try await Self.allowed(client, token) }
        #expect(before == true)
        // The database goes away (here: the server's connections are closed for good).
        node.store.close()
        try await node.test { client in
            try await client.execute(uri: "/v1/decisions", method: .post, headers: auth(token), body: body(Fixture.decision())) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.retryAfter] == "1")
                #expect(response.text.contains("store-unavailable"), "\(response.text)")
                #expect(!response.text.contains("allowed"))
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
        }
    }
}
