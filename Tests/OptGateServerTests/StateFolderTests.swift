import Foundation
import OptGateCore
import OptGateLedger
import OptGateSQLite
import Testing

@testable import OptGateServer

/// The folder that keeps stored permission states up to date behind the server's writes: it folds
/// the events the committer hands it from memory, reads back only what it was not handed, and
/// lets go of what it folded.
@Suite("State folder")
struct StateFolderTests {
    static let now = TestServer.now

    /// A ledger in a fresh directory, with two contacts, its states holding every entry.
    static func ledger() throws -> (Ledger, String) {
        let directory = NSTemporaryDirectory() + "optgate-folder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ledger = Ledger(store: try SQLiteLedgerStore(path: directory + "/ledger.sqlite"), secret: LedgerSecret(bytes: Array(repeating: 3, count: 32)))
        try ledger.append(["c-0", "c-1"].map { .contact(ContactProfile(id: $0, jurisdiction: JurisdictionCode("GB"))) }, recordedAt: now)
        return (ledger, directory)
    }

    /// A session that defers states, appending `count` events for each of c-0 and c-1.
    static func deferredSession(_ ledger: Ledger, _ tag: String, count: Int) throws -> AppendedEvents {
        try ledger.withSession(recordedAt: now, defersStates: true) { session in
            for k in 0..<count {
                for contact in ["c-0", "c-1"] {
                    let event = Event(id: "\(tag)-\(contact)-\(k)", at: now.adding(seconds: Int64(k)), .registerListed(.tps))
                    _ = try session.append(.event(contactID: contact, event, nil))
                }
            }
            return try #require(session.appendedEvents)
        }
    }

    /// A folder that folds only when told to (`foldNow`), once its first fold at start has run.
    static func idleFolder(_ ledger: Ledger, maxEventsHeld: Int = 100_000) async throws -> StateFolder {
        let folder = StateFolder(ledger: ledger, threshold: .max, idleDelay: 3600, maxEventsHeld: maxEventsHeld)
        for _ in 0..<1000 where folder.counts.folds == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(folder.counts.folds == 1, "the fold at start ran")
        return folder
    }

    @Test("sessions handed over as they commit are folded from memory, and let go once folded")
    func foldsFromMemory() async throws {
        let (ledger, directory) = try Self.ledger()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let folder = try await Self.idleFolder(ledger)
        for tag in ["a", "b", "c"] {
            let appended = try Self.deferredSession(ledger, tag, count: 3)
            folder.committed(entries: appended.entries, appended: appended)
        }
        #expect(folder.counts.eventsHeld == 18)
        #expect(try ledger.unfoldedEntries() == 18)
        try folder.foldNow()
        #expect(folder.counts == StateFolder.Counts(eventsHeld: 0, entriesReadFromLedger: 0, folds: 2))
        #expect(try ledger.unfoldedEntries() == 0)
        let (history, _) = try ledger.timeline(contactID: "c-1")
        #expect(try ledger.store.read { try $0.state(contactID: "c-1") } == PermissionState(replaying: history.events))
        #expect(history.events.count == 9)
        folder.stop()
    }

    @Test("past its bound the folder holds no more sessions, and reads their entries back from the ledger")
    func boundedMemory() async throws {
        let (ledger, directory) = try Self.ledger()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let folder = try await Self.idleFolder(ledger, maxEventsHeld: 10)
        var sessions: [AppendedEvents] = []
        for tag in ["a", "b", "c"] {
            let appended = try Self.deferredSession(ledger, tag, count: 2)  // 4 events each
            sessions.append(appended)
            folder.committed(entries: appended.entries, appended: appended)
        }
        #expect(folder.counts.eventsHeld == 8, "the third session would pass 10 events")
        try folder.foldNow()
        #expect(folder.counts == StateFolder.Counts(eventsHeld: 0, entriesReadFromLedger: sessions[2].entries, folds: 2))
        #expect(try ledger.unfoldedEntries() == 0)
        #expect(try ledger.store.read { try $0.state(contactID: "c-0") }?.eventCount == 6)
        folder.stop()
    }

    @Test("sessions another writer's session folded meanwhile are let go, and nothing is read back")
    func foldedElsewhere() async throws {
        let (ledger, directory) = try Self.ledger()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let folder = try await Self.idleFolder(ledger)
        for tag in ["a", "b"] {
            let appended = try Self.deferredSession(ledger, tag, count: 2)
            folder.committed(entries: appended.entries, appended: appended)
        }
        #expect(folder.counts.eventsHeld == 8)
        // A session that folds (an import, say) first folds everything past the cursor.
        try ledger.append([.event(contactID: "c-0", Event(id: "late", at: Self.now, .gpcSignal(true)), nil)], recordedAt: Self.now)
        #expect(try ledger.unfoldedEntries() == 0)
        try folder.foldNow()
        #expect(folder.counts == StateFolder.Counts(eventsHeld: 0, entriesReadFromLedger: 0, folds: 2))
        #expect(try ledger.store.read { try $0.state(contactID: "c-0") }?.eventCount == 5)
        folder.stop()
    }

    @Test("the server's committer hands each group's events to its folder: the states are saved without reading the ledger back")
    func serverGroupsFoldedFromMemory() async throws {
        let server = try TestServer()
        let folder = server.services.states
        for _ in 0..<1000 where folder.counts.folds == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let committer = server.services.committer
        committer.isHeld = true
        let writes = (0..<5).map { i in
            Task {
                try await committer.write { session, recorder in
                    _ = try recorder.record(.contact(ContactDraft(id: "c-\(i)", jurisdiction: JurisdictionCode("GB"))), in: &session)
                    for k in 0..<2 {
                        let event = Event(id: "e-\(i)-\(k)", at: Self.now.adding(seconds: Int64(-k)), k == 0 ? .registerListed(.tps) : .gpcSignal(true))
                        _ = try recorder.record(.event(.id("c-\(i)"), event, nil), in: &session)
                    }
                }
            }
        }
        for _ in 0..<1000 where committer.queued < 5 { try await Task.sleep(for: .milliseconds(10)) }
        committer.isHeld = false
        for write in writes { try await write.value }
        try folder.foldNow()
        #expect(try server.ledger.unfoldedEntries() == 0)
        #expect(folder.counts.entriesReadFromLedger == 0)
        #expect(folder.counts.eventsHeld == 0)
        var metrics = String(decoding: server.services.metrics.exposition(), as: UTF8.self)
        #expect(metrics.contains("optgate_state_fold_held_events 0"))
        #expect(metrics.contains("optgate_state_fold_read_back_entries_total 0"))
        // Entries another writer appended were never handed over: they are read back, and counted.
        try server.ledger.withSession(recordedAt: Self.now, defersStates: true) { session in
            for k in 0..<3 { _ = try session.append(.event(contactID: "c-0", Event(id: "other-\(k)", at: Self.now, .gpcSignal(false)), nil)) }
        }
        try folder.foldNow()
        #expect(folder.counts.entriesReadFromLedger == 3)
        metrics = String(decoding: server.services.metrics.exposition(), as: UTF8.self)
        #expect(metrics.contains("optgate_state_fold_read_back_entries_total 3"))
        let state = try server.ledger.store.read { try $0.state(contactID: "c-4") }
        #expect(state?.eventCount == 2 && state?.privacySignal?.value == "on" && state?.registers["tps"]?.value == "listed")
    }
}
