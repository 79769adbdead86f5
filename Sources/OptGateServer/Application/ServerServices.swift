import Foundation
import OptGateCore
import OptGateLedger

/// What the routes work with: the ledger, the write path, the keys, the metrics, the limits and the
/// clock. Built once by `OptGateServer.makeApplication`; tests build it over a temporary ledger with
/// a fixed clock.
public final class ServerServices: Sendable {
    public let ledger: Ledger
    public let committer: GroupCommitter
    public let keyring: APIKeyring
    public let limiter: RateLimiter
    public let metrics: ServerMetrics
    public let configuration: ServerConfiguration
    /// The ledger's clock: when events are recorded and decisions are made "now".
    public let clock: @Sendable () -> Timestamp

    public init(
        ledger: Ledger, keys: any APIKeyStore, configuration: ServerConfiguration = ServerConfiguration(),
        metrics: ServerMetrics = ServerMetrics(), keyRefreshInterval: Double = 1.0,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }
    ) {
        self.ledger = ledger
        self.configuration = configuration
        self.metrics = metrics
        self.clock = clock
        keyring = APIKeyring(store: keys, refreshInterval: keyRefreshInterval)
        limiter = RateLimiter()
        committer = GroupCommitter(ledger: ledger, maxGroup: configuration.maxGroupCommit, clock: clock) { [metrics] requests in
            metrics.groupCommitted(requests: requests)
        }
    }
}
