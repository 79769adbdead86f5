import Foundation
import OptGateCore
import OptGateLedger
import OptGateSQLite
import Testing

@testable import OptGateServer

/// The server's checkpoint thread (`Checkpointer`): it copies what commits append to the WAL into
/// the database file, reports it in the metrics, and gives commits their own checkpoints back when
/// it stops.
@Suite("Background checkpoint thread")
struct CheckpointerTests {
    /// A store with no log of its own to copy: it forwards reads and writes and adopts nothing else.
    final class PlainStore: LedgerStore {
        let inner: SQLiteLedgerStore
        init(_ inner: SQLiteLedgerStore) { self.inner = inner }
        func read<T>(_ body: (any LedgerReader) throws -> T) throws -> T { try inner.read(body) }
        func write<T>(_ body: (any LedgerWriter) throws -> T) throws -> T { try inner.write(body) }
    }

    static func value(_ metric: String, in metrics: ServerMetrics) -> Double? {
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        return text.split(separator: "\n").first { $0.hasPrefix(metric + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    @Test("copies the commits' pages behind them, counts it, and on stop gives commits their checkpoints back")
    func copiesAndStops() async throws {
        let server = try TestServer()
        let metrics = ServerMetrics()
        let checkpointer = try #require(try Checkpointer.start(for: server.store, interval: 0.01, metrics: metrics))
        #expect(try server.store.writerCheckpointThreshold() == 40_000)
        for i in 0..<20 {
            _ = try await server.services.committer.write { session, recorder in
                try recorder.record(GroupCommitterTests.contact("c-\(i)"), in: &session).outcome
            }
        }
        try await GroupCommitterTests.waitUntil { (Self.value("optgate_log_checkpoints_total", in: metrics) ?? 0) >= 1 }
        try await GroupCommitterTests.waitUntil { Self.value("optgate_log_uncopied_pages", in: metrics) == 0 }
        checkpointer.stop()
        #expect(try server.store.writerCheckpointThreshold() == 10_000)
        #expect(server.head == 20)
        #expect(try server.ledger.verify().isValid)
    }

    @Test("a store without a log to copy gets no checkpoint thread")
    func noLog() throws {
        let server = try TestServer()
        #expect(try Checkpointer.start(for: PlainStore(server.store)) == nil)
        #expect(try server.store.writerCheckpointThreshold() == 10_000)
    }
}
