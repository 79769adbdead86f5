import Foundation
import Testing

@testable import OptGateCLI

/// `optgate serve` settings: `optgate.json` in the data directory (or --config / $OPTGATE_CONFIG),
/// then OPTGATE_* variables, then flags.
@Suite("serve settings")
struct ServeCommandTests {
    static func directory(config: String?) throws -> String {
        let path = NSTemporaryDirectory() + "optgate-serve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if let config { try config.write(toFile: path + "/optgate.json", atomically: true, encoding: .utf8) }
        return path
    }

    @Test("the data directory's optgate.json, then the environment, then flags")
    func precedence() throws {
        let dir = try Self.directory(config: #"{"port": 9000, "host": "0.0.0.0", "max_group_commit": 64}"#)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let command = try ServeCommand.parse(["--data-dir", dir, "--port", "9100"])
        let configuration = try command.resolveConfiguration(environment: ["OPTGATE_HOST": "127.0.0.2", "OPTGATE_PORT": "9050"])
        #expect(configuration.port == 9100)
        #expect(configuration.host == "127.0.0.2")
        #expect(configuration.maxGroupCommit == 64)
        #expect(configuration.decisionCacheContacts == 2_000_000)
    }

    @Test("an explicit config file that cannot be read, and a bad value in one, are refused with their place")
    func errors() throws {
        let dir = try Self.directory(config: "{\n  \"port\": \"eighty\"\n}")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: (any Error).self) {
            try ServeCommand.parse(["--data-dir", dir, "--config", dir + "/missing.json"]).resolveConfiguration(environment: [:])
        }
        do {
            _ = try ServeCommand.parse(["--data-dir", dir]).resolveConfiguration(environment: [:])
            Issue.record("a bad port was accepted")
        } catch {
            #expect("\(error)".contains("optgate.json:2:11: port must be a whole number"))
        }
        do {
            _ = try ServeCommand.parse(["--data-dir", dir, "--config", dir + "/optgate.json", "--log-level", "loud"])
                .resolveConfiguration(environment: [:])
            Issue.record("a bad port was accepted")
        } catch {
            #expect("\(error)".contains("port must be a whole number"))
        }
    }

    @Test("the ledger's PostgreSQL database from optgate.json, OPTGATE_DATABASE_URL or --database, each overriding the one before; not a postgres URL is refused")
    func database() throws {
        let dir = try Self.directory(config: #"{"database_url": "postgres://og@file-host/ledger"}"#)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try ServeCommand.parse(["--data-dir", dir]).resolveConfiguration(environment: [:]).databaseURL == "postgres://og@file-host/ledger")
        let environment = ["OPTGATE_DATABASE_URL": "postgres://og@env-host/ledger"]
        #expect(try ServeCommand.parse(["--data-dir", dir]).resolveConfiguration(environment: environment).databaseURL == "postgres://og@env-host/ledger")
        let flagged = try ServeCommand.parse(["--data-dir", dir, "--database", "postgresql://og@flag-host/ledger"])
        #expect(try flagged.resolveConfiguration(environment: environment).databaseURL == "postgresql://og@flag-host/ledger")
        #expect(try ServeCommand.parse(["--data-dir", try Self.directory(config: nil)]).resolveConfiguration(environment: [:]).databaseURL == nil)
        do {
            _ = try ServeCommand.parse(["--data-dir", dir, "--database", "mysql://og@db/ledger"]).resolveConfiguration(environment: [:])
            Issue.record("a MySQL URL was accepted")
        } catch {
            #expect("\(error)".contains("--database: database_url must be a postgres:// URL"))
        }
    }

    @Test("without a config file the defaults hold: loopback, port 8080")
    func defaults() throws {
        let dir = try Self.directory(config: nil)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let configuration = try ServeCommand.parse(["--data-dir", dir]).resolveConfiguration(environment: [:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.logLevel == "info")
    }
}
