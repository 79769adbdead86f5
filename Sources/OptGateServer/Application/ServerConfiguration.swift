/// How `optgate serve` runs: where it listens and the limits it enforces. Every value has a default
/// that is safe on a laptop (loopback only); `optgate serve` fills it from flags, environment
/// variables and a config file.
public struct ServerConfiguration: Sendable, Equatable {
    /// Address to listen on. The default, loopback, keeps the API off the network until asked.
    public var host = "127.0.0.1"
    public var port = 8080
    /// Largest request body accepted, in bytes (a batch of events included).
    public var maxBodyBytes = 8 * 1024 * 1024
    /// Most records in one batch write.
    public var maxBatchRecords = 10_000
    /// Most lines in one streamed decision batch (the stream itself uses bounded memory).
    public var maxBatchDecisions = 1_000_000
    /// Contacts whose decision inputs are kept in memory (0: read every decision's inputs from the
    /// ledger).
    public var decisionCacheContacts = 2_000_000
    /// Seconds between checks for writes made outside this server.
    public var watchInterval = 0.25
    /// Most writes committed together in one transaction (group commit).
    public var maxGroupCommit = 512
    /// Seconds a webhook to a destination may take before the attempt counts as failed.
    public var webhookTimeout = 10
    /// Attempts of a webhook before it is dead-lettered.
    public var webhookMaxAttempts = 15
    /// Least severe log level written.
    public var logLevel = "info"

    public init() {}
}
