import ArgumentParser
import Foundation
import OptGateCore
import OptGateLedger
import Testing

@testable import OptGateCLI

/// `optgate demo`: fills an empty ledger, writes the audience file, and refuses a ledger that has
/// entries.
@Suite("demo command")
struct DemoCommandTests {
    static let recordedAt = Timestamp(year: 2026, month: 12, day: 1, hour: 9)!

    @Test("refuses no contacts, too many, an unknown share outside 0..<1, an unknown audience key, a bad --now, audience options without --audience")
    func validation() {
        for arguments in [
            ["--contacts", "0"], ["--contacts", "5000001"], ["--contacts", "10", "--audience", "a.csv", "--unknown-share", "1"],
            ["--contacts", "10", "--audience", "a.csv", "--unknown-share", "-0.1"], ["--contacts", "10", "--audience", "a.csv", "--audience-by", "fax"],
            ["--contacts", "10", "--now", "yesterday"], [], ["--contacts", "10", "--audience-by", "phone"],
            ["--contacts", "10", "--unknown-share", "0.1"],
        ] {
            #expect(throws: (any Error).self, "\(arguments)") { _ = try DemoCommand.parse(arguments) }
        }
        #expect((try? DemoCommand.parse(["--contacts", "10", "--seed", "7", "--audience", "a.csv", "--audience-by", "phone"])) != nil)
    }

    @Test("fills an empty ledger, writes the audience, and refuses to run again on the same ledger")
    func fillsThenRefuses() throws {
        try withTemporaryDirectory { dir in
            let data = dir.appendingPathComponent("data").path
            let audience = dir.appendingPathComponent("audience.csv").path
            let console = CapturingConsole()
            try DemoCommand.parse(["--data-dir", data, "--contacts", "300", "--seed", "3", "--audience", audience])
                .execute(console: console, recordedAt: Self.recordedAt)
            let output = console.stdout.joined(separator: "\n")
            #expect(output.contains("contacts: 300 in"), "\(output)")
            #expect(output.contains("  details_collected: "))
            #expect(output.contains("audience: \(audience), 316 rows by email (16 match no contact)"))

            let lines = try String(contentsOfFile: audience, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first == "email")
            #expect(lines.last == "")  // ends with a newline
            #expect(lines.count == 1 + 316 + 1)
            #expect(lines.dropFirst().dropLast().allSatisfy { $0.hasSuffix("example.test") })
            #expect(lines.filter { $0.hasPrefix("nobody") }.count == 16)

            let ledger = try DataDirectory(option: data).openLedger()
            let entries = try ledger.store.read { try $0.entryCount() }
            #expect(entries > 300)
            // Contact 7 is reachable by its email, or suppressed if the demo erased it.
            let email = DemoContacts(count: 300, seed: 3).profile(7).identifiers[0]
            #expect(try ledger.contactID(for: email) == "d-0000007" || ledger.isSuppressed(email))

            let again = CapturingConsole()
            let error = #expect(throws: CLIError.self) {
                try DemoCommand.parse(["--data-dir", data, "--contacts", "10"]).execute(console: again, recordedAt: Self.recordedAt)
            }
            #expect(error?.description.contains("already holds a ledger with \(entries) entries") == true)
            #expect(error?.description.contains("--data-dir") == true)
            #expect(again.stdout.isEmpty)

            // An audience path that cannot be written fails before anything is written.
            let empty = dir.appendingPathComponent("empty").path
            let unwritable = #expect(throws: CLIError.self) {
                try DemoCommand.parse(["--data-dir", empty, "--contacts", "10", "--audience", dir.appendingPathComponent("no/such/dir.csv").path])
                    .execute(console: CapturingConsole(), recordedAt: Self.recordedAt)
            }
            #expect(unwritable?.description.contains("cannot write the audience file") == true)
            #expect(try DataDirectory(option: empty).openLedger().store.read { try $0.entryCount() } == 0)
            #expect(try ledger.store.read { try $0.entryCount() } == entries)
        }
    }

    @Test("the same seed writes the same audience file; by contact id, the rows are contact ids")
    func audienceByContact() throws {
        try withTemporaryDirectory { dir in
            var files: [String] = []
            for run in 0..<2 {
                let path = dir.appendingPathComponent("audience-\(run).csv").path
                try DemoCommand.parse([
                    "--data-dir", dir.appendingPathComponent("data-\(run)").path, "--contacts", "120", "--seed", "9",
                    "--audience", path, "--audience-by", "contact", "--unknown-share", "0.1",
                ]).execute(console: CapturingConsole(), recordedAt: Self.recordedAt)
                files.append(try String(contentsOfFile: path, encoding: .utf8))
            }
            #expect(files[0] == files[1])
            let rows = files[0].split(separator: "\n").dropFirst()
            #expect(files[0].hasPrefix("contact\n"))
            #expect(rows.count == 120 + 13)
            #expect(rows.filter { $0.hasPrefix("d-") }.count == 120)
            #expect(rows.filter { $0.hasPrefix("x-") }.count == 13)
        }
    }
}
