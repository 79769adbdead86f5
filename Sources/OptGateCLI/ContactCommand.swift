import ArgumentParser
import OptGateCore
import OptGateLedger
import OptGateScenario

/// `optgate contact status`: what the engine decides for a contact, per sender and channel, now or
/// at any past moment.
public struct ContactCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "contact",
        abstract: "Look at a contact in the ledger.",
        subcommands: [Status.self]
    )

    public init() {}

    public struct Status: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show per channel what the engine decides for a contact, and why, now or at a past moment.",
            discussion: """
                Replays the contact's history with the organisation's entities, catalogue and policy as they \
                stood at --at (default: now). The message assumed is marketing from each sending entity \
                (or --from), promoting --products (default: the products of the contact's latest purchase \
                or enquiry with that entity).
                """
        )

        @OptionGroup public var data: DataDirectoryOption
        @OptionGroup public var contact: ContactSelector

        @Option(name: .long, help: "The moment to replay (RFC 3339; default: now).")
        public var at: String?

        @Option(name: .long, help: "Only this sending entity.")
        public var from: String?

        @Option(name: .long, parsing: .upToNextOption, help: "Products the message promotes.")
        public var products: [String] = []

        @Option(name: .long, help: "Purpose: marketing, fundraising or campaigning.")
        public var purpose: String = "marketing"

        @Option(name: .long, parsing: .upToNextOption, help: "Channels to show (default: all).")
        public var channels: [String] = []

        @Flag(name: .long, help: "Print the full decisions as JSON lines.")
        public var json = false

        public init() {}

        public func run() throws {
            let console = StandardConsole()
            let ledger = try data.directory.openLedger()
            let contactID = try contact.resolve(in: ledger)
            let instant = try at.map { text -> Timestamp in
                do { return try Timestamp(rfc3339: text) } catch { throw ValidationError("--at \(text): \(error)") }
            } ?? .now
            guard let purposeValue = Purpose(rawValue: purpose), purposeValue.isDirectMarketing else {
                throw ValidationError("--purpose must be marketing, fundraising or campaigning")
            }
            let channelList = try channels.isEmpty ? Channel.allCases : channels.map { name in
                guard let channel = Channel(rawValue: name) else { throw ValidationError("unknown channel \(name)") }
                return channel
            }
            let history = try ledger.history(contactID: contactID)
            let organisation = history.organisation.organisation(at: instant)
            let senders = from.map { [$0] } ?? organisation.entities.keys.sorted()
            guard !senders.isEmpty else { throw CLIError("the ledger has no entities at \(instant.rfc3339): record the organisation first") }
            if let from, organisation.entities[from] == nil { throw ValidationError("unknown entity \(from) at \(instant.rfc3339)") }

            let profile = history.profile(at: instant)
            if !json {
                console.out("contact \(contactID)\(history.erased ? " (personal data erased)" : "")  jurisdiction \(profile?.jurisdiction?.description ?? "unknown")  subscriber \(profile?.subscriber.rawValue ?? "unknown")")
                console.out("as of \(instant.rfc3339): \(history.events.filter { $0.at <= instant }.count) events")
            }
            let permissions = history.permissions(
                at: instant, senders: senders, channels: channelList, purpose: purposeValue,
                products: products.isEmpty ? nil : products, engine: ledger.engine)
            var shownSender: String?
            for permission in permissions {
                let decision = permission.decision
                if json {
                    console.out("{\"from\":\(JSONWriter.quoted(permission.from)),\"channel\":\"\(permission.channel.rawValue)\",\"decision\":\(DecisionEncoder.json(decision, pretty: false))}")
                    continue
                }
                if shownSender != permission.from {
                    shownSender = permission.from
                    let promoted = permission.products
                    console.out("\nfrom \(permission.from), \(purpose)\(promoted.isEmpty ? "" : " of " + promoted.joined(separator: ", ")):")
                }
                let verdict = decision.allowed ? "ALLOWED (\(decision.basis!.rawValue))" : "not allowed"
                let why = decision.reasons.first { decision.allowed ? $0.code.isGround : !$0.code.isGround }
                let until = decision.validUntil.map { ", until \($0.dayText)" } ?? ""
                console.out("  \(permission.channel.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(verdict)\(until): \(why?.detail ?? "")")
            }
        }
    }
}
