import ArgumentParser
import Foundation
import OptGateCore
import OptGateLedger
import OptGateScenario
import OptGateServer

/// `optgate filter --message MESSAGE.json AUDIENCE.csv`: the campaign check.
public struct FilterCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Check a campaign's audience: who may be sent this message, on which basis, and who not, and why.",
        discussion: """
            MESSAGE.json is the scenario contract's message (from, channel, purpose, products, ...). \
            AUDIENCE.csv has a header with one of the columns email, phone (E.164, or national with a \
            country column) or contact. Writes, in --out: report.html (the pre-flight report: counts, a chart \
            of exclusions by reason, samples with their evidence, warnings), send.csv (recipients to send to, with basis, \
            requirements, valid_until and, for email, the RFC 8058 List-Unsubscribe headers and the \
            footer links; the list an email or SMS platform imports), excluded.csv (every other \
            recipient with its reason codes) and summary.json. The audience is read as a stream: memory \
            stays bounded whatever its size. Progress is shown on a terminal; otherwise the summary is \
            printed as JSON on standard output.
            """
    )

    @OptionGroup public var data: DataDirectoryOption
    @Option(name: .long, help: "The message (JSON: the scenario contract's message).") public var message: String
    @Argument(help: "The audience (CSV with an email, phone or contact column).") public var audience: String
    @Option(name: .long, help: "Directory for send.csv, excluded.csv and summary.json (default ./campaign-check).")
    public var out: String = "campaign-check"
    @Option(name: .long, help: "Decide as of this moment (RFC 3339; default now).") public var at: String?
    @Option(name: .long, help: "The campaign's id, sealed into each recipient's unsubscribe link.") public var campaignId: String?
    @Option(name: .long, help: "Address people reach `optgate serve` at, for the links (default: public_url of the data directory's optgate.json or OPTGATE_PUBLIC_URL, else http://127.0.0.1:8080).")
    public var publicUrl: String?
    @Option(name: .long, help: "Audience lines per chunk; each core judges one chunk at a time.") public var chunk: Int = 8192
    @Flag(name: .long, help: "Record the check in the ledger as the campaign's evidence: message, recipients, counts, rule sets (needs --campaign-id; once per campaign).")
    public var record = false
    @Flag(name: .long, help: "Read every recipient from the ledger itself, not from the timeline snapshot (slower; for comparison).")
    public var noSnapshot = false
    @Flag(name: .long, help: "No progress display.") public var quiet = false

    public init() {}

    public func validate() throws {
        if chunk < 1 || chunk > 1_000_000 { throw ValidationError("--chunk must be 1 to 1000000") }
        if let campaignId, campaignId.isEmpty || campaignId.utf8.count > 200 { throw ValidationError("--campaign-id must be 1 to 200 bytes") }
        if record && campaignId == nil { throw ValidationError("--record needs --campaign-id: a campaign is recorded under its id") }
        if record && at != nil { throw ValidationError("--record checks the campaign as of now: leave out --at") }
    }

    public func run() throws {
        try FilterRun(command: self, console: StandardConsole(), interactive: isatty(STDERR_FILENO) == 1 && !quiet).run()
    }
}

/// One run of the campaign check (the command's work, testable with a capturing console).
struct FilterRun {
    /// Writes `data` to `path`, readable by its owner only (a file that existed gets that mode too:
    /// `createFile` keeps an existing file's).
    static func writeOwnerOnly(_ data: Data, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("\(path): cannot be written")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    let command: FilterCommand
    let console: any Console
    let interactive: Bool

    func run() throws {
        let started = Date()
        let ledger = try command.data.directory.openLedger()
        let now = try command.at.map { text in
            do { return try Timestamp(rfc3339: text) } catch { throw ValidationError("--at: \(error)") }
        } ?? Timestamp.now
        let message = try readMessage(ledger)
        guard FileManager.default.fileExists(atPath: command.audience) else { throw CLIError("\(command.audience): no such file") }
        // Mapped, not read: the audience may be gigabytes. An empty file has nothing to map.
        let empty = (try? FileManager.default.attributesOfItem(atPath: command.audience)[.size] as? NSNumber)?.intValue == 0
        let mapped: MappedFile?
        do { mapped = empty ? nil : try MappedFile(path: command.audience) } catch { throw CLIError(error.description) }
        let contents = mapped?.data ?? Data()
        let reader: AudienceReader
        do { reader = try AudienceReader(data: contents) } catch { throw CLIError("\(command.audience):\(error.line): \(error.message)") }
        let (links, insecureLinkBase) = try linkMaker(ledger, message: message, now: now)

        // The lists and the report name recipients: readable by their owner only, like the ledger.
        try FileManager.default.createDirectory(atPath: command.out, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let sendFile = try OutputFile(path: command.out + "/send.csv")
        let excludedFile = try OutputFile(path: command.out + "/excluded.csv")
        try sendFile.write(CampaignRows.header(CampaignRows.sendHeader))
        try excludedFile.write(CampaignRows.header(CampaignRows.excludedHeader))

        var snapshot: TimelineSnapshot?
        if !command.noSnapshot {
            // The snapshot only makes the check faster: if it cannot be built (a read-only data
            // directory, a full disk), the check reads every recipient from the ledger instead.
            do {
                snapshot = try SnapshotRefresh(data: command.data.directory, console: console, interactive: interactive).current(ledger)
            } catch {
                console.err("warning: the timeline snapshot could not be built (\(error)): reading every recipient from the ledger, more slowly")
            }
        }
        let filter = CampaignFilter(ledger: ledger, message: message, at: now, snapshot: snapshot)
        var summary = CampaignSummary()
        var samples = CampaignSamples()
        let bar = ProgressDisplay(enabled: interactive, total: contents.count, unit: "recipients")
        var firstOutput: Double?
        var pass = CampaignPass(filter: filter, audience: reader, rowsPerChunk: command.chunk) { verdict, out in
            CampaignRows.appendSend(verdict, links: try links(verdict), now: now, to: &out)
        }
        while let batch = try pass.next() {
            for part in batch.send { try sendFile.write(part) }
            for part in batch.excluded { try excludedFile.write(part) }
            summary.merge(batch.summary)
            samples.merge(batch.samples)
            if firstOutput == nil { firstOutput = Date().timeIntervalSince(started) }
            bar.update(done: batch.bytesRead, count: summary.recipients)
            mapped?.release(before: batch.bytesRead)
        }
        try sendFile.close()
        try excludedFile.close()
        bar.finish()

        let seconds = max(Date().timeIntervalSince(started), 0.000_001)
        let w = JSONWriter(pretty: true)
        var members: [(String, String)] = [
            ("audience", JSONWriter.quoted(command.audience)), ("message", MessageEncoder.json(message)),
            ("at", JSONWriter.quoted(now.rfc3339)),
        ]
        if let id = command.campaignId { members.append(("campaign_id", JSONWriter.quoted(id))) }
        members += summary.members
        members += [("send_file_sha256", JSONWriter.quoted(sendFile.sha256)), ("excluded_file_sha256", JSONWriter.quoted(excludedFile.sha256))]
        if command.record, let id = command.campaignId {
            let record = CampaignRecord(
                campaignID: id, checkedAt: now, message: message, summary: summary,
                sendListSHA256: sendFile.sha256, excludedListSHA256: excludedFile.sha256)
            let outcome = try ledger.record(record, recordedAt: now)
            switch outcome {
            case .appended(let seq): members.append(("recorded_seq", String(seq)))
            case .duplicate(let seq):
                members.append(("already_recorded_seq", String(seq)))
                console.err("campaign \(id) was already recorded (ledger entry \(seq)); this check was not recorded again")
            }
        }
        members += [
            ("seconds", String(format: "%.3f", seconds)), ("recipients_per_second", String(Int(Double(summary.recipients) / seconds))),
            ("seconds_to_first_output", String(format: "%.3f", firstOutput ?? seconds)),
            ("send_file", JSONWriter.quoted(command.out + "/send.csv")), ("excluded_file", JSONWriter.quoted(command.out + "/excluded.csv")),
        ]
        members.append(("report_file", JSONWriter.quoted(command.out + "/report.html")))
        let json = w.object(members)
        try Self.writeOwnerOnly(Data((json + "\n").utf8), to: command.out + "/summary.json")
        var warnings = CampaignWarning.about(message, catalogue: try ledger.organisationHistory().organisation(at: now).catalogue)
        if summary.recipients > 0, Double(summary.unknown) / Double(summary.recipients) > 0.05 {
            warnings.append(.manyUnknown(summary.unknown, of: summary.recipients))
        }
        if summary.lapsingWithin30Days > 0 { warnings.append(.lapsing(summary.lapsingWithin30Days)) }
        if let base = insecureLinkBase { warnings.append(.insecureLinks(base)) }
        let report = PreflightReport(campaignID: command.campaignId, message: message, at: now, summary: summary, samples: samples, warnings: warnings)
        try Self.writeOwnerOnly(Data(report.html().utf8), to: command.out + "/report.html")
        if interactive {
            console.out(humanSummary(summary, seconds: seconds))
        } else {
            console.out(json)
        }
    }

    private func readMessage(_ ledger: Ledger) throws -> Message {
        guard let bytes = FileManager.default.contents(atPath: command.message) else { throw CLIError("\(command.message): no such file") }
        let value: JSONValue
        do { value = try JSONParser.parse(Array(bytes)) } catch {
            throw CLIError("\(command.message):\(error.position.line):\(error.position.column): invalid JSON: \(error.message)")
        }
        let organisation = try ledger.organisationHistory()
        let d = Diagnostics()
        guard let message = ScenarioDecoder.message(value, path: "", entityIDs: organisation.entityIDs, productIDs: organisation.productIDs, d),
              d.isEmpty
        else {
            throw CLIError(d.problems.map { problem in
                "\(command.message):\(problem.position.map { "\($0.line):\($0.column):" } ?? "") \(problem.path.isEmpty ? "" : problem.path.drop { $0 == "." } + ": ")\(problem.message)"
            }.joined(separator: "\n"))
        }
        return message
    }

    /// Seals each recipient's links (email and texts; other channels carry none).
    /// Also the links' base when it is not HTTPS for an email (a warning for the report).
    private func linkMaker(_ ledger: Ledger, message: Message, now: Timestamp) throws -> (@Sendable (CampaignVerdict) throws -> MessageLinks?, String?) {
        guard message.channel == .email || message.channel == .sms else { return ({ _ in nil }, nil) }
        guard let keys = ledger.store as? any LinkKeyStore else { return ({ _ in nil }, nil) }
        var settings = ServerConfiguration()
        let environment = ProcessInfo.processInfo.environment
        if let bytes = FileManager.default.contents(atPath: command.data.directory.path + "/optgate.json") {
            try? settings.apply(configFile: Array(bytes), path: "optgate.json")
        }
        try? settings.apply(environment: environment)
        if let url = command.publicUrl {
            do { try settings.set("public_url", to: url, source: "--public-url") } catch { throw ValidationError("\(error)") }
        }
        let base = settings.linkBase
        let insecure = message.channel == .email && !base.lowercased().hasPrefix("https://")
        if insecure {
            console.err("warning: links use \(base), not https: mailbox providers require an HTTPS List-Unsubscribe URI (RFC 8058); set --public-url")
        }
        let sealer = LinkSealer(keys: try keys.linkKeysCreatingFirst(secret: ledger.secret, at: now), secret: ledger.secret,
                                validityDays: settings.linkValidityDays)
        let entity = message.from
        let channel = message.channel
        let campaign = command.campaignId
        return ({ verdict in
            guard let contact = verdict.contactID else { return nil }
            let link = try sealer.seal(LinkToken(contactID: contact, entity: entity, messageID: campaign, channel: channel, issuedAt: now))
            return MessageLinks(base: base, sealed: link, channel: channel)
        }, insecure ? base : nil)
    }

    private func humanSummary(_ s: CampaignSummary, seconds: Double) -> String {
        var lines = [
            "\(s.recipients) recipients checked in \(String(format: "%.1f", seconds)) s (\(Int(Double(s.recipients) / seconds))/s)",
            "  send: \(s.send)" + (s.byBasis.isEmpty ? "" : "  (" + s.byBasis.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"),
            "  excluded: \(s.excluded)",
        ]
        for (code, count) in s.byReason.sorted(by: { $0.value > $1.value }) { lines.append("    \(code): \(count)") }
        if s.lapsingWithin30Days > 0 { lines.append("  soft opt-ins lapsing within 30 days: \(s.lapsingWithin30Days)") }
        lines.append("  written: \(command.out)/send.csv, excluded.csv, summary.json, report.html (the pre-flight report)")
        return lines.joined(separator: "\n")
    }
}

/// A file written through a buffer (the outputs can hold millions of rows), and the SHA-256 of what
/// was written. A failed write (a full disk) is an error naming the file, not a crash.
final class OutputFile {
    private let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var digest = CampaignListDigest()
    /// The SHA-256 (hex) of the file's bytes, once closed.
    private(set) var sha256 = ""

    init(path: String) throws {
        self.path = path
        try FilterRun.writeOwnerOnly(Data(), to: path)
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity(1 << 17)
    }

    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) throws {
        if bytes.count >= 1 << 16 {
            try flush()
            try put(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        try put(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func put(_ bytes: [UInt8]) throws {
        digest.update(bytes)
        do { try handle.write(contentsOf: bytes) } catch { throw CLIError("\(path): cannot be written: \(error.localizedDescription)") }
    }

    func close() throws {
        try flush()
        try handle.close()
        sha256 = digest.hex()
    }
}
