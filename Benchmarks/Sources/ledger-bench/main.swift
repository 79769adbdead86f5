// The consent ledger's benchmarks, as a plain executable timed with ContinuousClock.
//
//   ledger-bench import FILE DATA_DIR          import FILE (NDJSON or CSV) into DATA_DIR in-process:
//                                              events/s and lines/s of `Importer.run` alone (no process
//                                              start, no build), bytes on disk, peak RSS
//   ledger-bench status DATA_DIR [ITERATIONS] [AT]
//                                              the point-in-time status query for contacts with 45 to
//                                              55 events: p50/p90/p99 of (a) `ledger.history(contactID:)`,
//                                              (b) history + one decision (email), (c) history + one
//                                              decision per channel (10), as `optgate contact status`
//                                              makes them: marketing from the first sending entity
//                                              (sorted, as the command lists them) at AT
//                                              (default 2025-07-01T00:00:00Z). Each iteration runs the
//                                              three on three different contacts of the 100, in turn.
//
// DATA_DIR has the CLI's layout: `ledger.sqlite` and `secret.key` (64 hex digits).
import Foundation
import GRDB
import OptGateCore
import OptGateLedger
import OptGateSQLite

#if canImport(Glibc)
import Glibc
#endif

/// Where every result goes, so the optimizer cannot drop the work.
nonisolated(unsafe) var sink: [Decision] = []
nonisolated(unsafe) var sinkCount = 0

@inline(never)
func consume(_ decision: Decision) {
    if decision.allowed { sinkCount &+= 1 }
    sink.append(decision)
    if sink.count > 64 { sink.removeAll(keepingCapacity: true) }
}

@inline(never)
func consume(_ history: ContactHistory) { sinkCount &+= history.entries.count }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ledger-bench: \(message)\n".utf8))
    exit(2)
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// Peak resident set size of this process, in bytes (Linux reports ru_maxrss in KiB).
func peakRSS() -> Int {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Int(usage.ru_maxrss) * 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Int(usage.ru_maxrss)  // bytes on macOS
    #endif
}

/// Current resident memory by kind, from /proc/self/status (Linux): anonymous (heap, SQLite's page
/// cache) and file-backed (the memory-mapped import file, libraries).
func residentBreakdown() -> String {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "" }
    let fields = text.split(separator: "\n").filter { $0.hasPrefix("RssAnon:") || $0.hasPrefix("RssFile:") }
    return fields.map { line in
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count >= 2, let kib = Int(parts[1]) else { return String(line) }
        return "\(parts[0]) \(grouped(kib / 1024)) MiB"
    }.joined(separator: ", ")
}

func grouped(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, c) in digits.reversed().enumerated() {
        if i > 0, i % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return String(out.reversed())
}

func fixed(_ x: Double, _ places: Int = 1) -> String {
    let scale = pow(10, Double(places))
    let r = (x * scale).rounded() / scale
    return places == 0 ? String(Int(r)) : String(r)
}

// MARK: Data directory (the CLI's layout: Sources/OptGateCLI/DataDirectory.swift)

func loadSecret(_ dir: String) -> LedgerSecret {
    guard let data = FileManager.default.contents(atPath: dir + "/secret.key") else { fail("\(dir)/secret.key: cannot read") }
    let hex = Array(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).utf8)
    guard hex.count == 64 else { fail("\(dir)/secret.key: 64 hex digits expected") }
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: fail("secret.key: not hex")
        }
    }
    return LedgerSecret(bytes: stride(from: 0, to: 64, by: 2).map { nibble(hex[$0]) << 4 | nibble(hex[$0 + 1]) })
}

func createDataDirectory(_ dir: String) -> LedgerSecret {
    let files = FileManager.default
    if files.fileExists(atPath: dir + "/ledger.sqlite") { fail("\(dir) already holds a ledger: the import figure is for a fresh one") }
    do { try files.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
    catch { fail("cannot create \(dir): \(error)") }
    let secret = LedgerSecret.generate()
    let hex = secret.bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() + "\n"
    guard files.createFile(atPath: dir + "/secret.key", contents: Data(hex.utf8), attributes: [.posixPermissions: 0o600]) else {
        fail("cannot write \(dir)/secret.key")
    }
    return secret
}

// MARK: import

func runImport(file: String, dir: String) throws {
    guard let format = Importer.Format(fileName: file) else { fail("\(file): name it .ndjson or .csv") }
    let clock = ContinuousClock()
    let secret = createDataDirectory(dir)
    let openStart = clock.now
    let store = try SQLiteLedgerStore(path: dir + "/ledger.sqlite")
    let ledger = Ledger(store: store, secret: secret)
    let openTime = clock.now - openStart
    let contents = try Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped)

    var importer = Importer(ledger: ledger)
    importer.progressInterval = 100_000
    var last = (lines: 0, at: clock.now)
    let started = clock.now
    let summary = try importer.run(contents, format: format, recordedAt: Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))) { p in
        let now = clock.now
        let interval = seconds(now - last.at)
        if p.lines > last.lines, interval > 0 {
            FileHandle.standardError.write(Data("  \(grouped(p.lines)) lines, \(fixed(seconds(now - started))) s, \(grouped(Int(Double(p.lines - last.lines) / interval))) lines/s over the last interval\n".utf8))
        }
        last = (p.lines, now)
    }
    let elapsed = seconds(clock.now - started)
    let walBytes = store.bytesOnDisk
    let checkpointStart = clock.now
    try store.checkpointWAL()
    let checkpointTime = seconds(clock.now - checkpointStart)
    let bytes = store.bytesOnDisk
    let entries = try store.read { try $0.entryCount() }
    print("import \(file): Importer.run only, in-process (ledger opened in \(fixed(seconds(openTime) * 1000)) ms, not counted)")
    print("  lines: \(grouped(summary.lines)); events recorded: \(grouped(summary.events)); contacts created: \(grouped(summary.contactsCreated)); organisation records: \(summary.organisationRecords); ledger entries: \(grouped(Int(entries)))")
    print("  time: \(fixed(elapsed, 2)) s; \(grouped(Int(Double(summary.events) / elapsed))) events/s; \(grouped(Int(Double(summary.lines) / elapsed))) lines/s")
    print("  disk after commit: \(fixed(Double(walBytes) / 1e6)) MB (database + WAL + shm)")
    print("  disk after WAL checkpoint (\(fixed(checkpointTime, 2)) s): \(fixed(Double(bytes) / 1e6)) MB; \(grouped(Int(bytes) / Int(entries))) bytes per ledger entry; \(grouped(Int(bytes) / max(summary.events, 1))) bytes per event")
    let now = residentBreakdown()
    print("  peak RSS: \(grouped(peakRSS() / 1_048_576)) MiB\(now.isEmpty ? "" : " (resident at the end: \(now))")")
}

// MARK: status

struct Percentiles {
    var p50: Double, p90: Double, p99: Double, min: Double, max: Double
    init(_ values: [Double]) {
        let s = values.sorted()
        func at(_ q: Double) -> Double { s[Swift.min(s.count - 1, Int((q * Double(s.count)).rounded(.up)) - 1)] }
        p50 = at(0.50); p90 = at(0.90); p99 = at(0.99); min = s.first!; max = s.last!
    }
}


/// The query `optgate contact status --at AT` makes for the first sending entity, for `channels`.
@inline(never)
func status(_ ledger: Ledger, _ contactID: String, at instant: Timestamp, channels: [Channel]) throws -> (load: Duration, decide: Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let history = try ledger.history(contactID: contactID)
    let loaded = clock.now
    consume(history)
    if !channels.isEmpty {
        let organisation = history.organisation.organisation(at: instant)
        guard let sender = organisation.entities.keys.sorted().first else { fail("the ledger has no entities") }
        let products = history.latestProducts(by: sender, at: instant)
        let messages = channels.map { Message(from: sender, channel: $0, purpose: .marketing, products: products) }
        for decision in history.decide(messages, at: instant, engine: ledger.engine) { consume(decision) }
    }
    let end = clock.now
    return (loaded - start, end - loaded)
}

func runStatus(dir: String, iterations: Int, at: String) throws {
    let instant: Timestamp
    do { instant = try Timestamp(rfc3339: at) } catch { fail("\(at): \(error)") }
    let path = dir + "/ledger.sqlite"
    guard FileManager.default.fileExists(atPath: path) else { fail("\(path): no such file") }
    let store = try SQLiteLedgerStore(path: path)
    let ledger = Ledger(store: store, secret: loadSecret(dir))

    // The contacts with about 50 events, chosen on a separate read-only connection.
    var configuration = Configuration()
    configuration.readonly = true
    let selection = try DatabaseQueue(path: path, configuration: configuration)
    let picked: [(id: String, events: Int)] = try selection.read { db in
        try Row.fetchAll(db, sql: """
            SELECT contact_id, COUNT(*) c FROM ledger WHERE kind = 'event' GROUP BY contact_id
            HAVING c BETWEEN 45 AND 55 ORDER BY contact_id LIMIT 100
            """).map { ($0[0], $0[1]) }
    }
    let (entries, contacts): (Int, Int) = try selection.read { db in
        (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger") ?? 0, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts") ?? 0)
    }
    try selection.close()
    guard !picked.isEmpty else { fail("no contact has 45 to 55 events") }
    let meanEvents = Double(picked.map(\.events).reduce(0, +)) / Double(picked.count)
    let entriesPerContact = try picked.map { try ledger.history(contactID: $0.id).entries.count }
    print("ledger \(path): \(grouped(entries)) entries, \(grouped(contacts)) contacts")
    print("status query at \(instant.rfc3339) for \(picked.count) contacts with 45 to 55 events (mean \(fixed(meanEvents)) events, \(fixed(Double(entriesPerContact.reduce(0, +)) / Double(picked.count))) ledger entries each), \(iterations) iterations per measure, contacts in turn")

    let email: [Channel] = [.email]
    let all = Channel.allCases
    // Warm up: every picked contact, every measure, twice.
    for _ in 0..<2 {
        for c in picked {
            _ = try status(ledger, c.id, at: instant, channels: [])
            _ = try status(ledger, c.id, at: instant, channels: all)
        }
    }
    var load: [Double] = [], one: [Double] = [], ten: [Double] = [], tenLoad: [Double] = [], tenDecide: [Double] = []
    for i in 0..<iterations {
        // The three measures interleaved, so that the machine's load affects them alike, and each on a
        // different contact, none of them queried in the last 30 queries: SQLite's page cache (2 MiB per
        // connection by default) does not hold the contacts' pages between their turns, the kernel's
        // page cache does.
        let n = picked.count
        let a = try status(ledger, picked[i % n].id, at: instant, channels: [])
        let b = try status(ledger, picked[(i + n / 3) % n].id, at: instant, channels: email)
        let c = try status(ledger, picked[(i + 2 * n / 3) % n].id, at: instant, channels: all)
        load.append(seconds(a.load) * 1e6)
        one.append(seconds(b.load + b.decide) * 1e6)
        ten.append(seconds(c.load + c.decide) * 1e6)
        tenLoad.append(seconds(c.load) * 1e6)
        tenDecide.append(seconds(c.decide) * 1e6)
    }
    print("measure\tp50 µs\tp90 µs\tp99 µs\tmin µs\tmax µs")
    for (name, values) in [
        ("(a) history(contactID:)", load), ("(b) history + 1 decision (email)", one), ("(c) history + 10 decisions (all channels)", ten),
        ("    of (c): history load", tenLoad), ("    of (c): organisation, products and 10 decisions", tenDecide),
    ] {
        let p = Percentiles(values)
        print("\(name)\t\(fixed(p.p50))\t\(fixed(p.p90))\t\(fixed(p.p99))\t\(fixed(p.min))\t\(fixed(p.max))")
    }
    print("(\(sinkCount) results sunk)")
}

// MARK: main

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "import" where arguments.count == 3:
        try runImport(file: arguments[1], dir: arguments[2])
    case "status" where (2...4).contains(arguments.count):
        var iterations = 1_000
        if arguments.count > 2 {
            guard let n = Int(arguments[2]) else { fail("ITERATIONS: a number") }
            iterations = n
        }
        try runStatus(dir: arguments[1], iterations: max(iterations, 1), at: arguments.count > 3 ? arguments[3] : "2025-07-01T00:00:00Z")
    default:
        fail("usage: ledger-bench import FILE DATA_DIR | ledger-bench status DATA_DIR [ITERATIONS] [AT]")
    }
} catch {
    fail("\(error)")
}
