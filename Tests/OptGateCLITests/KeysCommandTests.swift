import ArgumentParser
import Foundation
import OptGateLedger
import Testing

@testable import OptGateCLI

/// `optgate keys`: keys are created with at least one known scope, listed, and revoked by id.
@Suite("keys")
struct KeysCommandTests {
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "optgate-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("create refuses no scope, an unknown scope, a rate below 1 and an empty name")
    func validation() {
        for arguments in [
            ["--name", "crm"], ["--name", "crm", "--scope", "events:read"], ["--name", "crm", "--scope", "admin", "--rate", "0"],
            ["--name", " ", "--scope", "admin"],
        ] {
            #expect(throws: (any Error).self, "\(arguments)") { _ = try KeysCommand.Create.parse(arguments) }
        }
        #expect((try? KeysCommand.Create.parse(["--name", "crm", "--scope", "events:write", "--scope", "decisions:read", "--rate", "50"])) != nil)
    }

    @Test("a key created by the command is stored as a digest with its scopes and rate; revoke marks it, once")
    func createAndRevoke() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try KeysCommand.Create.parse(["--data-dir", dir, "--name", "crm", "--scope", "events:write", "--rate", "50"]).run()
        let store = try KeysCommand.store(try DataDirectoryOption.parse(["--data-dir", dir]))
        let key = try #require(try store.keys().first)
        #expect(key.name == "crm")
        #expect(key.scopes == [.eventsWrite])
        #expect(key.ratePerSecond == 50)
        #expect(key.revokedAt == nil)
        #expect(key.secretDigest.count == 32)
        try KeysCommand.Revoke.parse(["--data-dir", dir, key.id]).run()
        #expect(try store.keys().first?.revokedAt != nil)
        #expect(throws: CLIError.self) { try KeysCommand.Revoke.parse(["--data-dir", dir, key.id]).run() }
        #expect(throws: CLIError.self) { try KeysCommand.Revoke.parse(["--data-dir", dir, "nosuchkey0"]).run() }
    }
}
