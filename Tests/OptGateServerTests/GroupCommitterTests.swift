import Foundation
import Hummingbird
import OptGateCore
import OptGateLedger
import Testing

@testable import OptGateServer

@Suite("Group commit")
struct GroupCommitterTests {
    /// A contact profile record for `id`.
    static func contact(_ id: String) -> ImportItem { .contact(ContactDraft(id: id, jurisdiction: JurisdictionCode("GB"))) }

    /// Waits (up to 10 s) until `condition` holds.
    static func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<1000 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }

    @Test("writes that arrive while the writer is busy are committed together, in one transaction")
    func groups() async throws {
        let server = try TestServer()
        let committer = server.services.committer
        committer.isHeld = true
        let writes = (0..<41).map { i in
            Task { try await committer.write { session, recorder in try recorder.record(Self.contact("c-\(i)"), in: &session).outcome } }
        }
        try await Self.waitUntil { committer.queued == 41 }
        committer.isHeld = false
        for task in writes { _ = try await task.value }
        #expect(server.head == 41)
        let metrics = String(decoding: server.services.metrics.exposition(), as: UTF8.self)
        #expect(metrics.contains("optgate_group_commits_total 1"))
        #expect(metrics.contains("optgate_committed_requests_total 41"))
        #expect(try server.ledger.verify().isValid)
    }

    @Test("a request whose records are refused fails alone: the rest of its group is committed")
    func failureIsolated() async throws {
        let server = try TestServer()
        let committer = server.services.committer
        committer.isHeld = true
        let tasks = (1...9).map { i in
            Task { () -> Bool in
                do {
                    _ = try await committer.write { session, recorder in
                        // Every third request names a contact that does not exist.
                        let item: ImportItem = i % 3 == 0
                            ? .event(.id("ghost"), Event(id: "e-\(i)", at: TestServer.now, .optOut(OptOut(via: .link))), nil)
                            : Self.contact("c-\(i)")
                        return try recorder.record(item, in: &session).outcome
                    }
                    return true
                } catch LedgerError.unknownContact("ghost") {
                    return false
                }
            }
        }
        try await Self.waitUntil { committer.queued == 9 }
        committer.isHeld = false
        var succeeded: [Int: Bool] = [:]
        for (i, task) in zip(1...9, tasks) { succeeded[i] = try await task.value }
        #expect(succeeded.filter { !$0.value }.keys.sorted() == [3, 6, 9])
        #expect(server.head == 6)
        #expect(try server.ledger.verify().isValid)
    }

    @Test("shutdown commits every write already queued, then refuses new ones")
    func shutdown() async throws {
        let server = try TestServer()
        let committer = GroupCommitter(ledger: server.ledger, clock: { TestServer.now })
        committer.isHeld = true
        let queued = (1...5).map { i in
            Task { try await committer.write { session, recorder in try recorder.record(Self.contact("c-\(i)"), in: &session).outcome } }
        }
        try await Self.waitUntil { committer.queued == 5 }
        let stopper = Task { await committer.shutdown() }
        try await Self.waitUntil { committer.isStopping }
        committer.isHeld = false
        await stopper.value
        for task in queued { _ = try await task.value }
        #expect(server.head == 5)
        await #expect(throws: GroupCommitter.ShuttingDown.self) {
            try await committer.write { session, recorder in try recorder.record(Self.contact("late"), in: &session).outcome }
        }
    }
}

@Suite("Server settings")
struct ServerSettingsTests {
    @Test("config file, then environment, then flags; each error names its source")
    func precedence() throws {
        var configuration = ServerConfiguration()
        try configuration.apply(configFile: Array(#"{"port": 9000, "host": "0.0.0.0", "log_level": "debug"}"#.utf8), path: "optgate.json")
        try configuration.apply(environment: ["OPTGATE_PORT": "9001", "PATH": "/bin"])
        try configuration.set("log_level", to: "warning", source: "--log-level")
        #expect(configuration.port == 9001)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.logLevel == "warning")

        #expect(throws: ServerConfiguration.SettingError.self) { try configuration.apply(environment: ["OPTGATE_PORT": "80000"]) }
        do {
            try configuration.apply(configFile: Array("{\n  \"prot\": 1\n}".utf8), path: "/etc/optgate.json")
            Issue.record("an unknown setting was accepted")
        } catch let error as ServerConfiguration.SettingError {
            #expect(error.description.hasPrefix("/etc/optgate.json:2:11: unknown setting \"prot\""))
        }
        do {
            try configuration.apply(environment: ["OPTGATE_MAX_BODY_BYTES": "lots"])
            Issue.record("a bad number was accepted")
        } catch let error as ServerConfiguration.SettingError {
            #expect(error.description.hasPrefix("OPTGATE_MAX_BODY_BYTES: max_body_bytes must be a whole number"))
        }
        #expect(throws: ServerConfiguration.SettingError.self) {
            try configuration.apply(configFile: Array("[1]".utf8), path: "x.json")
        }
    }
}
