import ArgumentParser
import Foundation
import OptGateLedger
import OptGateScenario

/// `optgate snapshot`: builds the timeline snapshot campaign checks read, now (for example after a
/// nightly import), instead of at the next `optgate filter`.
public struct SnapshotCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Build the timeline snapshot campaign checks read (optgate filter builds it itself when missing or stale).",
        discussion: """
            The snapshot (timelines.snapshot in the data directory) holds every contact's profiles and \
            events in a compact binary form, with their identifiers' keyed hashes, as of the newest \
            ledger entry. It is derived from the ledger, holds nothing else, and may be deleted at any \
            time. optgate filter reads contacts changed after it from the ledger, and rebuilds it when \
            it is more than 1 % of the chain (at least 10,000 entries) behind. See docs/campaign.md.
            """
    )

    @OptionGroup public var data: DataDirectoryOption
    @Flag(name: .long, help: "Only say whether the snapshot is current; build nothing.") public var status = false
    @Flag(name: .long, help: "No progress display.") public var quiet = false

    public init() {}

    public func run() throws {
        let console = StandardConsole()
        let ledger = try data.directory.openLedger()
        let refresh = SnapshotRefresh(data: data.directory, console: console, interactive: isatty(STDERR_FILENO) == 1 && !quiet)
        if status {
            console.out(refresh.status(ledger))
            return
        }
        let started = Date()
        let built = try refresh.build(ledger)
        console.out("""
            {"seq": \(built.seq), "contacts": \(built.contacts), "keys": \(built.keys), "bytes": \(built.bytes), \
            "seconds": \(String(format: "%.3f", Date().timeIntervalSince(started))), "file": \(JSONWriter.quoted(data.directory.snapshotPath))}
            """)
    }
}

/// Opens the data directory's timeline snapshot, building it first when it is missing, unusable
/// or too far behind the ledger.
struct SnapshotRefresh {
    let data: DataDirectory
    let console: any Console
    let interactive: Bool

    /// A snapshot current enough for a campaign check.
    func current(_ ledger: Ledger) throws -> TimelineSnapshot {
        do {
            let (snapshot, behind) = try ledger.openSnapshot(path: data.snapshotPath)
            if Ledger.snapshotIsCurrentEnough(behind: behind, head: snapshot.seq + behind) { return snapshot }
            console.err("the timeline snapshot is \(behind) entries behind the ledger: rebuilding it")
        } catch {
            if FileManager.default.fileExists(atPath: data.snapshotPath) { console.err("\(error.description): rebuilding it") }
        }
        try build(ledger)
        do { return try ledger.openSnapshot(path: data.snapshotPath).snapshot } catch { throw CLIError(error.description) }
    }

    /// Builds the snapshot of the ledger as it stands.
    @discardableResult
    func build(_ ledger: Ledger) throws -> TimelineSnapshotBuilder.Built {
        let total = try ledger.store.read { try $0.head()?.seq ?? 0 }
        if interactive { console.err("building the timeline snapshot of \(total) ledger entries (one pass; later checks reuse it)") }
        let bar = ProgressDisplay(enabled: interactive, total: Int(total), unit: "entries")
        defer { bar.finish() }
        return try TimelineSnapshotBuilder.build(ledger, to: data.snapshotPath) { done, _ in bar.update(done: Int(done), count: Int(done)) }
    }

    /// Whether the snapshot is current, as JSON.
    func status(_ ledger: Ledger) -> String {
        do {
            let head = try ledger.store.read { try $0.head()?.seq ?? 0 }
            do {
                let (snapshot, behind) = try ledger.openSnapshot(path: data.snapshotPath)
                return """
                    {"file": \(JSONWriter.quoted(data.snapshotPath)), "seq": \(snapshot.seq), "ledger_seq": \(head), "behind": \(behind), \
                    "contacts": \(snapshot.contactCount), "bytes": \(snapshot.byteCount), \
                    "current_enough": \(Ledger.snapshotIsCurrentEnough(behind: behind, head: head))}
                    """
            } catch {
                return """
                    {"file": \(JSONWriter.quoted(data.snapshotPath)), "ledger_seq": \(head), "usable": false, "why": \(JSONWriter.quoted(error.description))}
                    """
            }
        } catch {
            return "{\"error\": \(JSONWriter.quoted("\(error)"))}"
        }
    }
}
