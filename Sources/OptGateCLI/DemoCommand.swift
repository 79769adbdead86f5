import ArgumentParser
import Foundation
import OptGateCore
import OptGateLedger

/// `optgate demo --contacts N`: a realistic synthetic organisation in an empty ledger, for trying
/// OptGate and for benchmarks. Deterministic by seed.
public struct DemoCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill an empty ledger with a synthetic organisation and N contacts (deterministic by seed).",
        discussion: """
            Writes a retailer and a travel company of one group, an insurance partner and a charity, \
            a catalogue with similarity assessments, a policy and consent notices, then N contacts in \
            GB, IE, DE, US and CA with two years of sales, negotiations, consents of every method, \
            opt-outs and pauses, register listings, privacy signals and sends; a few are erased. The \
            same seed writes the same records. Only an empty ledger is filled. --audience also writes \
            a CSV of the contacts in a shuffled order, with a share of rows that match no contact. \
            See docs/demo.md.
            """
    )

    @OptionGroup public var data: DataDirectoryOption

    @Option(name: .long, help: "How many contacts to generate (1 to 5000000).")
    public var contacts: Int

    @Option(name: .long, help: "The seed: the same seed writes the same records.")
    public var seed: UInt64 = 1

    @Option(name: .long, help: "The end of the two years of history (RFC 3339; default 2026-12-01T00:00:00Z).")
    public var now: String?

    @Option(name: .long, help: "Also write an audience CSV here: one row per contact, shuffled, plus unknown rows.")
    public var audience: String?

    @Option(name: .customLong("audience-by"), help: "What the audience rows name: email, phone or contact (default: email).")
    public var audienceBy: DemoAudience.Key?

    @Option(name: .customLong("unknown-share"), help: "The share of audience rows that match no contact, 0 to below 1 (default: 0.05).")
    public var unknownShare: Double?

    @Flag(name: .long, help: "No progress display.")
    public var quiet = false

    public init() {}

    public func validate() throws {
        guard (1...DemoContacts.maximumCount).contains(contacts) else {
            throw ValidationError("--contacts must be between 1 and \(DemoContacts.maximumCount) (got \(contacts))")
        }
        if let unknownShare, !(unknownShare >= 0 && unknownShare < 1) {
            throw ValidationError("--unknown-share must be at least 0 and below 1 (got \(unknownShare))")
        }
        if audience == nil, audienceBy != nil || unknownShare != nil {
            throw ValidationError("--audience-by and --unknown-share describe the audience file: add --audience FILE")
        }
        if let now, (try? Timestamp(rfc3339: now)) == nil {
            throw ValidationError("--now must be an RFC 3339 time such as 2026-12-01T00:00:00Z (got \"\(now)\")")
        }
    }

    public func run() throws {
        try execute(console: StandardConsole(), progress: !quiet && isatty(STDERR_FILENO) == 1)
    }

    /// Runs the command against a console; `progress` shows the progress line on standard error.
    func execute(console: Console, progress: Bool = false, recordedAt: Timestamp = .now) throws {
        let instant = try now.map { try Timestamp(rfc3339: $0) } ?? DemoContacts.defaultNow
        let generator = DemoContacts(count: contacts, seed: seed, now: instant)
        let ledger = try data.directory.openLedger()
        let existing = try ledger.store.read { try $0.entryCount() }
        guard existing == 0 else {
            throw CLIError("\(data.directory.path) already holds a ledger with \(existing) entries: optgate demo fills only an empty ledger; choose a new --data-dir")
        }
        // The audience file is opened first, so that a path that cannot be written fails before
        // the ledger is filled.
        let audienceFile = try audience.map { path in
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw CLIError("cannot write the audience file \(path)")
            }
            return handle
        }
        defer { try? audienceFile?.close() }
        let bar = ProgressDisplay(enabled: progress, total: contacts, unit: "contacts")
        let started = Date()
        let summary = try ledger.writeDemo(generator, recordedAt: recordedAt) { done in bar.update(done: done, count: done) }
        bar.finish()
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        let organisation = generator.organisation
        var lines = [
            "demo organisation: \(organisation.entities.count) entities, \(organisation.products.count) products, 1 policy, \(organisation.notices.count) notices (seed \(seed), now \(instant.rfc3339))",
            "contacts: \(summary.contacts) in \(String(format: "%.1f", seconds)) s (\(Int(Double(summary.contacts) / seconds)) contacts/s, \(Int(Double(summary.entries) / seconds)) ledger entries/s)",
            "events: \(summary.events)",
        ]
        for (type, count) in summary.eventsByType.sorted(by: { $0.key < $1.key }) { lines.append("  \(type): \(count)") }
        lines.append("erased: \(summary.erased)")
        lines.append("ledger entries: \(summary.entries)")
        if let audience, let audienceFile {
            let key = audienceBy ?? .email
            let file = DemoAudience(contacts: generator, key: key, unknownShare: unknownShare ?? 0.05)
            try write(file, to: audienceFile)
            lines.append("audience: \(audience), \(file.rowCount) rows by \(key.rawValue) (\(file.unknownCount) match no contact)")
        }
        lines.forEach(console.out)
    }

    /// Writes the audience CSV in chunks: constant memory whatever its size.
    private func write(_ audience: DemoAudience, to handle: FileHandle) throws {
        var buffer = Data((audience.header + "\n").utf8)
        for row in audience {
            buffer.append(contentsOf: row.value.utf8)
            buffer.append(0x0A)
            if buffer.count >= 1 << 16 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
    }
}

extension DemoAudience.Key: ExpressibleByArgument {}
