import ArgumentParser
import Foundation
import OptGateCore
import OptGateLedger

/// `optgate outbox`: where the deliveries of changes to destinations stand.
public struct OutboxCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Where opt-outs and consent changes stand on their way to destinations.",
        subcommands: [Status.self, Dead.self, Retry.self],
        defaultSubcommand: Status.self
    )

    public init() {}

    public struct Status: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Per destination: pending, delivered, dead-lettered and overdue deliveries, and the oldest pending.")
        @OptionGroup public var data: DataDirectoryOption
        public init() {}

        public func run() throws { try run(console: StandardConsole()) }

        func run(console: some Console) throws {
            let now = Timestamp.now
            let status = try DestinationsCommand.open(data).1.status(at: now)
            if status.isEmpty { console.err("no destinations: add one with `optgate destinations add NAME --url URL --kind KIND`") }
            for (destination, counts) in status {
                let oldest = counts.oldestPendingBoundAt.map { "oldest pending since \($0.rfc3339)" } ?? "nothing pending"
                let removed = destination.removedAt.map { "  removed \($0.rfc3339)" } ?? ""
                console.out("""
                    \(destination.name)  pending \(counts.pending)  delivered \(counts.delivered)  dead \(counts.dead)  \
                    overdue \(counts.overdue)  \(oldest)\(removed)
                    """)
            }
        }
    }

    public struct Dead: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "List dead-lettered deliveries (every attempt failed).")
        @OptionGroup public var data: DataDirectoryOption
        @Option(name: .long, help: "Most deliveries listed (default 1000).") public var limit = 1000
        public init() {}

        public func run() throws { try run(console: StandardConsole()) }

        func run(console: some Console) throws {
            let dead = try DestinationsCommand.open(data).1.deliveries(.state(.dead), limit: limit)
            if dead.isEmpty { console.err("no dead-lettered deliveries") }
            for d in dead {
                console.out("""
                    \(d.key)  \(d.change.rawValue)  contact \(d.contactID)  attempts \(d.attempts)  \
                    last \(d.lastAttemptAt?.rfc3339 ?? "-")  \(d.lastError ?? "")
                    """)
            }
        }
    }

    public struct Retry: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Put dead-lettered deliveries back in the queue: a running server sends them within a second.")
        @OptionGroup public var data: DataDirectoryOption
        @Argument(help: "The delivery's idempotency key (as listed by `optgate outbox dead`).") public var key: String?
        @Flag(name: .long, help: "Every dead-lettered delivery.") public var allDead = false
        public init() {}

        public func validate() throws {
            if key == nil && !allDead { throw ValidationError("give a KEY or --all-dead") }
            if key != nil && allDead { throw ValidationError("give a KEY or --all-dead, not both") }
        }

        public func run() throws { try run(console: StandardConsole()) }

        func run(console: some Console) throws {
            let outbox = try DestinationsCommand.open(data).1
            let now = Date().timeIntervalSince1970
            if let key {
                do { try outbox.requeue(key: key, at: now) } catch let error as PropagationError {
                    throw CLIError("\(error.description) (see `optgate outbox dead`)")
                }
                console.err("delivery \(key) requeued")
            } else {
                console.err("\(try outbox.requeueDead(at: now)) dead-lettered deliveries requeued")
            }
        }
    }
}
