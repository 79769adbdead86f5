import ArgumentParser
import Foundation
import OptGateCore
import OptGateLedger

/// `optgate export`: a contact's evidence for a regulator or for the person themselves.
public struct ExportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a contact's evidence pack or consent receipts as JSON.",
        subcommands: [Evidence.self, Receipts.self]
    )

    public init() {}

    public struct Evidence: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "evidence",
            abstract: "Every ledger entry of a contact with its hash, the notice texts they were shown, and each marketing send replayed to show why it was lawful."
        )

        @OptionGroup public var data: DataDirectoryOption
        @OptionGroup public var contact: ContactSelector
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
        public var output: String?

        public init() {}

        public func run() throws {
            let ledger = try data.directory.openLedger()
            let history = try ledger.history(contactID: try contact.resolve(in: ledger), withState: true)
            let propagation = try (ledger.store as? any PropagationStore).map { try Outbox(store: $0).deliveries(contactID: history.contactID) } ?? []
            try write(EvidencePack.json(history, generatedAt: .now, engine: ledger.engine, propagation: propagation), to: output)
        }
    }

    public struct Receipts: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "receipts",
            abstract: "Consent receipts (Kantara Consent Receipt v1.1 with ISO/IEC TS 27560 fields) for a contact's consents."
        )

        @OptionGroup public var data: DataDirectoryOption
        @OptionGroup public var contact: ContactSelector
        @Option(name: .long, help: "Only the consent recorded at this ledger entry.")
        public var seq: Int64?
        @Option(name: .long, help: "The controller's contact name for the receipt.")
        public var controllerContact: String?
        @Option(name: .long, help: "The controller's postal address.")
        public var controllerAddress: String?
        @Option(name: .long, help: "The controller's email address.")
        public var controllerEmail: String?
        @Option(name: .long, help: "The privacy policy URL.")
        public var policyUrl: String?
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
        public var output: String?

        public init() {}

        public func run() throws {
            let ledger = try data.directory.openLedger()
            let history = try ledger.history(contactID: try contact.resolve(in: ledger))
            var controller = ConsentReceipt.Controller()
            controller.contact = controllerContact
            controller.address = controllerAddress
            controller.email = controllerEmail
            controller.policyURL = policyUrl
            let text: String
            if let seq {
                text = try ConsentReceipt.json(history, consentSeq: seq, controller: controller, generatedAt: .now)
            } else {
                text = ConsentReceipt.all(history, controller: controller, generatedAt: .now)
            }
            try write(text, to: output)
        }
    }
}

private func write(_ text: String, to path: String?) throws {
    guard let path else {
        StandardConsole().out(text)
        return
    }
    guard FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
        throw CLIError("cannot write \(path)")
    }
}
