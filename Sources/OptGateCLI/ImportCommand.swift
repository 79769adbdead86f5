import ArgumentParser
import Foundation
import OptGateCore
import OptGateLedger

/// `optgate import FILE`: NDJSON records or CSV events into the ledger, all or nothing.
public struct ImportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import records (NDJSON) or events (CSV) into the ledger, all or nothing.",
        discussion: """
            The file is read as a stream and checked line by line inside one transaction. If any line \
            has a problem, every problem is listed as FILE:LINE: FIELD: MESSAGE and nothing is written. \
            Events already recorded (same id, same content) are stored once. A large import (1 MiB or \
            more) into a ledger without contacts is loaded in bulk and holds the ledger to itself until \
            it has committed: other commands and a server wait for it (unless --shared). --dry-run \
            checks a file without writing anything. See docs/ledger.md for the formats.
            """
    )

    @OptionGroup public var data: DataDirectoryOption

    @Option(name: .long, help: "File format: ndjson or csv (default: from the file's extension).")
    public var format: Importer.Format?

    @Flag(name: .long, help: "No progress display.")
    public var quiet = false

    @Flag(name: .long, help: """
        Let other processes (a server, say) keep reading the ledger during a large import into a \
        ledger without contacts. Such an import then goes through the WAL instead of holding the \
        ledger to itself, which is slower for tens of millions of lines.
        """)
    public var shared = false

    @Flag(name: .long, help: """
        Check the file against the ledger as an import would (every problem listed the same way) and         say what it would add, then roll back: nothing is written.
        """)
    public var dryRun = false

    @Argument(help: "The file to import.")
    public var file: String

    public init() {}

    public func run() throws {
        let console = StandardConsole()
        guard let format = format ?? Importer.Format(fileName: file) else {
            throw ValidationError("cannot tell the format of \(file) from its extension: use --format ndjson or --format csv")
        }
        guard FileManager.default.fileExists(atPath: file) else { throw CLIError("\(file): no such file") }
        let contents = try Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped)
        let ledger = try data.directory.openLedger()
        let bar = ProgressDisplay(enabled: !quiet && isatty(STDERR_FILENO) == 1, total: contents.count, unit: "lines")
        let started = Date()
        do {
            var importer = Importer(ledger: ledger)
            importer.exclusiveBulkAppend = !shared
            importer.dryRun = dryRun
            let summary = try importer.run(contents, format: format, recordedAt: .now) { progress in
                bar.update(done: progress.bytesRead, count: progress.lines)
            }
            bar.finish()
            let seconds = max(Date().timeIntervalSince(started), 0.001)
            let would = dryRun ? "would be " : ""
            console.out("""
                \(dryRun ? "checked" : "imported") \(file): \(summary.lines) lines in \(String(format: "%.1f", seconds)) s (\(Int(Double(summary.lines) / seconds)) lines/s)
                  contacts: \(summary.contactsCreated) \(would)created, \(summary.contactsUpdated) \(would)updated
                  events: \(summary.events) \(would)recorded
                  organisation records: \(summary.organisationRecords) \(would)recorded
                  already in the ledger (stored once): \(summary.duplicates)
                  ledger entries: \(summary.firstSeq.map { "\($0) to \(summary.lastSeq!)" } ?? "none added")\(dryRun ? " (dry run: nothing was written)" : "")
                """)
        } catch let failed as Importer.Failed {
            bar.finish()
            for problem in failed.problems {
                console.err("\(file):\(problem.line)\(problem.column.map { ":\($0)" } ?? ""): \(problem.field.isEmpty ? "" : problem.field + ": ")\(problem.message)")
            }
            if failed.more > 0 { console.err("... and \(failed.more) more problems") }
            let count = failed.problems.count + failed.more
            console.err("\(dryRun ? "the import would be refused" : "nothing was imported"): \(count) problem\(count == 1 ? "" : "s") in \(file)")
            throw ExitCode(1)
        }
    }
}

extension Importer.Format: ExpressibleByArgument {}

/// A one-line progress display on standard error: percentage, count, rate and time left. Shown only
/// on a terminal; silent when output goes to a file or a pipe.
final class ProgressDisplay {
    let enabled: Bool
    let total: Int
    let unit: String
    let started = Date()

    init(enabled: Bool, total: Int, unit: String) {
        self.enabled = enabled
        self.total = total
        self.unit = unit
    }

    func update(done: Int, count: Int) {
        guard enabled, total > 0 else { return }
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        let fraction = min(Double(done) / Double(total), 1)
        let rate = Double(count) / elapsed
        let left = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = String(format: "\r[%@] %3.0f%%  %d %@  %.0f/s  %.0fs left ", bar, fraction * 100, count, unit, rate, left)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
