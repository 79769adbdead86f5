import Foundation
import PostgresNIO

/// Where a PostgreSQL ledger lives, read from a connection URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME]`, or
/// `postgres:///DATABASE?host=/run/postgresql&user=USER` for a Unix socket.
///
/// `schema` keeps OptGate's tables in a schema of their own (created if missing), so that several
/// ledgers, or OptGate and other applications, share one database. The password may also come from
/// the `PGPASSWORD` environment variable, so that it stays out of command lines.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The directory of the server's Unix socket, when connecting through one.
    public var socketDirectory: String?
    public var user: String
    public var password: String?
    public var database: String
    public var schema: String

    /// The URL schemes accepted.
    public static let schemes: Set<String> = ["postgres", "postgresql"]

    /// Reads a connection URL; `environment` supplies `PGPASSWORD` when the URL has no password.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), Self.schemes.contains(scheme) else {
            throw PostgresStoreError("not a PostgreSQL URL (expected postgres://USER@HOST:PORT/DATABASE): \(Self.redacted(text))")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard let value = item.value, !value.isEmpty else { throw PostgresStoreError("the URL's parameter \"\(item.name)\" has no value") }
            guard ["schema", "host", "user", "sslmode"].contains(item.name) else {
                throw PostgresStoreError("the URL's parameter \"\(item.name)\" is not known (known: schema, host, user, sslmode)")
            }
            query[item.name] = value
        }
        if let mode = query["sslmode"], mode != "disable" {
            throw PostgresStoreError("sslmode=\(mode) is not supported: OptGate connects without TLS, to a database on the same host or a private network (sslmode=disable)")
        }
        let path = components.percentEncodedPath.removingPercentEncoding ?? components.path
        let database = path.hasPrefix("/") ? String(path.dropFirst()) : path
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresStoreError("the URL names no database (postgres://USER@HOST:PORT/DATABASE): \(Self.redacted(text))")
        }
        self.database = database
        let hostOption = query["host"]
        if let hostOption, hostOption.hasPrefix("/") {
            socketDirectory = hostOption
            host = "localhost"
        } else {
            socketDirectory = nil
            host = hostOption ?? components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        }
        port = components.port ?? 5432
        guard let user = query["user"] ?? components.user.flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw PostgresStoreError("the URL names no user (postgres://USER@HOST:PORT/DATABASE): \(Self.redacted(text))")
        }
        self.user = user
        password = components.password ?? environment["PGPASSWORD"]
        schema = query["schema"] ?? "public"
        guard schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), let first = schema.first, !first.isNumber else {
            throw PostgresStoreError("schema \"\(schema)\" is not a plain identifier (letters, digits and _, not starting with a digit)")
        }
    }

    /// The connection settings for postgres-nio.
    var configuration: PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketDirectory {
            configuration = .init(
                unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        }
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// The location without its password, for messages.
    public var description: String {
        let place = socketDirectory.map { "\($0) (port \(port))" } ?? "\(host):\(port)"
        return "postgres://\(user)@\(place)/\(database)" + (schema == "public" ? "" : "?schema=\(schema)")
    }

    /// `text` with any password replaced, for messages.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "(the URL)"
    }
}
