import Foundation
import Logging
import OptGateCore
import OptGateLedger

/// Delivers every opt-out, consent and erasure to every destination, durably: the server runs one
/// beside its HTTP service.
///
/// Each round it enqueues, per destination, the changes recorded since its cursor (`Outbox`), then
/// starts the deliveries that are due: oldest change first, up to `maxInFlight` at once per
/// destination, destinations in parallel. Several deliveries to one destination may be in flight
/// together, so they can arrive out of order: receivers order changes by `received_at`, not by
/// arrival. A 2xx answer confirms a delivery (never sent again); anything else, a timeout or a
/// connection error schedules a retry (`RetrySchedule`), and the last failed attempt dead-letters it.
///
/// Delivery is at least once: a crash after a destination answered but before the answer was
/// recorded sends the change again, under the same idempotency key. Rounds run when the group
/// committer signals a commit, and every `pollInterval` seconds otherwise. `stop()` lets the
/// deliveries in flight finish and record their outcome; anything not yet confirmed stays pending
/// for the next start.
public final class Propagator: @unchecked Sendable {
    private let outbox: Outbox
    private let secret: LedgerSecret
    private let transport: any WebhookTransport
    private let settings: PropagationSettings
    private let clock: @Sendable () -> Timestamp
    private let time: @Sendable () -> Double
    private let random: @Sendable () -> Double
    private let metrics: ServerMetrics?
    private let logger: Logger
    public let wake: WakeSignal

    private let lock = NSLock()
    private var stopping = false
    /// Keys of the deliveries in flight, by destination.
    private var inFlight: [String: Set<String>] = [:]

    /// - Parameters:
    ///   - clock: the ledger's clock: when a delivery was confirmed or attempted (the proof).
    ///   - time: the wall clock in seconds since 1970, for scheduling attempts and signing.
    ///   - random: a number in 0..<1 for the retry jitter.
    public init(
        store: any PropagationStore, secret: LedgerSecret, transport: any WebhookTransport = URLSessionTransport(),
        settings: PropagationSettings = PropagationSettings(), wake: WakeSignal = WakeSignal(), metrics: ServerMetrics? = nil,
        logger: Logger = Logger(label: "optgate.propagation"),
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) },
        time: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        outbox = Outbox(store: store)
        self.secret = secret
        self.transport = transport
        self.settings = settings
        self.wake = wake
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        self.time = time
        self.random = random
    }

    /// Runs rounds until `stop()`, then waits for the deliveries in flight.
    public func run() async {
        await withDiscardingTaskGroup { group in
            while !isStopping {
                do {
                    for (destination, delivery) in try await Self.offPool({ try self.round() }) {
                        group.addTask { await self.deliver(delivery, to: destination) }
                    }
                } catch {
                    logger.error("propagation round failed; retrying", metadata: ["error": "\(error)"])
                }
                await wake.wait(timeout: settings.pollInterval)
            }
        }
    }

    /// Ends `run()`: no new delivery starts; those in flight finish and record their outcome.
    public func stop() {
        lock.withLock { stopping = true }
        wake.signal()
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    /// Enqueues new changes, then picks the deliveries to start now and marks them in flight.
    private func round() throws -> [(Destination, Delivery)] {
        try outbox.enqueueAll(firstAttemptAt: time(), batch: settings.batch)
        let now = time()
        var started: [(Destination, Delivery)] = []
        for destination in try outbox.destinations() where destination.isActive {
            let busy = lock.withLock { inFlight[destination.name] ?? [] }
            let free = settings.maxInFlight - busy.count
            guard free > 0 else { continue }
            let due = try outbox.store.readPropagation {
                try $0.dueDeliveries(destination: destination.name, at: now, limit: settings.maxInFlight + busy.count)
            }
            for delivery in due.filter({ !busy.contains($0.key) }).prefix(free) {
                lock.withLock { _ = inFlight[destination.name, default: []].insert(delivery.key) }
                started.append((destination, delivery))
            }
        }
        return started
    }

    /// One attempt of one delivery, and its outcome recorded.
    private func deliver(_ delivery: Delivery, to destination: Destination) async {
        defer {
            lock.withLock { _ = inFlight[destination.name]?.remove(delivery.key) }
            wake.signal()
        }
        let body: String
        do {
            body = try await Self.offPool { try self.outbox.store.readPropagation { try WebhookPayload.json(delivery, in: $0) } }
        } catch {
            logger.error("cannot build a webhook", metadata: ["key": .string(delivery.key), "error": "\(error)"])
            return
        }
        let bytes = Array(body.utf8)
        let signingSecret = secret.destinationSecret(name: destination.name, createdAt: destination.createdAt)
        let request = WebhookRequest(
            url: destination.url,
            headers: [
                ("Content-Type", "application/json"),
                ("User-Agent", "OptGate"),
                ("Idempotency-Key", delivery.key),
                (WebhookSignature.headerName, WebhookSignature.header(secret: signingSecret, timestamp: Int64(time()), body: bytes)),
            ],
            body: bytes, timeout: settings.timeout)
        let result = await transport.post(request)
        // A cancelled task (the server stopped abruptly) did not really attempt: the delivery stays
        // as it was, pending.
        guard !Task.isCancelled else { return }
        let attempts = delivery.attempts + 1
        let now = clock()
        do {
            if result.isConfirmation {
                let confirmed = try await Self.offPool {
                    try self.outbox.store.writePropagation { try $0.markDelivered(key: delivery.key, attempts: attempts, at: now) }
                }
                if confirmed { metrics?.webhookDelivery(destination: destination.name, outcome: "confirmed") }
                return
            }
            let next = settings.retry.next(afterAttempts: attempts, random: random())
            let nextAttemptAt: Double?
            switch next {
            case .retry(let after): nextAttemptAt = time() + after
            case .deadLetter: nextAttemptAt = nil
            }
            try await Self.offPool {
                try self.outbox.store.writePropagation {
                    try $0.markFailed(key: delivery.key, attempts: attempts, at: now, error: result.problem, nextAttemptAt: nextAttemptAt)
                }
            }
            metrics?.webhookDelivery(destination: destination.name, outcome: nextAttemptAt == nil ? "dead" : "failed")
            if nextAttemptAt == nil {
                logger.warning("delivery dead-lettered", metadata: [
                    "key": .string(delivery.key), "attempts": .stringConvertible(attempts), "error": .string(result.problem),
                ])
            }
        } catch {
            logger.error("cannot record a delivery's outcome; it stays pending", metadata: ["key": .string(delivery.key), "error": "\(error)"])
        }
    }

    /// Runs blocking database work on a dispatch thread, not on one of Swift's cooperative threads.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
