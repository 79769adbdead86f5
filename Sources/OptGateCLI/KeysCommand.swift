import ArgumentParser
import Foundation
import OptGateCore
import OptGateLedger

/// `optgate keys`: API keys for the HTTP server.
public struct KeysCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys for `optgate serve`.",
        discussion: """
            A key is shown once, when created; only its SHA-256 digest is stored. Scopes: \
            \(APIScope.allCases.map(\.rawValue).joined(separator: ", ")). A running server sees a new or \
            revoked key within a second.
            """,
        subcommands: [Create.self, List.self, Revoke.self]
    )

    public init() {}

    static func store(_ data: DataDirectoryOption) throws -> any APIKeyStore {
        let ledger = try data.directory.openLedger()
        guard let keys = ledger.store as? any APIKeyStore else { throw CLIError("this store keeps no API keys") }
        return keys
    }

    public struct Create: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Create a key and print its token (shown only this once).")
        @OptionGroup public var data: DataDirectoryOption
        @Option(name: .long, help: "What the key is for (e.g. \"crm\", \"email platform\").") public var name: String
        @Option(name: .long, help: "A scope the key holds (repeat for several).") public var scope: [String] = []
        @Option(name: .long, help: "Requests per second allowed (bursts up to twice as many); default no limit.") public var rate: Int?
        public init() {}

        public func validate() throws {
            if scope.isEmpty { throw ValidationError("give at least one --scope (\(APIScope.allCases.map(\.rawValue).joined(separator: ", ")))") }
            for name in scope where APIScope(rawValue: name) == nil {
                throw ValidationError("unknown scope \"\(name)\" (scopes: \(APIScope.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if let rate, rate < 1 { throw ValidationError("--rate must be at least 1") }
            if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        }

        public func run() throws {
            let store = try KeysCommand.store(data)
            let (key, token) = APIKey.generate(
                name: name, scopes: Set(scope.compactMap(APIScope.init)), ratePerSecond: rate, at: Timestamp.now)
            try store.saveKey(key)
            let console = StandardConsole()
            console.out(token)
            console.err("key \(key.id) \"\(key.name)\" created with \(key.scopes.sorted().map(\.rawValue).joined(separator: ", ")); the token above is shown only once")
        }
    }

    public struct List: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "List keys (never their tokens).")
        @OptionGroup public var data: DataDirectoryOption
        public init() {}

        public func run() throws {
            let console = StandardConsole()
            let keys = try KeysCommand.store(data).keys()
            if keys.isEmpty { console.err("no keys: create one with `optgate keys create --name NAME --scope SCOPE`") }
            for key in keys {
                let status = key.revokedAt.map { "revoked \($0.rfc3339)" } ?? "active"
                let rate = key.ratePerSecond.map { "\($0)/s" } ?? "no limit"
                console.out("\(key.id)  \(status)  created \(key.createdAt.rfc3339)  \(rate)  \(key.scopes.sorted().map(\.rawValue).joined(separator: ","))  \(key.name)")
            }
        }
    }

    public struct Revoke: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Revoke a key: it stops working within a second.")
        @OptionGroup public var data: DataDirectoryOption
        @Argument(help: "The key's id (as listed).") public var id: String
        public init() {}

        public func run() throws {
            guard try KeysCommand.store(data).revokeKey(id: id, at: Timestamp.now) else {
                throw CLIError("no active key \"\(id)\" (see `optgate keys list`)")
            }
            StandardConsole().err("key \(id) revoked")
        }
    }
}
