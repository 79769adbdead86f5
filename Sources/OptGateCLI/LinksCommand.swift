import ArgumentParser
import Foundation
import OptGateCore
import OptGateLedger

/// `optgate links`: the keys that seal unsubscribe and preference links.
public struct LinksCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "links",
        abstract: "Rotate, list and retire the keys of unsubscribe and preference links.",
        discussion: """
            Links in messages are sealed (ChaCha20-Poly1305) under the newest key that is not retired \
            and opened by any key that is not retired. Rotate regularly: links already sent keep \
            working. Retire a key only if it leaked: every link it sealed stops working (a page \
            that says the link is not recognised). Key material is stored sealed under the \
            installation secret. A running server sees changes within a second.
            """,
        subcommands: [Rotate.self, List.self, Retire.self]
    )

    public init() {}

    static func open(_ data: DataDirectoryOption) throws -> (any LinkKeyStore, LedgerSecret) {
        let ledger = try data.directory.openLedger()
        guard let keys = ledger.store as? any LinkKeyStore else { throw CLIError("this store keeps no link keys") }
        return (keys, ledger.secret)
    }

    public struct Rotate: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Make a new key that seals links from now on.")
        @OptionGroup public var data: DataDirectoryOption
        public init() {}

        public func run() throws {
            let (store, secret) = try LinksCommand.open(data)
            let key = try store.rotateLinkKeys(secret: secret, at: Timestamp.now)
            StandardConsole().err("link key \(key.id) now seals new links; earlier keys still open the links they sealed")
        }
    }

    public struct List: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "List link keys (never their material).")
        @OptionGroup public var data: DataDirectoryOption
        public init() {}

        public func run() throws {
            let console = StandardConsole()
            let keys = try LinksCommand.open(data).0.linkKeys()
            if keys.isEmpty { console.err("no link keys yet: the server makes the first when it first makes a link") }
            let sealing = keys.filter { $0.retiredAt == nil }.map(\.id).max()
            for key in keys {
                let status = key.retiredAt.map { "retired \($0.rfc3339)" } ?? (key.id == sealing ? "sealing" : "opening")
                console.out("\(key.id)  \(status)  created \(key.createdAt.rfc3339)")
            }
        }
    }

    public struct Retire: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Retire a key: every link it sealed stops working.")
        @OptionGroup public var data: DataDirectoryOption
        @Argument(help: "The key's number (as listed).") public var id: Int
        @Flag(name: .long, help: "Confirm: links already sent with this key will stop working.") public var yes = false
        public init() {}

        public func run() throws {
            guard yes else { throw ValidationError("retiring key \(id) voids every link it sealed: add --yes to confirm") }
            guard try LinksCommand.open(data).0.retireLinkKey(id: id, at: Timestamp.now) else {
                throw CLIError("no key \(id) in use (see `optgate links list`)")
            }
            StandardConsole().err("link key \(id) retired")
        }
    }
}
