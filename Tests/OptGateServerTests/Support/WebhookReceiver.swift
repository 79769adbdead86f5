import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OptGateCore
import OptGateLedger
import OptGateSQLite
import OptGateServer
import Testing

/// A destination for the propagator to deliver to: a real HTTP server on 127.0.0.1 (Hummingbird,
/// port chosen by the system) that records every webhook it gets and answers as `behaviour` says
/// for the n-th request (from 1).
actor WebhookReceiver {
    /// How the receiver answers one request.
    enum Answer: Sendable {
        case status(Int)
        /// Waits this long, then answers 200 (to a client that has given up if it was too long).
        case slow(Double)
    }

    struct Received: Sendable {
        var key: String
        var signature: String
        var body: [UInt8]
        var answered: Answer
    }

    private(set) var received: [Received] = []
    private var behaviour: @Sendable (Int) -> Answer

    init(_ behaviour: @escaping @Sendable (Int) -> Answer) {
        self.behaviour = behaviour
    }

    func answer(behaviour: @escaping @Sendable (Int) -> Answer) { self.behaviour = behaviour }

    fileprivate func record(key: String, signature: String, body: [UInt8]) -> Answer {
        let answer = behaviour(received.count + 1)
        received.append(Received(key: key, signature: signature, body: body, answered: answer))
        return answer
    }

    /// Keys answered 200 at once (a slow answer may have come after the client gave up).
    var confirmedKeys: [String] {
        received.compactMap { if case .status(let code) = $0.answered, (200..<300).contains(code) { return $0.key } else { return nil } }
    }

    /// Runs `body` with the receiver listening; its URL is passed in.
    nonisolated func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let bytes = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            func header(_ name: String) -> String {
                request.headers.first { $0.name.canonicalName == name.lowercased() }?.value ?? ""
            }
            let key = header("Idempotency-Key")
            let signature = header("OptGate-Signature")
            switch await self.record(key: key, signature: signature, body: bytes) {
            case .status(let code):
                return Response(status: .init(code: code))
            case .slow(let seconds):
                try await Task.sleep(for: .seconds(seconds))
                return Response(status: .ok)
            }
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/hook")
        }
    }
}

/// A ledger in a temporary directory with contact c-1 (GB, Ann), for propagation tests.
final class PropagationFixture: Sendable {
    let directory: String
    let store: SQLiteLedgerStore
    let ledger: Ledger
    let outbox: Outbox
    static let secret = LedgerSecret(bytes: Array(repeating: 9, count: 32))
    static let now = try! Timestamp(rfc3339: "2026-11-23T12:00:00Z")

    init() throws {
        directory = NSTemporaryDirectory() + "optgate-propagation-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteLedgerStore(path: directory + "/ledger.sqlite")
        ledger = Ledger(store: store, secret: Self.secret)
        outbox = Outbox(store: store)
        try ledger.append([
            .entity(Entity(id: "acme", kind: .company), validFrom: Timestamp(year: 2026, month: 1, day: 1)!),
            .contact(ContactProfile(id: "c-1", jurisdiction: JurisdictionCode("GB"), identifiers: [try .email("ann@example.com")])),
        ], recordedAt: Self.now)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Records `count` opt-outs (ids oo-1, oo-2, ...) for c-1, each for one more channel.
    func optOuts(_ count: Int, from first: Int = 1) throws {
        try ledger.append((first..<first + count).map { n in
            .event(contactID: "c-1", Event(id: "oo-\(n)", at: Self.now.adding(seconds: Int64(-n)), .optOut(OptOut(via: .link))), nil)
        }, recordedAt: Self.now)
    }

    /// Settings that make a test fast: short waits, short timeout.
    static func fastSettings(maxAttempts: Int = 10, timeout: Double = 0.5, maxInFlight: Int = 4) -> PropagationSettings {
        var settings = PropagationSettings()
        settings.retry = RetrySchedule(initialDelay: 0.05, maximumDelay: 0.2, maxAttempts: maxAttempts)
        settings.timeout = timeout
        settings.maxInFlight = maxInFlight
        settings.pollInterval = 0.05
        return settings
    }

    /// A propagator over `store` (another store on the same file simulates a restart).
    func propagator(settings: PropagationSettings, store: SQLiteLedgerStore? = nil, metrics: ServerMetrics? = nil) -> Propagator {
        var logger = Logger(label: "propagation-test")
        logger.logLevel = .critical
        return Propagator(
            store: store ?? self.store, secret: Self.secret, settings: settings, metrics: metrics, logger: logger, clock: { Self.now })
    }

    func deliveries(_ state: DeliveryState) throws -> [Delivery] { try outbox.deliveries(.state(state), limit: 1000) }
}

/// Waits (without blocking a thread) until `condition` holds, failing the test after `seconds`.
func eventually(
    within seconds: Double = 20, _ what: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out waiting for: \(what)", sourceLocation: sourceLocation)
}
