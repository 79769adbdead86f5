import OptGateScenario

/// Reading `ServerConfiguration` from its three sources, each overriding the one before: a config
/// file (JSON), environment variables (`OPTGATE_` + the setting in capitals) and command-line
/// flags. Every setting has one name: `port`, `OPTGATE_PORT`, `--port`.
extension ServerConfiguration {
    /// A setting that cannot be used, named by where it came from.
    public struct SettingError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Every setting's name, what it takes, and what it means (for help text and docs).
    public static let settings: [(name: String, value: String, help: String)] = [
        ("host", "ADDRESS", "address to listen on (default 127.0.0.1: this machine only)"),
        ("port", "PORT", "port to listen on (default 8080)"),
        ("log_level", "LEVEL", "trace, debug, info, notice, warning, error or critical (default info)"),
        ("max_body_bytes", "BYTES", "largest request body accepted (default 8388608)"),
        ("max_batch_records", "N", "most records in one batch write (default 10000)"),
        ("max_batch_decisions", "N", "most lines in one decision batch (default 1000000)"),
        ("max_group_commit", "N", "most write requests committed in one transaction (default 512)"),
        ("decision_cache_contacts", "N", "contacts whose decision inputs are kept in memory (default 2000000; 0 turns it off)"),
        ("public_url", "URL", "address people reach this server at, for unsubscribe and preference links (default http://HOST:PORT)"),
        ("link_validity_days", "DAYS", "days a link in a message keeps working, at least 60 (default 400)"),
        ("sms_stop_reply", "TEXT", "the reply to an SMS STOP"),
        ("sms_start_reply", "TEXT", "the reply to an SMS START"),
        ("webhook_timeout", "SECONDS", "seconds a webhook to a destination may take before the attempt fails (default 10)"),
        ("webhook_max_attempts", "N", "attempts of a webhook before it is dead-lettered (default 80)"),
        ("database_url", "URL", "a PostgreSQL database for the ledger, shared by several servers (default: the data directory's SQLite file)"),
    ]

    /// Sets `name` from `text`; `source` names the place for errors (`config.json:3:12`, `OPTGATE_PORT`, `--port`).
    public mutating func set(_ name: String, to text: String, source: String) throws {
        func integer(_ range: ClosedRange<Int>) throws -> Int {
            guard let value = Int(text), range.contains(value) else {
                throw SettingError(description: "\(source): \(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), not \"\(text)\"")
            }
            return value
        }
        switch name {
        case "host":
            guard !text.isEmpty else { throw SettingError(description: "\(source): host must not be empty") }
            host = text
        case "port": port = try integer(0...65535)
        case "log_level":
            guard Self.logLevels.contains(text) else {
                throw SettingError(description: "\(source): log_level must be one of \(Self.logLevels.joined(separator: ", ")), not \"\(text)\"")
            }
            logLevel = text
        case "max_body_bytes": maxBodyBytes = try integer(1024...1 << 30)
        case "max_batch_records": maxBatchRecords = try integer(1...1_000_000)
        case "max_batch_decisions": maxBatchDecisions = try integer(1...100_000_000)
        case "max_group_commit": maxGroupCommit = try integer(1...100_000)
        case "decision_cache_contacts": decisionCacheContacts = try integer(0...1_000_000_000)
        case "public_url":
            guard let scheme = text.split(separator: ":").first.map({ $0.lowercased() }), scheme == "https" || scheme == "http",
                  text.contains("://"), !text.contains("?"), !text.contains("#")
            else {
                throw SettingError(description: "\(source): public_url must be an http or https URL without query or fragment, not \"\(text)\"")
            }
            publicURL = text
        case "link_validity_days": linkValidityDays = try integer(60...3650)
        case "sms_stop_reply", "sms_start_reply":
            guard !text.isEmpty, text.count <= 320 else {
                throw SettingError(description: "\(source): \(name) must be 1 to 320 characters")
            }
            if name == "sms_stop_reply" { smsStopReply = text } else { smsStartReply = text }
        case "webhook_timeout": webhookTimeout = try integer(1...600)
        case "webhook_max_attempts": webhookMaxAttempts = try integer(1...1000)
        case "database_url":
            let scheme = text.split(separator: ":").first.map { $0.lowercased() }
            guard scheme == "postgres" || scheme == "postgresql", text.contains("://") else {
                throw SettingError(description: "\(source): database_url must be a postgres:// URL (postgres://USER@HOST:PORT/DATABASE)")
            }
            databaseURL = text
        default:
            let known = Self.settings.map(\.name).joined(separator: ", ")
            throw SettingError(description: "\(source): unknown setting \"\(name)\" (known: \(known))")
        }
    }

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Applies a config file: one JSON object of settings (`{"port": 8081, "log_level": "notice"}`).
    public mutating func apply(configFile bytes: [UInt8], path: String) throws {
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch {
            throw SettingError(description: "\(path):\(error.position.line):\(error.position.column): invalid JSON: \(error.message)")
        }
        guard case .object(let members) = root.kind else {
            throw SettingError(description: "\(path):\(root.position.line):\(root.position.column): a config file is a JSON object of settings")
        }
        for (key, value) in members {
            let source = "\(path):\(value.position.line):\(value.position.column)"
            switch value.kind {
            case .string(let text): try set(key, to: text, source: source)
            case .number(let text): try set(key, to: text, source: source)
            default: throw SettingError(description: "\(source): \(key) must be a string or a number")
            }
        }
    }

    /// Applies the `OPTGATE_*` variables of an environment.
    public mutating func apply(environment: [String: String]) throws {
        for (name, _, _) in Self.settings {
            let variable = "OPTGATE_" + name.uppercased()
            if let text = environment[variable] { try set(name, to: text, source: variable) }
        }
    }
}
