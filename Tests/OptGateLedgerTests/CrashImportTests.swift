import Foundation
import GRDB
import OptGateCore
import OptGateLedger
import OptGateSQLite
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `optgate` executable, run as a separate process.
enum OptGateBinary {
    /// `optgate` beside the test bundle (wherever the build put both: `.build/debug` in CI, a
    /// `--scratch-path` elsewhere), else in the repository's default `.build/debug`.
    static let url: URL? = {
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        if let first = CommandLine.arguments.first { directories.append(URL(fileURLWithPath: first).deletingLastPathComponent()) }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        directories.append(Repository.root.appendingPathComponent(".build/debug"))
        return directories.map { $0.appendingPathComponent("optgate") }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs `optgate` to completion; returns its exit status and output.
    static func run(_ arguments: [String], dataDirectory: URL) throws -> (status: Int32, output: String) {
        let process = try start(arguments, dataDirectory: dataDirectory, output: Pipe())
        let pipe = process.standardOutput as! Pipe
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static func start(_ arguments: [String], dataDirectory: URL, output: Any = FileHandle.nullDevice) throws -> Process {
        let process = Process()
        guard let url else { throw BinaryMissing() }
        process.executableURL = url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OPTGATE_DATA_DIR"] = dataDirectory.path
        process.environment = environment
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

struct BinaryMissing: Error {}

/// A process killed in the middle of an import leaves the ledger exactly as it was: the import is
/// one transaction, and an uncommitted transaction is no part of the database.
@Suite("Import killed mid-way")
struct CrashImportTests {
    static let contacts = 3_000
    static let events = 300_000

    @Test(
        "SIGKILL during a 300,000-event import of the real optgate leaves the entry count and head unchanged, and the chain valid",
        .enabled(if: OptGateBinary.url != nil,
                 "optgate is not built: run `swift build --build-tests` first (looked beside the test bundle and in .build/debug)"),
        .timeLimit(.minutes(5)))
    func killedImport() async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data", isDirectory: true)

        // The organisation and the contacts, imported by optgate itself (which creates the data
        // directory and its secret).
        let people = directory.appendingPathComponent("people.ndjson")
        try Data(Self.peopleFile().utf8).write(to: people)
        let setup = try OptGateBinary.run(["import", "--quiet", people.path], dataDirectory: data)
        #expect(setup.status == 0, "\(setup.output)")
        let before = try Self.state(of: data)
        #expect(before.entries == Int64(8 + Self.contacts))
        #expect(before.valid)

        let big = directory.appendingPathComponent("events.ndjson")
        try Self.eventsFile().write(to: big)

        let process = try OptGateBinary.start(["import", "--quiet", big.path], dataDirectory: data)
        let wal = data.appendingPathComponent("ledger.sqlite-wal").path
        let started = Date()
        // optgate opens the ledger and begins its one transaction within milliseconds, then needs
        // well over a minute (debug build) for this file: 1.5 s in, it is mid-transaction.
        try await Task.sleep(for: .milliseconds(1_500))
        let walAtKill = Self.size(wal)
        let killed = Self.killAndWait(process)
        #expect(killed, "the import finished before it could be killed: make the file larger")
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)

        let after = try Self.state(of: data)
        #expect(after.entries == before.entries, "killed after \(Date().timeIntervalSince(started)) s with a \(walAtKill)-byte WAL")
        #expect(after.head == before.head)
        #expect(after.checkpoints == before.checkpoints)
        #expect(after.valid, "\(after.problem ?? "")")

        // optgate itself agrees, and the ledger takes the next import.
        let audit = try OptGateBinary.run(["audit", "verify"], dataDirectory: data)
        #expect(audit.status == 0, "\(audit.output)")
        #expect(audit.output.contains("OK: \(before.entries) entries"), "\(audit.output)")
        let small = directory.appendingPathComponent("small.ndjson")
        try Data(ImportFiles.event(#""contact": "k-1", "id": "after-1", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true"#).utf8).write(to: small)
        let next = try OptGateBinary.run(["import", "--quiet", small.path], dataDirectory: data)
        #expect(next.status == 0, "\(next.output)")
        #expect(try Self.state(of: data).entries == before.entries + 1)
    }

    @Test(
        "SIGKILL during a bulk load into an empty ledger (the rollback journal) leaves it empty, in WAL mode, valid, and ready for the next import",
        .enabled(if: OptGateBinary.url != nil,
                 "optgate is not built: run `swift build --build-tests` first (looked beside the test bundle and in .build/debug)"),
        .timeLimit(.minutes(5)))
    func killedBulkLoad() async throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data", isDirectory: true)

        // The organisation, the contacts and the events in one file, into a ledger that does not
        // exist yet: a bulk load, held exclusively.
        let file = directory.appendingPathComponent("everything.ndjson")
        var contents = Data(Self.peopleFile().utf8)
        contents.append(Self.eventsFile())
        try contents.write(to: file)
        let process = try OptGateBinary.start(["import", "--quiet", file.path], dataDirectory: data)
        let journal = data.appendingPathComponent("ledger.sqlite-journal").path
        // Wait until the load is writing (its journal exists), then give it a moment more.
        var waited = 0
        while process.isRunning && !FileManager.default.fileExists(atPath: journal) && waited < 30_000 {
            try await Task.sleep(for: .milliseconds(20))
            waited += 20
        }
        try await Task.sleep(for: .milliseconds(500))
        let killed = Self.killAndWait(process)
        #expect(killed, "the import finished before it could be killed: make the file larger")
        #expect(process.terminationStatus == SIGKILL)
        #expect(FileManager.default.fileExists(atPath: journal), "the kill left a hot rollback journal: the exclusive path was taken")

        // The next open rolls the journal back and returns to WAL.
        let after = try Self.state(of: data)
        #expect(after.entries == 0)
        #expect(after.head == nil)
        #expect(after.valid, "\(after.problem ?? "")")
        #expect(!FileManager.default.fileExists(atPath: journal))
        #expect(try Self.journalMode(of: data) == "wal")

        let audit = try OptGateBinary.run(["audit", "verify"], dataDirectory: data)
        #expect(audit.status == 0, "\(audit.output)")
        let small = directory.appendingPathComponent("small.ndjson")
        try Data((ImportFiles.organisation + #"{"record": "contact", "id": "k-1", "email": "k1@example.com", "jurisdiction": "GB", "subscriber": "individual"}"# + "\n").utf8).write(to: small)
        let next = try OptGateBinary.run(["import", "--quiet", small.path], dataDirectory: data)
        #expect(next.status == 0, "\(next.output)")
        #expect(try Self.state(of: data).entries == 9)
    }

    struct LedgerState {
        var entries: Int64
        var head: Data?
        var checkpoints: Int
        var valid: Bool
        var problem: String?
    }

    /// Opens the data directory's ledger in this process, with its secret.
    static func state(of data: URL) throws -> LedgerState {
        let hex = try String(contentsOf: data.appendingPathComponent("secret.key"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(try #require(UInt8(hex[index..<next], radix: 16)))
            index = next
        }
        let ledger = Ledger(store: try SQLiteLedgerStore(path: data.appendingPathComponent("ledger.sqlite").path), secret: LedgerSecret(bytes: bytes))
        let report = try ledger.verify()
        return LedgerState(
            entries: try ledger.store.read { try $0.entryCount() }, head: try ledger.store.read { try $0.head() }?.hash,
            checkpoints: try ledger.store.read { try $0.checkpoints() }.count, valid: report.isValid, problem: report.problem?.description)
    }

    static func journalMode(of data: URL) throws -> String? {
        try DatabaseQueue(path: data.appendingPathComponent("ledger.sqlite").path).read { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode")
        }
    }

    /// A new temporary directory for one test; the caller removes it.
    static func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("optgate-crash-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Sends SIGKILL if the process is still running and waits for it; whether it was killed.
    static func killAndWait(_ process: Process) -> Bool {
        var killed = false
        if process.isRunning {
            killed = kill(process.processIdentifier, SIGKILL) == 0
        }
        process.waitUntilExit()
        return killed
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    static func peopleFile() -> String {
        var text = ImportFiles.organisation
        for n in 1...contacts {
            text += #"{"record": "contact", "id": "k-\#(n)", "email": "k\#(n)@example.com", "jurisdiction": "GB", "subscriber": "individual"}"# + "\n"
        }
        return text
    }

    /// 300,000 events spread over the contacts, every kind that needs no further reference.
    static func eventsFile() -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(events * 170)
        let base = Int64(1_735_689_600)  // 2025-01-01
        for i in 0..<events {
            let contact = i % contacts + 1
            let at = Timestamp(secondsSinceEpoch: base + Int64(i) * 60).rfc3339
            let body: String
            switch i % 4 {
            case 0: body = #""type": "details_collected", "by": "acme", "context": "sale", "products": ["laptops"], "channels": ["email"], "refusal_offered": true"#
            case 1: body = #""type": "marketing_sent", "by": "acme", "channel": "email", "products": ["accessories"]"#
            case 2: body = #""type": "register_listed", "register": "tps""#
            default: body = #""type": "gpc_signal", "value": false"#
            }
            bytes += Array(#"{"record": "event", "contact": "k-\#(contact)", "id": "bulk-\#(i)", "at": "\#(at)", \#(body)}"#.utf8)
            bytes.append(0x0A)
        }
        return Data(bytes)
    }
}
