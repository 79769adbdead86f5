import ArgumentParser
import Foundation
import GRDB
import OptGateCore
import OptGateLedger
import OptGateSQLite
import Testing

@testable import OptGateCLI

/// `optgate backup`: a copy of the data directory that is a data directory of its own, checked
/// before it is put in place.
@Suite("backup")
struct BackupCommandTests {
    /// A data directory holding the samples, with Bob (c-1002) erased.
    static func setUp() throws -> String {
        let dir = NSTemporaryDirectory() + "optgate-backup-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../samples").standardized.path
        try ImportCommand.parse(["--data-dir", dir + "/data", "--quiet", samples + "/acme-organisation.ndjson"]).run()
        try ImportCommand.parse(["--data-dir", dir + "/data", "--quiet", samples + "/acme-events.csv"]).run()
        try EraseCommand.parse(["--data-dir", dir + "/data", "c-1002", "--yes"]).run()
        return dir
    }

    func backup(_ dir: String, to target: String, _ extra: [String] = []) throws -> CapturingConsole {
        let console = CapturingConsole()
        try BackupCommand.parse(["--data-dir", dir + "/data", target] + extra).run(console: console, interactive: false)
        return console
    }

    @Test("the copy is a data directory of its own: same chain, same decisions, the erased person still suppressed; owner-only permissions")
    func copy() throws {
        let dir = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let console = try backup(dir, to: dir + "/copy")
        let summary = console.stdout.joined(separator: "\n")
        #expect(summary.contains("verified:"), "\(summary)")

        let original = try DataDirectory(option: dir + "/data").openLedger()
        let copy = try DataDirectory(option: dir + "/copy").openLedger()
        let (before, after) = (try original.verify(), try copy.verify())
        #expect(after.isValid && after.entries == before.entries && after.headHash == before.headHash)
        #expect(summary.contains("\(before.entries) entries, chain head \(before.headHash.prefix(16))"))
        let bob = try Identifier.email("bob@example.org")
        #expect(try copy.contactID(for: bob) == nil)
        #expect(try copy.isSuppressed(bob))
        let at = try Timestamp(rfc3339: "2026-03-01T10:00:00Z")
        let message = Message(from: "acme-retail", channel: .email, purpose: .marketing, products: ["laptop-accessories"])
        for contact in ["c-1001", "c-1003"] {
            let decision = try original.history(contactID: contact).decide(message, at: at)
            #expect(try copy.history(contactID: contact).decide(message, at: at) == decision)
        }
        let files = FileManager.default
        #expect(Set(try files.contentsOfDirectory(atPath: dir + "/copy")).isSuperset(of: ["ledger.sqlite", "secret.key"]))
        #expect(files.contents(atPath: dir + "/copy/secret.key") == files.contents(atPath: dir + "/data/secret.key"))
        #expect(try files.attributesOfItem(atPath: dir + "/copy")[.posixPermissions] as? Int == 0o700)
        #expect(try files.attributesOfItem(atPath: dir + "/copy/secret.key")[.posixPermissions] as? Int == 0o600)
        #expect(try files.attributesOfItem(atPath: dir + "/copy/ledger.sqlite")[.posixPermissions] as? Int == 0o600)
        #expect(try files.contentsOfDirectory(atPath: dir).filter { $0.contains(".partial-") }.isEmpty)
    }

    @Test("an existing destination, a missing parent, or no ledger is refused, naming the path, and nothing is written")
    func refusals() throws {
        let dir = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/taken", withIntermediateDirectories: false)
        for (target, data, says) in [
            (dir + "/taken", dir + "/data", "exists"), (dir + "/no/such/copy", dir + "/data", "is not a directory"),
            (dir + "/copy", dir + "/empty", "does not exist"),
        ] {
            let error = #expect(throws: CLIError.self) {
                try BackupCommand.parse(["--data-dir", data, target]).run(console: CapturingConsole(), interactive: false)
            }
            #expect(error?.description.contains(says) == true, "\(error?.description ?? "")")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/taken").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["data", "taken"])
    }

    @Test("a ledger altered behind OptGate's back gives no backup: the copy fails verification at the altered entry, and no directory is left")
    func alteredLedger() throws {
        let dir = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let queue = try DatabaseQueue(path: dir + "/data/ledger.sqlite")
        try queue.write { db in try db.execute(sql: "UPDATE ledger SET body = replace(body, 'laptops', 'tablets') WHERE seq = 12") }
        try queue.close()
        let error = #expect(throws: CLIError.self) { try backup(dir, to: dir + "/copy") }
        #expect(error?.description.contains("fails verification at entry 12") == true, "\(error?.description ?? "")")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["data"])
        // --no-verify skips the chain (SQLite's structural check still runs): the copy is made.
        let console = try backup(dir, to: dir + "/copy", ["--no-verify"])
        #expect(console.stdout.joined().contains("hash chain not verified"))
    }
}
