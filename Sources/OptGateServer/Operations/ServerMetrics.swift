import Foundation
import OptGateCore
import Prometheus

/// The server's Prometheus metrics: requests and their latency by route and status, decisions by
/// outcome and basis, recorded events by type (opt-outs among them), group commits, and
/// authentication failures. Metrics carry no personal data: routes are patterns, not paths.
public final class ServerMetrics: @unchecked Sendable {
    public let registry: PrometheusCollectorRegistry
    private let lock = NSLock()
    private var requestCounters: [String: Counter] = [:]
    private var latencies: [String: DurationHistogram] = [:]
    private var decisionCounters: [String: Counter] = [:]
    private var eventCounters: [String: Counter] = [:]
    private let commits: Counter
    private let committedRequests: Counter
    private let authFailures: Counter
    private let rateLimitedRequests: Counter
    private static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        commits = registry.makeCounter(name: "optgate_group_commits_total", help: "Write transactions committed (each holds one or more requests)")
        committedRequests = registry.makeCounter(name: "optgate_committed_requests_total", help: "Write requests acknowledged after their transaction was on disk")
        authFailures = registry.makeCounter(name: "optgate_auth_failures_total", help: "Requests refused for a missing or invalid API key")
        rateLimitedRequests = registry.makeCounter(name: "optgate_rate_limited_total", help: "Requests refused by a key's rate limit")
    }

    func request(route: String, method: String, status: Int, duration: Duration) {
        let key = "\(method) \(route) \(status)"
        let (counter, histogram) = lock.withLock { () -> (Counter, DurationHistogram) in
            if let counter = requestCounters[key], let histogram = latencies[key] { return (counter, histogram) }
            let labels = [("method", method), ("route", route), ("status", String(status))]
            let counter = registry.makeCounter(name: "optgate_http_requests_total", labels: labels, help: "HTTP requests answered")
            let histogram = registry.makeDurationHistogram(
                name: "optgate_http_request_duration_seconds", labels: labels, buckets: Self.latencyBuckets, help: "Time to answer")
            requestCounters[key] = counter
            latencies[key] = histogram
            return (counter, histogram)
        }
        counter.increment()
        histogram.record(duration)
    }

    /// A decision given: `basis` is the ground of an allowed send, nil for a refusal.
    public func decision(allowed: Bool, basis: Basis?) {
        let outcome = allowed ? "allowed" : "denied"
        let basisName = basis?.rawValue ?? "none"
        let key = outcome + basisName
        let counter = lock.withLock { () -> Counter in
            if let counter = decisionCounters[key] { return counter }
            let counter = registry.makeCounter(
                name: "optgate_decisions_total", labels: [("outcome", outcome), ("basis", basisName)], help: "Decisions given")
            decisionCounters[key] = counter
            return counter
        }
        counter.increment()
    }

    /// An event appended to the ledger (`type` as in the contract: opt_out, consent_given, ...).
    public func eventRecorded(type: String) {
        let counter = lock.withLock { () -> Counter in
            if let counter = eventCounters[type] { return counter }
            let counter = registry.makeCounter(name: "optgate_events_recorded_total", labels: [("type", type)], help: "Events appended to the ledger")
            eventCounters[type] = counter
            return counter
        }
        counter.increment()
    }

    func groupCommitted(requests: Int) {
        commits.increment()
        committedRequests.increment(by: Int64(requests))
    }

    func authFailure() { authFailures.increment() }
    func rateLimited() { rateLimitedRequests.increment() }

    /// The exposition text served at `/metrics`.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}
