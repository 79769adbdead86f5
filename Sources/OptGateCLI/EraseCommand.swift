import ArgumentParser
import OptGateCore
import OptGateLedger

/// `optgate erase`: the right to erasure, keeping the person suppressed.
public struct EraseCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a contact's personal data, keeping their identifiers suppressed.",
        discussion: """
            Deletes the contact's email addresses, phone numbers, IP addresses and user agents. Keyed \
            hashes of their identifiers stay on the suppression list, so a later import of the same \
            email or phone is recorded as opted out. The events, without personal data, stay as \
            evidence; the hash chain still verifies. Irreversible: pass --yes.
            """
    )

    @OptionGroup public var data: DataDirectoryOption
    @OptionGroup public var contact: ContactSelector

    @Flag(name: .long, help: "Confirm the erasure (it cannot be undone).")
    public var yes = false

    public init() {}

    public func run() throws {
        let console = StandardConsole()
        let ledger = try data.directory.openLedger()
        let contactID = try contact.resolve(in: ledger)
        guard yes else {
            throw CLIError("erasure cannot be undone: run again with --yes to erase contact \(contactID)")
        }
        let erasure = try ledger.erase(contactID: contactID, recordedAt: .now)
        console.out("erased contact \(contactID): \(erasure.personalDataDeleted) personal data records deleted, \(erasure.suppressedIdentifiers) identifiers kept suppressed (ledger entry \(erasure.seq))")
        if data.directory.databaseURL != nil {
            // SQLite overwrites deleted rows at once (secure_delete); PostgreSQL keeps their bytes.
            console.out("PostgreSQL keeps the deleted rows' bytes in its table file until the table is rewritten: run VACUUM FULL personal_data (it locks the table while it runs) to remove them from disk")
        }
    }
}

/// Names a contact by id, email or phone.
public struct ContactSelector: ParsableArguments {
    @Argument(help: "The contact's id.")
    public var id: String?

    @Option(name: .long, help: "Find the contact by email address.")
    public var email: String?

    @Option(name: .long, help: "Find the contact by phone number (E.164, e.g. +447700900123).")
    public var phone: String?

    public init() {}

    public func validate() throws {
        if [id, email, phone].compactMap({ $0 }).count != 1 {
            throw ValidationError("name the contact by exactly one of: its id, --email or --phone")
        }
    }

    func resolve(in ledger: Ledger) throws -> String {
        if let id { return id }
        let identifier = try email.map { try Identifier.email($0) } ?? Identifier.phone(phone!)
        guard let id = try ledger.contactID(for: identifier) else {
            let suppressed = try ledger.isSuppressed(identifier)
            throw CLIError("no contact has this \(identifier.kind.rawValue)" + (suppressed ? " (it belongs to an erased contact and is suppressed)" : ""))
        }
        return id
    }
}
