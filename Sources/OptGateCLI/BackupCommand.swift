import ArgumentParser
import Foundation
import OptGateLedger
import OptGatePostgres
import OptGateSQLite

/// `optgate backup DESTINATION`: a consistent copy of the data directory, taken while OptGate runs,
/// checked before it is put in place.
public struct BackupCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the data directory consistently, while OptGate runs, and verify the copy.",
        discussion: """
            Writes DESTINATION as a data directory of its own: the ledger database as it stood at one \
            committed moment (a running server or import goes on writing meanwhile; none of their \
            later writes is in the copy) and the installation secret, without which the copy's \
            checkpoints and suppressed identifiers could not be checked. The timeline snapshot is \
            derived and is not copied. The copy is written beside DESTINATION as \
            DESTINATION.partial-…, checked (SQLite's structural check, then the whole hash chain, as \
            `optgate audit verify` does), and only then renamed to DESTINATION: a failed backup \
            leaves no DESTINATION, and an interrupted one only the .partial directory. The copy \
            holds personal data and the secret: keep it as safe as the original. Restore by \
            pointing --data-dir at it, or by putting it in place of the data directory while \
            OptGate is stopped.
            """
    )

    @OptionGroup public var data: DataDirectoryOption

    @Argument(help: "The directory to create for the copy (it must not exist).")
    public var destination: String

    @Flag(name: .long, help: "Skip recomputing the copy's hash chain (SQLite's structural check still runs).")
    public var noVerify = false

    public init() {}

    public func run() throws {
        try run(console: StandardConsole(), interactive: isatty(STDERR_FILENO) == 1)
    }

    func run(console: any Console, interactive: Bool) throws {
        let source = data.directory
        if let url = source.databaseURL {
            throw CLIError(
                "optgate backup copies the embedded SQLite ledger; the ledger at \((try? PostgresLocation(url: url).description) ?? "the PostgreSQL database") is backed up with PostgreSQL's own tools (pg_dump, or continuous archiving), together with \(source.secretPath)")
        }
        let files = FileManager.default
        guard files.fileExists(atPath: source.databasePath) else {
            throw CLIError("\(source.databasePath) does not exist: there is no ledger to back up in \(source.path)")
        }
        guard let secret = files.contents(atPath: source.secretPath) else {
            throw CLIError("\(source.secretPath) is missing: a backup without the installation secret could not be verified or used")
        }
        let target = URL(fileURLWithPath: destination).standardizedFileURL.path
        guard !files.fileExists(atPath: target) else { throw CLIError("\(target) exists: a backup creates a new directory") }
        let parent = (target as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("\(parent) is not a directory: create it first")
        }

        let started = Date()
        let partial = DataDirectory(option: target + ".partial-" + UUID().uuidString.prefix(8).lowercased())
        try files.createDirectory(atPath: partial.path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        do {
            guard files.createFile(atPath: partial.secretPath, contents: secret, attributes: [.posixPermissions: 0o600]) else {
                throw CLIError("cannot write \(partial.secretPath)")
            }
            let head = try copyDatabase(from: source, to: partial, interactive: interactive)
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: partial.databasePath)
            let verified = try check(partial, head: head, interactive: interactive)
            try files.moveItem(atPath: partial.path, toPath: target)
            do { try SQLiteLedgerStore.sync(path: parent) } catch { throw CLIError("cannot sync \(parent) after the rename") }
            let bytes = (try? files.attributesOfItem(atPath: target + "/ledger.sqlite")[.size] as? Int) ?? 0
            console.out("backed up \(source.path) to \(target): \(head?.seq ?? 0) entries, chain head \(head.map { $0.hash.hex.prefix(16) + "…" } ?? "(empty ledger)")")
            console.out(String(format: "   %.1f MB in %.1f s; ", Double(bytes) / 1_000_000, Date().timeIntervalSince(started)) + verified)
        } catch {
            try? files.removeItem(atPath: partial.path)
            throw error
        }
    }

    /// Copies the database at one committed moment; returns the chain head the copy holds.
    private func copyDatabase(from source: DataDirectory, to partial: DataDirectory, interactive: Bool) throws -> ChainHead? {
        let store = try SQLiteLedgerStore(path: source.databasePath)
        let head = try store.backup(to: partial.databasePath) { step in
            guard interactive, step.totalPages > 0 else { return }
            let percent = step.copiedPages * 100 / step.totalPages
            FileHandle.standardError.write(Data("\rcopying: \(percent) % (\(step.copiedPages) of \(step.totalPages) pages)".utf8))
        }
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        return head
    }

    /// Checks the copy: SQLite's structural check, then (unless --no-verify) the whole hash chain,
    /// which must end at `head`. Returns what was checked, for the summary.
    private func check(_ copy: DataDirectory, head: ChainHead?, interactive: Bool) throws -> String {
        let ledger = try copy.openLedger()
        if let problem = try (ledger.store as? SQLiteLedgerStore)?.quickCheck() {
            throw CLIError("the copy fails SQLite's structural check (\(problem)); nothing was put in place")
        }
        guard !noVerify else { return "structural check passed; hash chain not verified (--no-verify)" }
        let report = try ledger.verify { checked in
            if interactive { FileHandle.standardError.write(Data("\rverifying the copy: \(checked) entries".utf8)) }
        }
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if let problem = report.problem {
            throw CLIError("the copy fails verification at entry \(problem.seq): \(problem); nothing was put in place. Run `optgate audit verify` on the data directory: if it fails there too, the ledger itself was altered")
        }
        guard report.entries == head?.seq ?? 0, report.headHash == head?.hash.hex ?? report.headHash else {
            throw CLIError("the copy ends at entry \(report.entries), not at the head the backup read (\(head?.seq ?? 0)); nothing was put in place")
        }
        return "verified: \(report.entries) entries and \(report.checkpoints) checkpoint\(report.checkpoints == 1 ? "" : "s")"
    }
}
