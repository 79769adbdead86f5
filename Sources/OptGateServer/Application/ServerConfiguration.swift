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
    public var webhookMaxAttempts = 80
    /// Least severe log level written.
    public var logLevel = "info"
    /// The address people reach this server at, for the links put in messages (unsubscribe,
    /// preferences). nil: `http://host:port`, right only for trying OptGate on one machine.
    public var publicURL: String?
    /// Days a link in a message keeps working (CASL s.11(1)(b) asks for at least 60; CAN-SPAM 30).
    public var linkValidityDays = 400
    /// The reply to an SMS STOP (sent back by the SMS provider).
    public var smsStopReply = "You are unsubscribed and will get no more marketing texts from us. No further texts will be sent."
    /// The reply to an SMS START.
    public var smsStartReply = "We have noted your request. We will text you offers again only once you have agreed to them on our website or in store."

    /// The PostgreSQL database holding the ledger, when several servers share it; nil: the data
    /// directory's SQLite file.
    public var databaseURL: String?

    /// The base of links: `publicURL` without a trailing slash, or this server's own address.
    public var linkBase: String {
        if let url = publicURL { return url.hasSuffix("/") ? String(url.dropLast()) : url }
        let host = host.contains(":") ? "[\(host)]" : host
        return "http://\(host):\(port)"
    }

    public init() {}
}
