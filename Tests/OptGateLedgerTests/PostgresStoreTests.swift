import Foundation
import OptGateCore
import OptGateLedger
@testable import OptGatePostgres
import OptGateSQLite
import Testing

/// The ledger on PostgreSQL behaves as on SQLite: the same imports give the same chain, byte for
/// byte; tampering is found at the same place; erasure keeps suppression; imports are all or
/// nothing; and several servers appending at once keep one valid chain.
@Suite("PostgreSQL store", .enabled(if: TestDatabase.available, "set OPTGATE_TEST_DATABASE_URL (scripts/postgres-cluster.sh starts a database)"))
struct PostgresStoreTests {
    static let secret = LedgerSecret(bytes: Array(repeating: 3, count: 32))

    @Test("the same imports give the same entries, checkpoints, states and answers on PostgreSQL as on SQLite")
    func sameAsSQLite() throws {
        let postgres = try ScratchPostgres(secret: Self.secret)
        let sqlite = try ScratchLedger(secret: Self.secret)
        for scratch in [sqlite.ledger, postgres.ledger] {
            let importer = Importer(ledger: scratch)
            _ = try importer.run(Data(try Repository.sample("acme-organisation.ndjson").utf8), format: .ndjson, recordedAt: Day.recorded)
            _ = try importer.run(Data(try Repository.sample("acme-events.csv").utf8), format: .csv, recordedAt: Day.at(2026, 2, 2))
            _ = try scratch.erase(contactID: "c-1003", recordedAt: Day.at(2026, 2, 3))
        }
        let expected = try sqlite.allEntries()
        let actual = try postgres.allEntries()
        #expect(actual.count == expected.count)
        // Personal data is sealed with a random salt, so digests and hashes differ from store to
        // store; everything else is the same, byte for byte.
        for (a, e) in zip(actual, expected) {
            var entry = a.entry
            entry.personalDataDigest = e.entry.personalDataDigest
            entry.hash = e.entry.hash
            #expect(entry == e.entry, "entry \(e.entry.seq)")
            #expect(a.personal?.body == e.personal?.body, "personal data of entry \(e.entry.seq)")
            #expect((a.entry.personalDataDigest == nil) == (e.entry.personalDataDigest == nil))
        }
        #expect(try postgres.store.read { try $0.checkpoints() }.map(\.seq) == sqlite.checkpoints.map(\.seq))
        #expect(actual.contains { $0.entry.kind == .erasure })
        let message = Message(from: "acme-retail", channel: .email, products: ["laptops"])
        for contact in ["c-1001", "c-1002", "c-1003"] {
            #expect(try postgres.store.read { try $0.state(contactID: contact) } == sqlite.state(contact), "\(contact)")
            let fromPostgres = try postgres.ledger.history(contactID: contact).decide(message, at: Day.at(2026, 3, 1))
            let fromSQLite = try sqlite.ledger.history(contactID: contact).decide(message, at: Day.at(2026, 3, 1))
            #expect(fromPostgres == fromSQLite, "\(contact)")
        }
        #expect(try postgres.ledger.contactID(for: try Identifier.email("bob@example.org")) == "c-1002")
        #expect(try postgres.ledger.isSuppressed(try Identifier.email("carol@example.net")))
        let report = try postgres.ledger.verify()
        #expect(report.isValid, "\(String(describing: report.problem))")
        #expect(report.entries == 16 && report.erasedPersonalData == 1)
    }

    @Test("a file imported twice is stored once, by its records' ids, as on SQLite")
    func idempotent() throws {
        let scratch = try ScratchPostgres()
        let sqlite = try ScratchLedger()
        let file = ImportFiles.organisation + ImportFiles.people
        try scratch.importNDJSON(file)
        try sqlite.importNDJSON(file)
        let count = try scratch.entryCount
        let again = try scratch.importNDJSON(file, recordedAt: Day.at(2026, 2, 3))
        #expect(again.duplicates > 0)
        let onSQLite = try sqlite.importNDJSON(file, recordedAt: Day.at(2026, 2, 3))
        let counts: [Int] = [again.duplicates, again.events, again.contactsCreated, again.contactsUpdated, again.organisationRecords]
        let sqliteCounts: [Int] = [onSQLite.duplicates, onSQLite.events, onSQLite.contactsCreated, onSQLite.contactsUpdated, onSQLite.organisationRecords]
        #expect(counts == sqliteCounts)
        #expect(try scratch.entryCount == count)
    }

    @Test("a file with a bad line is refused whole, by both import paths, and nothing is written")
    func allOrNothing() throws {
        let scratch = try ScratchPostgres()
        try scratch.importNDJSON(ImportFiles.organisation)
        let before = try scratch.store.read { try $0.head() }
        let bad = ImportFiles.people + ImportFiles.event(#""contact": "c-1", "id": "x-1", "type": "opt_out", "at": "not a time""#)
        for bulk in [false, true] {
            var importer = Importer(ledger: scratch.ledger)
            if bulk { importer.bulkAppendBytes = 0 }
            #expect(throws: Importer.Failed.self) { try importer.run(Data(bad.utf8), format: .ndjson, recordedAt: Day.recorded) }
            #expect(try scratch.store.read { try $0.head() } == before)
            #expect(try scratch.store.read { try $0.contactCount() } == 0)
        }
        // The bulk path, with a good file, gives the same ledger as the ordinary one.
        var bulk = Importer(ledger: scratch.ledger)
        bulk.bulkAppendBytes = 0
        let summary = try bulk.run(Data(ImportFiles.people.utf8), format: .ndjson, recordedAt: Day.recorded)
        #expect(summary.contactsCreated == 2)
        #expect(try scratch.ledger.verify().isValid)
    }

    @Test("a changed, deleted or inserted row makes the audit fail at that entry")
    func tampering() throws {
        for (sql, seq) in [
            ("UPDATE ledger SET body = replace(body, 'laptops', 'tablets') WHERE seq = 10", Int64(10)),
            ("DELETE FROM ledger WHERE seq = 6", 6),
            ("UPDATE personal_data SET body = body || ' ' WHERE seq = 9", 9),
        ] {
            let scratch = try ScratchPostgres()
            try scratch.importNDJSON(ImportFiles.organisation + ImportFiles.people)
            #expect(try scratch.ledger.verify().isValid)
            try scratch.tamper(sql)
            let report = try scratch.ledger.verify()
            #expect(report.problem?.seq == seq, "\(sql): \(String(describing: report.problem))")
        }
    }

    @Test("erasure removes personal data, keeps the chain valid, and keeps the person suppressed when imported again (GDPR Art 17, Art 21(3))")
    func erasure() throws {
        let scratch = try ScratchPostgres()
        try scratch.importNDJSON(ImportFiles.organisation + ImportFiles.people)
        let erasure = try scratch.ledger.erase(contactID: "c-1", recordedAt: Day.at(2026, 3, 1))
        #expect(erasure.personalDataDeleted == 3)
        let email = try Identifier.email("ann.smith@example.com")
        #expect(try scratch.ledger.isSuppressed(email))
        #expect(try scratch.ledger.contactID(for: email) == nil)
        let report = try scratch.ledger.verify()
        #expect(report.isValid, "\(String(describing: report.problem))")
        #expect(report.erasedPersonalData == 3)
        // Imported again under a new id: suppressed still.
        try scratch.importNDJSON(#"{"record": "contact", "id": "c-9", "email": "ann.smith@example.com", "jurisdiction": "GB"}"# + "\n", recordedAt: Day.at(2026, 3, 2))
        #expect(try scratch.ledger.isSuppressed(email))
        let decision = try scratch.ledger.history(contactID: "c-9").decide(.acmeLaptopsByEmail, at: Day.at(2026, 3, 3))
        #expect(!decision.allowed)
        #expect(try scratch.ledger.verify().isValid)
    }

    @Test("two servers appending at once keep one chain: every entry stored once, in order, verified")
    func concurrentWriters() throws {
        let scratch = try ScratchPostgres()
        try scratch.importNDJSON(ImportFiles.organisation + ImportFiles.people)
        let before = try scratch.entryCount
        let other = Ledger(store: try scratch.secondStore(), secret: scratch.secret)
        let ledgers = [scratch.ledger, other]
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            do {
                for i in 0..<10 {
                    let event = Event(id: "w\(worker)-\(i)", at: Day.at(2026, 2, 2), .optOut(OptOut(via: .phone)))
                    _ = try ledgers[worker % 2].append([.event(contactID: worker % 2 == 0 ? "c-1" : "c-2", event, nil)], recordedAt: Day.at(2026, 2, 2))
                }
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        #expect(try scratch.entryCount == before + 80)
        let seqs = try scratch.allEntries().map(\.entry.seq)
        #expect(seqs == Array(1...(before + 80)))
        let report = try other.verify()
        #expect(report.isValid, "\(String(describing: report.problem))")
    }

    @Test("a SQLite ledger copied into PostgreSQL is the same chain, row for row: same hashes, salts, checkpoints, states, keys and outbox")
    func copyFromSQLite() throws {
        let sqlite = try ScratchLedger(secret: Self.secret)
        try sqlite.importNDJSON(try Repository.sample("acme-organisation.ndjson"))
        try sqlite.importCSV(try Repository.sample("acme-events.csv"), recordedAt: Day.at(2026, 2, 2))
        _ = try sqlite.ledger.erase(contactID: "c-1003", recordedAt: Day.at(2026, 2, 3))
        let source = try #require(sqlite.ledger.store as? SQLiteLedgerStore)
        let (key, _) = APIKey.generate(name: "crm", scopes: [.eventsWrite], ratePerSecond: nil, at: Day.recorded)
        try source.saveKey(key)
        _ = try source.linkKeysCreatingFirst(secret: Self.secret, at: Day.recorded)
        let destination = Destination(name: "esp", url: "https://esp.example.test/hook", kind: .bulkEmail, deadlineHours: 48, createdAt: Day.recorded, cursor: 13)
        let delivery = Delivery(
            key: "esp-13", destination: "esp", seq: 13, change: .optOut, contactID: "c-1002", receivedAt: Day.recorded, boundAt: Day.recorded,
            deadline: Day.at(2026, 2, 3), state: .pending, attempts: 0, nextAttemptAt: 100)
        try source.writePropagation { writer in
            _ = try writer.insertDestination(destination)
            _ = try writer.insertDelivery(delivery)
        }

        let postgres = try ScratchPostgres(secret: Self.secret)
        let summary = try postgres.store.copy(from: source)
        #expect(summary.entries == 16 && summary.contacts == 3 && summary.suppressed == 1 && summary.apiKeys == 1 && summary.deliveries == 1)
        let expected = try sqlite.allEntries()
        let actual = try postgres.allEntries()
        #expect(actual.map(\.entry) == expected.map(\.entry))
        #expect(actual.map(\.personal) == expected.map(\.personal))
        #expect(try postgres.store.read { try $0.checkpoints() } == sqlite.checkpoints)
        let report = try postgres.ledger.verify()
        #expect(report.isValid, "\(String(describing: report.problem))")
        #expect(report.headHash == (try sqlite.ledger.verify().headHash))
        for contact in ["c-1001", "c-1002", "c-1003"] {
            #expect(try postgres.store.read { try $0.state(contactID: contact) } == sqlite.state(contact), "\(contact)")
            #expect(try postgres.store.read { try $0.contactStatus(id: contact) } == sqlite.ledger.store.read { try $0.contactStatus(id: contact) })
        }
        #expect(try postgres.store.read { try $0.stateCursor() } == sqlite.ledger.store.read { try $0.stateCursor() })
        #expect(try postgres.ledger.contactID(for: try Identifier.email("bob@example.org")) == "c-1002")
        #expect(try postgres.ledger.isSuppressed(try Identifier.email("carol@example.net")))
        #expect(try postgres.store.keys() == [key])
        #expect(try postgres.store.linkKeys() == source.linkKeys())
        #expect(try postgres.store.readPropagation { try $0.destinations() } == [destination])
        #expect(try postgres.store.readPropagation { try $0.delivery(key: "esp-13") } == delivery)
        // A second copy into the same schema is refused, and changes nothing.
        #expect(throws: PostgresStoreError.self) { try postgres.store.copy(from: source) }
        #expect(try postgres.entryCount == 16)
    }

    @Test("API keys and link keys: stored, listed, revoked; only digests of API keys are kept")
    func keys() throws {
        let scratch = try ScratchPostgres()
        let (key, token) = APIKey.generate(name: "crm", scopes: [.eventsWrite, .decisionsRead], ratePerSecond: 50, at: Day.recorded)
        try scratch.store.saveKey(key)
        #expect(try scratch.store.keys() == [key])
        #expect(try !scratch.store.keys()[0].secretDigest.elementsEqual(Data(token.utf8)))
        #expect(try scratch.store.revokeKey(id: key.id, at: Day.at(2026, 2, 2)))
        #expect(try !scratch.store.revokeKey(id: key.id, at: Day.at(2026, 2, 3)))
        #expect(try scratch.store.keys()[0].revokedAt == Day.at(2026, 2, 2))
        let links = try scratch.store.linkKeysCreatingFirst(secret: scratch.secret, at: Day.recorded)
        #expect(links.count == 1)
        #expect(try scratch.store.retireLinkKey(id: links[0].id, at: Day.at(2026, 2, 2)))
        #expect(try scratch.store.linkKeysCreatingFirst(secret: scratch.secret, at: Day.at(2026, 2, 2)).count == 2)
    }

    @Test("the outbox: destinations, deliveries queued once, due, delivered, dead and requeued, and counted")
    func outbox() throws {
        let scratch = try ScratchPostgres()
        try scratch.importNDJSON(ImportFiles.organisation + ImportFiles.people)
        let destination = Destination(name: "esp", url: "https://esp.example.test/hook", kind: .bulkEmail, deadlineHours: 48, createdAt: Day.recorded, cursor: 0)
        #expect(try scratch.store.writePropagation { try $0.insertDestination(destination) })
        #expect(try !scratch.store.writePropagation { try $0.insertDestination(destination) })
        let delivery = Delivery(
            key: "esp-11", destination: "esp", seq: 11, change: .optOut, contactID: "c-1", receivedAt: Day.recorded, boundAt: Day.recorded,
            deadline: Day.at(2026, 2, 3), state: .pending, attempts: 0, nextAttemptAt: 100)
        #expect(try scratch.store.writePropagation { try $0.insertDelivery(delivery) })
        #expect(try !scratch.store.writePropagation { try $0.insertDelivery(delivery) })
        #expect(try scratch.store.readPropagation { try $0.dueDeliveries(destination: "esp", at: 99, limit: 10) }.isEmpty)
        #expect(try scratch.store.readPropagation { try $0.dueDeliveries(destination: "esp", at: 100, limit: 10) } == [delivery])
        try scratch.store.writePropagation { try $0.markFailed(key: "esp-11", attempts: 1, at: Day.recorded, error: "HTTP 500", nextAttemptAt: nil) }
        #expect(try scratch.store.readPropagation { try $0.delivery(key: "esp-11") }?.state == .dead)
        #expect(try scratch.store.writePropagation { try $0.requeueDead(destination: nil, at: 200) } == 1)
        #expect(try scratch.store.writePropagation { try $0.markDelivered(key: "esp-11", attempts: 2, at: Day.at(2026, 2, 4)) })
        let counts = try scratch.store.readPropagation { try $0.deliveryCounts(at: Day.at(2026, 2, 5)) }
        #expect(counts == [DeliveryCounts(destination: "esp", delivered: 1, overdue: 1)])
        #expect(try scratch.store.readPropagation { try $0.deliveries(.overdue(at: Day.at(2026, 2, 5)), destination: "esp", limit: 10) }.map(\.key) == ["esp-11"])
        #expect(try scratch.store.readPropagation { try $0.ledgerEntry(seq: 10) }?.0.seq == 10)
        try scratch.store.writePropagation { try $0.setCursor(destination: "esp", seq: 11) }
        #expect(try scratch.store.readPropagation { try $0.destination(name: "esp") }?.cursor == 11)
    }

    @Test("a URL is read with its schema and password kept out of messages; a bad one is refused in words")
    func location() throws {
        let location = try PostgresLocation(url: "postgres://og:secret@db.internal:6543/ledger?schema=optgate", environment: [:])
        #expect(location.host == "db.internal" && location.port == 6543 && location.database == "ledger" && location.schema == "optgate")
        #expect(location.password == "secret")
        #expect(!location.description.contains("secret"))
        #expect(try PostgresLocation(url: "postgres://og@db/ledger", environment: ["PGPASSWORD": "pw"]).password == "pw")
        let socket = try PostgresLocation(url: "postgres:///ledger?host=/run/postgresql&user=og", environment: [:])
        #expect(socket.socketDirectory == "/run/postgresql" && socket.user == "og")
        for (url, words) in [
            ("mysql://og@db/ledger", "not a PostgreSQL URL"), ("postgres://og@db/", "names no database"),
            ("postgres://og@db/ledger?schema=a;drop", "not a plain identifier"), ("postgres://og@db/ledger?sslmode=require", "sslmode=require"),
            ("postgres://og:pw@db/ledger?colour=blue", "\"colour\" is not known"),
        ] {
            #expect(throws: PostgresStoreError.self, "\(url)") { try PostgresLocation(url: url, environment: [:]) }
            do { _ = try PostgresLocation(url: url, environment: [:]) } catch {
                #expect("\(error)".contains(words), "\(error)")
                #expect(!"\(error)".contains(":pw@"))
            }
        }
    }
}

/// Errors collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ failure: String) { lock.withLock { list.append(failure) } }
    var all: [String] { lock.withLock { list } }
}
