import ArgumentParser
import Foundation
import OptGateCore
import OptGateLedger

/// `optgate destinations`: the systems every opt-out, consent and erasure is posted to.
public struct DestinationsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "destinations",
        abstract: "Add, list and remove the destinations opt-outs and consent changes are sent to.",
        discussion: """
            A running `optgate serve` posts every opt-out, consent and erasure to each destination as a \
            signed webhook, retrying until it answers 2xx, and records when it confirmed. Kinds and their \
            deadlines: bulk_email 48 hours (Gmail and Yahoo bulk-sender rules); email, sms, crm, other \
            10 business days (CAN-SPAM 15 U.S.C. 7704(a)(4), CASL s.11(3)). See docs/propagation.md.
            """,
        subcommands: [Add.self, List.self, Remove.self, Secret.self]
    )

    public init() {}

    /// The ledger (for its secret) and its outbox.
    static func open(_ data: DataDirectoryOption) throws -> (Ledger, Outbox) {
        let ledger = try data.directory.openLedger()
        guard let store = ledger.store as? any PropagationStore else { throw CLIError("this store keeps no destinations") }
        return (ledger, Outbox(store: store))
    }

    public struct Add: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Add a destination and print its signing secret.",
            discussion: "It receives the changes recorded from now on (--from-start: every change the ledger holds).")
        @OptionGroup public var data: DataDirectoryOption
        @Argument(help: "Its name (\(Destination.nameRule)).") public var name: String
        @Option(name: .long, help: "Where changes are posted (https or http).") public var url: String
        @Option(name: .long, help: "\(DestinationKind.names).") public var kind: String
        @Option(name: .long, help: "Hours within which it must confirm a change (default: its kind's deadline).") public var deadlineHours: Int?
        @Flag(name: .long, help: "Send it every change the ledger holds, not only those recorded from now on.") public var fromStart = false
        public init() {}

        public func validate() throws {
            guard Destination.isValidName(name) else { throw ValidationError("NAME \"\(name)\" is not a valid name (\(Destination.nameRule))") }
            if let problem = Destination.urlProblem(url) { throw ValidationError("--url: \(problem)") }
            guard DestinationKind(rawValue: kind) != nil else { throw ValidationError("--kind: unknown kind \"\(kind)\" (kinds: \(DestinationKind.names))") }
            if let deadlineHours, !(1...8760).contains(deadlineHours) {
                throw ValidationError("--deadline-hours must be in 1...8760, not \(deadlineHours)")
            }
        }

        public func run() throws {
            try run(console: StandardConsole())
        }

        func run(console: some Console) throws {
            let (ledger, outbox) = try DestinationsCommand.open(data)
            let destination: Destination
            do {
                destination = try outbox.addDestination(
                    name: name, url: url, kind: DestinationKind(rawValue: kind)!, deadlineHours: deadlineHours, fromStart: fromStart, at: .now)
            } catch let error as PropagationError {
                throw CLIError(error.description)
            }
            console.out(ledger.secret.destinationSecret(name: destination.name, createdAt: destination.createdAt))
            let start = fromStart ? "every change in the ledger" : "changes after ledger entry \(destination.cursor)"
            console.err("""
                destination \(destination.name) added (\(destination.kind.rawValue), deadline \(destination.deadline)): it gets \(start). \
                The line above is its signing secret: give it to the receiver (`optgate destinations secret \(destination.name)` shows it again)
                """)
        }
    }

    public struct List: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "List destinations, removed ones included.")
        @OptionGroup public var data: DataDirectoryOption
        public init() {}

        public func run() throws { try run(console: StandardConsole()) }

        func run(console: some Console) throws {
            let destinations = try DestinationsCommand.open(data).1.destinations()
            if destinations.isEmpty { console.err("no destinations: add one with `optgate destinations add NAME --url URL --kind KIND`") }
            for d in destinations {
                let status = d.removedAt.map { "removed \($0.rfc3339)" } ?? "active"
                console.out("\(d.name)  \(status)  \(d.kind.rawValue)  deadline \(d.deadline)  added \(d.createdAt.rfc3339)  cursor \(d.cursor)  \(d.url)")
            }
        }
    }

    public struct Remove: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Remove a destination: it gets nothing new; its deliveries stay listed as proof.")
        @OptionGroup public var data: DataDirectoryOption
        @Argument(help: "Its name.") public var name: String
        public init() {}

        public func run() throws {
            do {
                try DestinationsCommand.open(data).1.removeDestination(name: name, at: .now)
            } catch let error as PropagationError {
                throw CLIError("\(error.description) (see `optgate destinations list`)")
            }
            StandardConsole().err("destination \(name) removed")
        }
    }

    public struct Secret: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Print a destination's signing secret (derived from the installation secret; never stored).")
        @OptionGroup public var data: DataDirectoryOption
        @Argument(help: "Its name.") public var name: String
        public init() {}

        public func run() throws { try run(console: StandardConsole()) }

        func run(console: some Console) throws {
            let (ledger, outbox) = try DestinationsCommand.open(data)
            guard let destination = try outbox.destinations().first(where: { $0.name == name }) else {
                throw CLIError("\(PropagationError.unknownDestination(name).description) (see `optgate destinations list`)")
            }
            console.out(ledger.secret.destinationSecret(name: destination.name, createdAt: destination.createdAt))
        }
    }
}
