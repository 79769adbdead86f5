import ArgumentParser
import Foundation
import Logging
import OptGateLedger
import OptGateServer

/// `optgate serve`: the HTTP API on the embedded ledger.
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API: record events, answer decisions, prove them.",
        discussion: """
            Serves the API described at /openapi.json over the ledger in the data directory (created on \
            first use: no setup), or in the PostgreSQL database named by --database, which several servers \
            can share (each needs the data directory's secret.key). Requests under /v1 need an API key: \
            create one with `optgate keys create`. /health, /metrics (Prometheus) and /openapi.json are public.

            Settings come from a config file (--config, else $OPTGATE_CONFIG, else optgate.json in the data \
            directory if present: a JSON object such as {"port": 8081}), then OPTGATE_* environment \
            variables (OPTGATE_PORT, OPTGATE_HOST, ...), then these flags, each overriding the one before.

            SIGINT or SIGTERM stops the server gracefully: requests in flight finish and every write already \
            acknowledged or queued is committed before it exits.
            """
    )

    @OptionGroup public var data: DataDirectoryOption
    @Option(name: .long, help: "Config file (JSON object of settings).") public var config: String?
    @Option(name: .long, help: "Address to listen on (default 127.0.0.1: this machine only).") public var host: String?
    @Option(name: .long, help: "Port to listen on (default 8080).") public var port: Int?
    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical (default info).") public var logLevel: String?
    @Option(name: .long, help: "Largest request body accepted, in bytes (default 8388608).") public var maxBodyBytes: Int?
    @Option(name: .long, help: "Most records in one batch write (default 10000).") public var maxBatchRecords: Int?
    @Option(name: .long, help: "Most lines in one decision batch (default 1000000).") public var maxBatchDecisions: Int?
    @Option(name: .long, help: "Most write requests committed in one transaction (default 512).") public var maxGroupCommit: Int?
    @Option(name: .long, help: "Contacts whose decision inputs are kept in memory (default 2000000; 0 turns it off).") public var decisionCacheContacts: Int?

    @Option(name: .long, help: "Seconds a webhook to a destination may take before the attempt fails (default 10).") public var webhookTimeout: Int?
    @Option(name: .long, help: "Attempts of a webhook before it is dead-lettered (default 80).") public var webhookMaxAttempts: Int?
    @Option(name: .long, help: "Address people reach this server at, for unsubscribe and preference links (default http://HOST:PORT).") public var publicUrl: String?
    @Option(name: .long, help: "Days a link in a message keeps working, at least 60 (default 400).") public var linkValidityDays: Int?
    @Option(name: .long, help: "The reply to an SMS STOP.") public var smsStopReply: String?
    @Option(name: .long, help: "The reply to an SMS START.") public var smsStartReply: String?

    public init() {}

    /// The configuration from the config file, the environment and the flags.
    func resolveConfiguration(environment: [String: String]) throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        let explicit = config ?? environment["OPTGATE_CONFIG"]
        let path = explicit ?? data.directory.path + "/optgate.json"
        if let bytes = FileManager.default.contents(atPath: path) {
            try configuration.apply(configFile: Array(bytes), path: path)
        } else if let explicit {
            throw CLIError("config file \(explicit) cannot be read")
        }
        try configuration.apply(environment: environment)
        let flags: [(String, String?)] = [
            ("host", host), ("port", port.map(String.init)), ("log_level", logLevel), ("max_body_bytes", maxBodyBytes.map(String.init)),
            ("max_batch_records", maxBatchRecords.map(String.init)), ("max_batch_decisions", maxBatchDecisions.map(String.init)),
            ("max_group_commit", maxGroupCommit.map(String.init)),
            ("decision_cache_contacts", decisionCacheContacts.map(String.init)),
            ("webhook_timeout", webhookTimeout.map(String.init)), ("webhook_max_attempts", webhookMaxAttempts.map(String.init)),
            ("public_url", publicUrl), ("link_validity_days", linkValidityDays.map(String.init)),
            ("sms_stop_reply", smsStopReply), ("sms_start_reply", smsStartReply),
        ]
        for (name, value) in flags {
            if let value { try configuration.set(name, to: value, source: "--" + name.replacingOccurrences(of: "_", with: "-")) }
        }
        if let database = data.database { try configuration.set("database_url", to: database, source: "--database") }
        return configuration
    }

    public func run() async throws {
        let configuration: ServerConfiguration
        do { configuration = try resolveConfiguration(environment: ProcessInfo.processInfo.environment) } catch let error as ServerConfiguration.SettingError {
            throw ValidationError(error.description)
        }
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in ServerLogHandler(label: label, level: level) }
        var logger = Logger(label: "optgate")
        logger.logLevel = level
        let directory = DataDirectory(option: data.dataDir, database: configuration.databaseURL)
        let ledger = try directory.openLedger()
        guard let keys = ledger.store as? any APIKeyStore & LinkKeyStore else { throw CLIError("this store keeps no API or link keys") }
        let services = ServerServices(ledger: ledger, keys: keys, linkKeys: keys, configuration: configuration)
        OptGateServer.bootstrapMetrics(services.metrics)
        let activeKeys = try keys.keys().filter { $0.revokedAt == nil }.count
        logger.notice(
            "OptGate serving",
            metadata: [
                "address": "http://\(configuration.host):\(configuration.port)", "data_dir": .string(directory.path),
                "ledger": .string(directory.ledgerDescription),
                "api_keys": .stringConvertible(activeKeys),
            ])
        if activeKeys == 0 {
            let database = configuration.databaseURL == nil ? "" : " --database URL (this server's database_url)"
            logger.warning("no API keys yet: every /v1 request will get 401. Create one with: optgate keys create --name NAME --scope admin\(database)")
        }
        try await OptGateServer.run(services: services, logger: logger)
    }
}
