import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OptGateCore
import OptGateLedger
import OptGateSQLite
import OptGateServer
import Testing

/// A server over a ledger in a fresh temporary directory, with a fixed clock (2026-11-23T12:00:00Z)
/// and keys for every scope. Each test gets its own.
final class TestServer: Sendable {
    let directory: String
    let store: SQLiteLedgerStore
    let ledger: Ledger
    let services: ServerServices
    /// A token holding every scope.
    let admin: String
    /// Tokens holding exactly one scope each.
    let tokens: [APIScope: String]

    static let now = try! Timestamp(rfc3339: "2026-11-23T12:00:00Z")

    /// `monotonicNow`: the rate limiter's clock (the real one unless a test holds time still).
    init(configuration: ServerConfiguration = ServerConfiguration(), monotonicNow: (@Sendable () -> Double)? = nil) throws {
        directory = NSTemporaryDirectory() + "optgate-server-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteLedgerStore(path: directory + "/ledger.sqlite")
        ledger = Ledger(store: store, secret: LedgerSecret(bytes: Array(repeating: 7, count: 32)))
        var tokens: [APIScope: String] = [:]
        for scope in APIScope.allCases {
            let (key, token) = APIKey.generate(name: scope.rawValue, scopes: [scope], ratePerSecond: nil, at: Self.now)
            try store.saveKey(key)
            tokens[scope] = token
        }
        admin = tokens[.admin]!
        self.tokens = tokens
        services = ServerServices(ledger: ledger, keys: store, linkKeys: store, configuration: configuration, keyRefreshInterval: 0, clock: { TestServer.now },
            monotonicNow: monotonicNow ?? APIKeyring.uptime)
    }

    deinit {
        // Not on the thread that happens to release the server (it may be one of Swift's
        // cooperative threads, which other tests' writes need).
        let (committer, states, directory) = (services.committer, services.states, directory)
        DispatchQueue.global().async {
            committer.shutdown()
            states.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// Runs `body` with a client of the router (no sockets).
    func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        var logger = Logger(label: "optgate-test")
        logger.logLevel = .warning
        let app = Application(router: OptGateServer.router(services: services), logger: logger)
        return try await app.test(.router, body)
    }

    /// The entry count of the ledger.
    var head: Int64 { (try? store.read { try $0.head()?.seq }) ?? 0 }
}

/// Headers with a bearer token (and a JSON or NDJSON content type).
func auth(_ token: String?, ndjson: Bool = false) -> HTTPFields {
    var fields: HTTPFields = [.contentType: ndjson ? "application/x-ndjson" : "application/json"]
    if let token { fields[.authorization] = "Bearer \(token)" }
    return fields
}

func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The body parsed as a JSON object.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// The `field` of each error of a problem details body.
    var problemFields: [String] {
        (object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }
}

/// The organisation and people the server tests use: acme (a company) selling boots (with socks
/// declared similar), a charity, and Ann (c-1, GB, email and phone).
enum Fixture {
    static let organisation = """
        [
          {"record": "entity", "id": "acme", "kind": "company"},
          {"record": "entity", "id": "helping-hands", "kind": "charity"},
          {"record": "product", "id": "boots"},
          {"record": "product", "id": "socks", "similar_to": ["boots"], "reasoning": "worn with boots"},
          {"record": "notice", "version": "v1", "text": "Tick to hear about offers by email."},
          {"record": "contact", "id": "c-1", "email": "Ann@Example.com", "phone": "+447700900123", "jurisdiction": "GB"}
        ]
        """

    /// Ann bought boots from acme on 2026-11-01 and was offered a refusal.
    static let sale = """
        {"contact": "c-1", "id": "sale-1", "type": "details_collected", "at": "2026-11-01T10:00:00Z", "by": "acme", \
        "from": "recipient", "context": "sale", "products": ["boots"], "channels": ["email", "sms"], "refusal_offered": true}
        """

    static let optOut = """
        {"email": "ann@example.com", "id": "oo-1", "type": "opt_out", "at": "2026-11-20T09:00:00Z", "via": "link"}
        """

    /// acme emailing marketing for socks to Ann.
    static func decision(_ extra: String = "") -> String {
        """
        {"contact": "c-1", "message": {"from": "acme", "channel": "email", "purpose": "marketing", "products": ["socks"]}\(extra)}
        """
    }

    /// Records the organisation and Ann.
    static func setUp(_ client: some TestClientProtocol, _ server: TestServer) async throws {
        try await client.execute(uri: "/v1/events/batch", method: .post, headers: auth(server.admin), body: body(organisation)) { response in
            #expect(response.status == .created, "\(response.text)")
        }
    }
}
