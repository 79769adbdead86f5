import ArgumentParser
import Foundation
import OptGateLedger
import OptGatePostgres
import OptGateSQLite

/// `optgate copy-ledger --to URL`: the data directory's embedded ledger, copied row for row into an
/// empty PostgreSQL database, for a deployment that grows to several servers.
public struct CopyLedgerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "copy-ledger",
        abstract: "Copy the embedded ledger into an empty PostgreSQL database, row for row, and verify the copy.",
        discussion: """
            Every entry keeps its hash, every personal data record its salt, every checkpoint its seal: the \
            copy is the same chain, so `optgate audit verify` gives the same head and evidence packs already \
            handed out still match. Contacts, identifier links, the suppression list, permission states, API \
            keys, link keys, destinations and the outbox come too. The copy is one transaction (all or nothing) \
            read from one moment of the ledger, so it may run while a server writes; writes after that moment \
            are not in it. Servers on the database need this data directory's secret.key.
            """
    )

    @Option(name: .customLong("data-dir"), help: "The data directory whose SQLite ledger is copied (default: $OPTGATE_DATA_DIR, else ./optgate-data).")
    public var dataDir: String?

    @Option(name: .long, help: ArgumentHelp("The empty PostgreSQL database (or schema) to copy into.", valueName: "postgres://USER@HOST:PORT/DATABASE"))
    public var to: String

    @Flag(name: .long, help: "No progress on standard error.") public var quiet = false

    public init() {}

    public func run() throws {
        try run(console: StandardConsole(), interactive: isatty(STDERR_FILENO) == 1 && !quiet)
    }

    func run(console: any Console, interactive: Bool) throws {
        // The source is the data directory's own SQLite file, whatever $OPTGATE_DATABASE_URL says.
        let source = DataDirectory(option: dataDir, database: nil, ignoringEnvironmentDatabase: true)
        guard FileManager.default.fileExists(atPath: source.databasePath) else {
            throw CLIError("\(source.databasePath) does not exist: there is no embedded ledger to copy in \(source.path)")
        }
        let ledger = try source.openLedger()
        guard let store = ledger.store as? SQLiteLedgerStore else { throw CLIError("the ledger in \(source.path) is not an embedded one") }
        let target = try PostgresLedgerStore(location: try PostgresLocation(url: to))
        defer { target.close() }
        let started = Date()
        let summary: PostgresLedgerStore.CopySummary
        do {
            summary = try target.copy(from: store) { copied, total in
                guard interactive, total > 0 else { return }
                FileHandle.standardError.write(Data("\rcopying: \(copied * 100 / total) % (\(copied) of \(total) entries)".utf8))
            }
        } catch {
            // One transaction: whatever failed, the target holds nothing of it.
            throw CLIError("\(error); nothing was copied")
        }
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let copied = Date().timeIntervalSince(started)
        let report = try Ledger(store: target, secret: ledger.secret).verify { checked in
            if interactive { FileHandle.standardError.write(Data("\rverifying the copy: \(checked) entries".utf8)) }
        }
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if let problem = report.problem {
            throw CLIError("the copy in \(target.location) fails verification at entry \(problem.seq): \(problem). Run `optgate audit verify --data-dir \(source.path)`: if it fails there too, the ledger itself was altered")
        }
        guard report.entries == summary.head?.seq ?? 0, report.headHash == summary.head?.hash.hex ?? report.headHash else {
            throw CLIError("the copy in \(target.location) ends at entry \(report.entries), not at the head the copy read (\(summary.head?.seq ?? 0))")
        }
        console.out("copied \(source.databasePath) to \(target.location) in \(String(format: "%.1f", copied)) s")
        console.out("  entries: \(summary.entries) (\(summary.personalData) with personal data), checkpoints: \(summary.checkpoints)")
        console.out("  contacts: \(summary.contacts), identifier links: \(summary.identifiers), suppressed: \(summary.suppressed), permission states: \(summary.states)")
        console.out("  API keys: \(summary.apiKeys), link keys: \(summary.linkKeys), destinations: \(summary.destinations), deliveries: \(summary.deliveries)")
        console.out("  verified: \(report.entries) entries and \(report.checkpoints) checkpoint\(report.checkpoints == 1 ? "" : "s"), head \(report.headHash.prefix(16))…")
        console.out("servers on it need \(source.secretPath): copy it into each one's data directory")
    }
}
