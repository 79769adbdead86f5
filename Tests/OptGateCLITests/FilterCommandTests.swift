import ArgumentParser
import Foundation
import OptGateCore
import OptGateLedger
import Testing

@testable import OptGateCLI

/// `optgate filter`: the campaign check from the command line, on the sample organisation.
@Suite("filter")
struct FilterCommandTests {
    /// A data directory holding the samples (acme-retail's customers Ann (GB) and Bob (IE)).
    static func setUp() throws -> String {
        let dir = NSTemporaryDirectory() + "optgate-filter-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../samples").standardized.path
        try ImportCommand.parse(["--data-dir", dir + "/data", "--quiet", samples + "/acme-organisation.ndjson"]).run()
        try ImportCommand.parse(["--data-dir", dir + "/data", "--quiet", samples + "/acme-events.csv"]).run()
        try #"{"from": "acme-retail", "channel": "email", "purpose": "marketing", "products": ["laptop-accessories"]}"#
            .write(toFile: dir + "/message.json", atomically: true, encoding: .utf8)
        try "email,name\nann.smith@example.com,Ann\nbob@example.org,Bob\nnobody@example.com,\nnot-an-email,\n"
            .write(toFile: dir + "/audience.csv", atomically: true, encoding: .utf8)
        return dir
    }

    func run(_ dir: String, _ extra: [String] = []) throws -> CapturingConsole {
        let command = try FilterCommand.parse(["--data-dir", dir + "/data", "--message", dir + "/message.json", dir + "/audience.csv",
                                               "--out", dir + "/out", "--at", "2026-03-01T10:00:00Z", "--public-url", "https://prefs.example.test"] + extra)
        let console = CapturingConsole()
        try FilterRun(command: command, console: console, interactive: false).run()
        return console
    }

    @Test("writes the send list with basis and RFC 8058 headers, the excluded list with reasons, and the summary")
    func outputs() throws {
        let dir = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let console = try run(dir, ["--campaign-id", "spring-2026", "--chunk", "1"])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(console.stdout.joined().utf8)) as? [String: Any])
        #expect(summary["recipients"] as? Int == 4 && summary["send"] as? Int == 2 && summary["excluded"] as? Int == 2)
        #expect(summary["by_basis"] as? [String: Int] == ["soft_opt_in": 2])
        #expect(summary["by_reason"] as? [String: Int] == ["recipient.invalid": 1, "recipient.unknown": 1])
        #expect(FileManager.default.contents(atPath: dir + "/out/summary.json") != nil)
        let send = try String(contentsOfFile: dir + "/out/send.csv", encoding: .utf8).split(separator: "\n")
        #expect(send.count == 3)
        #expect(send[1].hasPrefix("2,ann.smith@example.com,c-1001,soft_opt_in,"))
        #expect(send[1].contains(",<https://prefs.example.test/u/") && send[1].contains(",List-Unsubscribe=One-Click,https://prefs.example.test/u/"))
        let excluded = try String(contentsOfFile: dir + "/out/excluded.csv", encoding: .utf8).split(separator: "\n")
        #expect(excluded.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[3] } == ["recipient.unknown", "recipient.invalid"])
        // The pre-flight report: counts, the chart, samples with evidence, warnings; addresses masked.
        let report = try String(contentsOfFile: dir + "/out/report.html", encoding: .utf8)
        #expect(report.contains("<title>Pre-flight report: spring-2026</title>"))
        #expect(report.contains("<svg role=\"img\" aria-label=\"Exclusions by reason\""))
        #expect(report.contains("recipient.unknown") && report.contains("n***@example.com"))
        #expect(!report.contains("nobody@example.com") && !report.contains("ann.smith@example.com"))
        #expect(report.contains("are unknown to OptGate"))   // 1 of 4 unknown: more than 5 %
        // The link in the send list opens to this recipient, sender and campaign.
        let link = String(send[1].split(separator: ",")[9].split(separator: "/").last!)
        let ledger = try DataDirectoryOption.parse(["--data-dir", dir + "/data"]).directory.openLedger()
        let keys = try #require(ledger.store as? any LinkKeyStore)
        let token = LinkSealer(keys: try keys.linkKeys(), secret: ledger.secret, validityDays: 400).open(link, at: .now)
        #expect(token?.contactID == "c-1001" && token?.entity == "acme-retail" && token?.messageID == "spring-2026")
    }

    @Test("the check builds the timeline snapshot, reads contacts changed after it from the ledger, and says the same as --no-snapshot")
    func snapshot() throws {
        let dir = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = DataDirectory(option: dir + "/data")
        #expect(!FileManager.default.fileExists(atPath: data.snapshotPath))
        _ = try run(dir)
        #expect(FileManager.default.fileExists(atPath: data.snapshotPath))
        let before = try String(contentsOfFile: dir + "/out/excluded.csv", encoding: .utf8)
        // Ann opts out of email after the snapshot: the next check excludes her at once.
        try #"{"record": "event", "contact": "c-1001", "type": "opt_out", "at": "2026-02-20T09:00:00Z", "channels": ["email"], "via": "link"}"#
            .write(toFile: dir + "/optout.ndjson", atomically: true, encoding: .utf8)
        try ImportCommand.parse(["--data-dir", dir + "/data", "--quiet", dir + "/optout.ndjson"]).run()
        #expect(try data.openLedger().openSnapshot(path: data.snapshotPath).behind > 0)
        let fromSnapshot = try JSONSerialization.jsonObject(with: Data(try run(dir).stdout.joined().utf8)) as? [String: Any]
        let withSnapshot = try String(contentsOfFile: dir + "/out/excluded.csv", encoding: .utf8)
        #expect(withSnapshot != before && withSnapshot.contains("ann.smith@example.com"))
        #expect(fromSnapshot?["send"] as? Int == 1)
        _ = try run(dir, ["--no-snapshot"])
        #expect(try String(contentsOfFile: dir + "/out/excluded.csv", encoding: .utf8) == withSnapshot)
        // A damaged snapshot is rebuilt, not read.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: data.snapshotPath))
        bytes[bytes.count - 3] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: data.snapshotPath))
        let console = try run(dir)
        #expect(console.stderr.joined().contains("rebuilding it"))
        #expect(try String(contentsOfFile: dir + "/out/excluded.csv", encoding: .utf8) == withSnapshot)
    }

    @Test("a snapshot that cannot be written leaves the check to read the ledger, with a warning, and the same rows")
    func snapshotUnwritable() throws {
        let dir = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = DataDirectory(option: dir + "/data")
        _ = try run(dir, ["--no-snapshot"])
        let expected = try String(contentsOfFile: dir + "/out/excluded.csv", encoding: .utf8)
        // A directory where the snapshot file goes: it can be neither read nor replaced.
        try FileManager.default.createDirectory(atPath: data.snapshotPath + "/occupied", withIntermediateDirectories: true)
        let console = try run(dir)
        #expect(console.stderr.joined().contains("warning: the timeline snapshot could not be built"))
        #expect(try String(contentsOfFile: dir + "/out/excluded.csv", encoding: .utf8) == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/data").allSatisfy { !$0.contains(".partial-") })
        // The lists and the report name recipients: owner-only, like the ledger.
        for name in ["send.csv", "excluded.csv", "summary.json", "report.html"] {
            #expect(try FileManager.default.attributesOfItem(atPath: dir + "/out/" + name)[.posixPermissions] as? Int == 0o600, "\(name)")
        }
        #expect(try FileManager.default.attributesOfItem(atPath: dir + "/out")[.posixPermissions] as? Int == 0o700)
    }

    @Test("--record keeps the check in the ledger once per campaign id, with its counts and the SHA-256 of the lists it wrote; --record needs a campaign id")
    func record() throws {
        let dir = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: (any Error).self) { _ = try FilterCommand.parse(["--message", "m.json", "a.csv", "--record"]) }
        let base = ["--data-dir", dir + "/data", "--message", dir + "/message.json", dir + "/audience.csv", "--out", dir + "/out",
                    "--campaign-id", "spring-2026", "--record"]
        let first = CapturingConsole()
        try FilterRun(command: try FilterCommand.parse(base), console: first, interactive: false).run()
        #expect(first.stdout.joined().contains("\"recorded_seq\""))
        // The lists' digests, as `sha256sum` gives them, are in the summary and in the record.
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.joined().utf8)) as? [String: Any])
        let sendDigest = try Self.sha256sum(dir + "/out/send.csv")
        let excludedDigest = try Self.sha256sum(dir + "/out/excluded.csv")
        #expect(summary["send_file_sha256"] as? String == sendDigest)
        #expect(summary["excluded_file_sha256"] as? String == excludedDigest)
        for name in ["send.csv", "excluded.csv"] { try FileManager.default.copyItem(atPath: dir + "/out/" + name, toPath: dir + "/first-" + name) }
        let second = CapturingConsole()
        try FilterRun(command: try FilterCommand.parse(base), console: second, interactive: false).run()
        #expect(second.stdout.joined().contains("\"already_recorded_seq\""))
        let ledger = try DataDirectoryOption.parse(["--data-dir", dir + "/data"]).directory.openLedger()
        let recorded = try #require(try ledger.campaign(id: "spring-2026"))
        #expect(recorded.record.recipients == 4 && recorded.record.send + recorded.record.excluded == 4)
        #expect(recorded.record.byReason["recipient.unknown"] == 1 && recorded.record.message.from == "acme-retail")
        #expect(recorded.record.sendListSHA256 == sendDigest && recorded.record.excludedListSHA256 == excludedDigest)
        // The second check sealed new links: its list is another file, and the record keeps the first's.
        #expect(try Self.sha256sum(dir + "/out/send.csv") != sendDigest)
        // `optgate campaign show` prints the record and tells the lists apart.
        let show = CapturingConsole()
        let check = try CampaignCommand.Show.parse(["--data-dir", dir + "/data", "spring-2026", "--send", dir + "/out/send.csv"])
        #expect(try check.run(console: show) == false)
        #expect(show.stderr.joined().contains("does NOT match the send list recorded at ledger entry \(recorded.seq)"))
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.joined().utf8)) as? [String: Any])
        #expect(shown["seq"] as? Int == Int(recorded.seq) && shown["send_list_sha256"] as? String == sendDigest)
        let firstLists = CapturingConsole()
        let firstCheck = try CampaignCommand.Show.parse([
            "--data-dir", dir + "/data", "spring-2026", "--send", dir + "/first-send.csv", "--excluded", dir + "/first-excluded.csv",
        ])
        #expect(try firstCheck.run(console: firstLists) == true)
        #expect(firstLists.stderr.filter { $0.contains(": matches the") }.count == 2, "\(firstLists.stderr)")
        #expect(throws: CLIError.self) { try CampaignCommand.Show.parse(["--data-dir", dir + "/data", "autumn"]).run(console: CapturingConsole()) }
        #expect(try ledger.verify().isValid)
    }

    /// What `sha256sum FILE` prints for the file, as a user would check a list against its record.
    static func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }

    @Test("the report warns about a message without an opt-out and a product with no similarity assessment")
    func warnings() throws {
        let dir = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"from": "acme-retail", "channel": "email", "purpose": "marketing", "products": ["holiday-packages"], "includes_opt_out": false}"#
            .write(toFile: dir + "/message.json", atomically: true, encoding: .utf8)
        _ = try run(dir)
        let report = try String(contentsOfFile: dir + "/out/report.html", encoding: .utf8)
        #expect(report.contains("The message carries no opt-out"))
        #expect(report.contains("Product holiday-packages has no documented similarity assessment"))
    }

    @Test("a bad message, a missing file and an audience without a recipient column are named errors")
    func errors() throws {
        let dir = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"from": "nobody", "channel": "email", "purpose": "marketing"}"#.write(toFile: dir + "/message.json", atomically: true, encoding: .utf8)
        #expect { try run(dir) } throws: { "\($0)".contains("message.json:1:") && "\($0)".contains("nobody") }
        try #"{"from": "acme-retail", "channel": "email", "purpose": "marketing"}"#.write(toFile: dir + "/message.json", atomically: true, encoding: .utf8)
        try "name\nAnn\n".write(toFile: dir + "/audience.csv", atomically: true, encoding: .utf8)
        #expect { try run(dir) } throws: { "\($0)".contains("audience.csv:1: ") && "\($0)".contains("email, phone, contact") }
        try FileManager.default.removeItem(atPath: dir + "/audience.csv")
        #expect { try run(dir) } throws: { "\($0)".contains("no such file") }
    }
}
