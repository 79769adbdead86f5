import Foundation
import OptGateCore
import OptGateLedger
import Prometheus

/// The server's Prometheus metrics: requests and their latency by route and status, decisions by
/// outcome and basis, recorded events by type (opt-outs among them), group commits,
/// authentication failures, and webhook deliveries to destinations with the overdue and
/// dead-lettered ones. Metrics carry no personal data: routes are patterns, not paths.
public final class ServerMetrics: @unchecked Sendable {
    public let registry: PrometheusCollectorRegistry
    private let lock = NSLock()
    /// A request's labels: each combination has its counter and latency histogram.
    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }
    private var requestMetrics: [RequestKey: (Counter, DurationHistogram)] = [:]
    private var decisionCounters: [DecisionKey: Counter] = [:]
    private struct DecisionKey: Hashable {
        var allowed: Bool
        var basis: Basis?
    }
    private var eventCounters: [String: Counter] = [:]
    private var optOutCounters: [String: Counter] = [:]
    private var deliveryCounters: [String: Counter] = [:]
    private var propagationGauges: [String: Gauge] = [:]
    private let commits: Counter
    private let committedRequests: Counter
    private let authFailures: Counter
    private let rateLimitedRequests: Counter
    private let smsReviews: Counter
    private let cachedContacts: Gauge
    private let unfoldedEntries: Gauge
    private let stateFolds: Counter
    private let foldEventsHeld: Gauge
    private let foldEntriesRead: Counter
    private let checkpoints: Counter
    private let logPages: Gauge
    private static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
    ]

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "optgate", metricName: metric, unitName: unit, helpText: help)
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        commits = registry.makeCounter(descriptor: Self.name("group_commits", "total", "Write transactions committed (each holds one or more requests)"))
        committedRequests = registry.makeCounter(descriptor: Self.name("committed_requests", "total", "Write requests acknowledged after their transaction was on disk"))
        authFailures = registry.makeCounter(descriptor: Self.name("auth_failures", "total", "Requests refused for a missing or invalid API key"))
        rateLimitedRequests = registry.makeCounter(descriptor: Self.name("rate_limited", "total", "Requests refused by a key's rate limit"))
        smsReviews = registry.makeCounter(
            descriptor: Self.name("sms_reviews", "total", "SMS replies noted for a person to read (CANCEL, END or QUIT in a sentence)"))
        cachedContacts = registry.makeGauge(descriptor: Self.name("decision_cache", "contacts", "Contacts whose decision inputs are held in memory"))
        unfoldedEntries = registry.makeGauge(
            descriptor: Self.name("state_fold_lag", "entries", "Ledger entries the stored permission states do not hold yet (folded in the background)"))
        stateFolds = registry.makeCounter(descriptor: Self.name("state_folds", "total", "Background folds of new events into stored permission states"))
        foldEventsHeld = registry.makeGauge(
            descriptor: Self.name("state_fold_held", "events", "Committed events held in memory for the background fold"))
        foldEntriesRead = registry.makeCounter(
            descriptor: Self.name("state_fold_read_back_entries", "total", "Ledger entries the background fold read back from the store instead of taking them from memory"))
        checkpoints = registry.makeCounter(
            descriptor: Self.name("log_checkpoints", "total", "Background checkpoints that copied write-ahead log pages into the database file"))
        logPages = registry.makeGauge(
            descriptor: Self.name("log_uncopied", "pages", "Write-ahead log pages not yet copied into the database file, as the last background checkpoint left them"))
    }

    func request(route: String, method: String, status: Int, duration: Duration) {
        let key = RequestKey(route: route, method: method, status: status)
        let (counter, histogram) = lock.withLock { () -> (Counter, DurationHistogram) in
            if let metrics = requestMetrics[key] { return metrics }
            let labels = [("method", method), ("route", route), ("status", String(status))]
            let counter = registry.makeCounter(descriptor: Self.name("http_requests", "total", "HTTP requests answered"), labels: labels)
            let histogram = registry.makeDurationHistogram(
                descriptor: Self.name("http_request_duration", "seconds", "Time to answer"), labels: labels, buckets: Self.latencyBuckets)
            requestMetrics[key] = (counter, histogram)
            return (counter, histogram)
        }
        counter.increment()
        histogram.record(duration)
    }

    /// A decision given: `basis` is the ground of an allowed send, nil for a refusal.
    public func decision(allowed: Bool, basis: Basis?) {
        let key = DecisionKey(allowed: allowed, basis: basis)
        let counter = lock.withLock { () -> Counter in
            if let counter = decisionCounters[key] { return counter }
            let labels = [("outcome", allowed ? "allowed" : "denied"), ("basis", basis?.rawValue ?? "none")]
            let counter = registry.makeCounter(descriptor: Self.name("decisions", "total", "Decisions given"), labels: labels)
            decisionCounters[key] = counter
            return counter
        }
        counter.increment()
    }

    /// An event appended to the ledger (`type` as in the contract: opt_out, consent_given, ...).
    public func eventRecorded(type: String) {
        let counter = lock.withLock { () -> Counter in
            if let counter = eventCounters[type] { return counter }
            let counter = registry.makeCounter(descriptor: Self.name("events_recorded", "total", "Events appended to the ledger"), labels: [("type", type)])
            eventCounters[type] = counter
            return counter
        }
        counter.increment()
    }

    /// A background fold of permission states saved, and what is left to fold.
    func stateFolded(lag: Int64) {
        stateFolds.increment()
        unfoldedEntries.set(to: Double(lag))
    }

    /// What the background fold holds in memory, and entries it read back from the store.
    func stateFoldMemory(eventsHeld: Int, entriesReadBack: Int64) {
        foldEventsHeld.set(to: Double(eventsHeld))
        if entriesReadBack > 0 { foldEntriesRead.increment(by: entriesReadBack) }
    }

    /// A background checkpoint made (`Checkpointer`).
    func checkpointed(_ result: LogCheckpoint) {
        if result.copiedPages > 0 { checkpoints.increment() }
        logPages.set(to: Double(max(result.logPages - result.copiedPages, 0)))
    }

    func groupCommitted(requests: Int) {
        commits.increment()
        committedRequests.increment(by: Int64(requests))
    }

    /// An opt-out taken from a person-facing route (`one_click`, `page`, `preference_centre`, `sms`).
    func unsubscribed(route: String) {
        let counter = lock.withLock { () -> Counter in
            if let counter = optOutCounters[route] { return counter }
            let counter = registry.makeCounter(
                descriptor: Self.name("opt_outs_received", "total", "Opt-outs received from links, pages and SMS replies"), labels: [("route", route)])
            optOutCounters[route] = counter
            return counter
        }
        counter.increment()
    }

    /// An SMS reply noted for a person to read (`sms_review`): alert on it, since the TCPA gives
    /// 10 business days to honour a revocation.
    func smsReviewNoted() { smsReviews.increment() }

    func authFailure() { authFailures.increment() }
    func rateLimited() { rateLimitedRequests.increment() }

    /// The exposition text served at `/metrics`.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }

    func cacheSize(_ contacts: Int) { cachedContacts.set(to: Double(contacts)) }

    /// A webhook attempt's outcome: `confirmed` (2xx), `failed` (to be retried) or `dead`
    /// (dead-lettered after the last attempt).
    public func webhookDelivery(destination: String, outcome: String) {
        let key = destination + " " + outcome
        let counter = lock.withLock { () -> Counter in
            if let counter = deliveryCounters[key] { return counter }
            let counter = registry.makeCounter(
                descriptor: Self.name("webhook_deliveries", "total", "Webhook attempts to destinations, by outcome"),
                labels: [("destination", destination), ("outcome", outcome)])
            deliveryCounters[key] = counter
            return counter
        }
        counter.increment()
    }

    /// A destination's deliveries as they stand: pending, overdue (deadline missed) and dead-lettered.
    func propagation(_ counts: DeliveryCounts) {
        for (metric, value, help) in [
            ("propagation_pending", counts.pending, "Deliveries to a destination not yet confirmed"),
            ("propagation_overdue", counts.overdue, "Deliveries that missed their deadline (unconfirmed past it, or confirmed after it)"),
            ("propagation_dead", counts.dead, "Deliveries dead-lettered after their last attempt, until requeued"),
        ] {
            let key = metric + " " + counts.destination
            let gauge = lock.withLock { () -> Gauge in
                if let gauge = propagationGauges[key] { return gauge }
                let gauge = registry.makeGauge(
                    descriptor: MetricNameDescriptor(namespace: "optgate", metricName: metric, unitName: "", helpText: help),
                    labels: [("destination", counts.destination)])
                propagationGauges[key] = gauge
                return gauge
            }
            gauge.set(to: Double(value))
        }
    }
}
