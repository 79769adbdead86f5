import Foundation
import OptGateCore
import OptGateLedger

/// Commits concurrent writes together: every request that arrives while a commit is on its way to
/// disk joins the next transaction, so one `fsync` acknowledges many writes (group commit). Each
/// request's records still succeed or fail as a unit: a request whose records are refused gets its
/// error and the group is committed without it. A request is answered only after its transaction
/// is durable.
///
/// Writes run on one dedicated thread (the ledger is a single chain: one writer at a time), never on
/// the server's event loops or Swift's cooperative pool.
public final class GroupCommitter: @unchecked Sendable {
    /// A request's part of a group: runs inside the group's transaction.
    public typealias Work = @Sendable (inout LedgerSession, inout ItemRecorder) throws -> any Sendable

    private final class Job: @unchecked Sendable {
        let work: Work
        let continuation: CheckedContinuation<any Sendable, any Error>
        init(work: @escaping Work, continuation: CheckedContinuation<any Sendable, any Error>) {
            self.work = work
            self.continuation = continuation
        }
    }

    /// Thrown to callers once `shutdown()` has begun.
    public struct ShuttingDown: Error {}

    /// Raised inside a group to roll it back when one request's work fails.
    private struct RequestFailed: Error {
        let index: Int
        let error: any Error
    }

    private let ledger: Ledger
    private let clock: @Sendable () -> Timestamp
    private let maxGroup: Int
    /// Whether groups leave permission states to a `StateFolder` (`Ledger.withSession(defersStates:)`).
    private let defersStates: Bool
    /// Contacts the groups found or created, so that later groups append for them without a
    /// look-up (a few tens of MB for 1,000,000 short contact ids).
    public let knownContacts = KnownContacts(capacity: 1_000_000)
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var stopping = false
    private var stopped = false
    private var thread: Thread?
    /// What a committed group changed, reported before any of its requests is answered.
    public struct Committed: Sendable {
        public var requests: Int
        /// The ledger's head before and after the group.
        public var startSeq: Int64
        public var headSeq: Int64
        public var contacts: Set<String>
        public var profiles: Bool
        public var organisationChanged: Bool
        /// What the group appended without folding it (when it defers states), for a `StateFolder`.
        public var appended: AppendedEvents?
    }

    /// Called after each attempt to commit a group, before its requests are answered: with what it
    /// changed, or nil when it was rolled back.
    private let onCommit: @Sendable (Committed?) -> Void

    /// Called before each group's transaction begins.
    private let onBegin: @Sendable () -> Void

    /// `defersStates`: groups append without folding permission states; whoever sets it runs a
    /// `StateFolder` on the same ledger.
    public init(
        ledger: Ledger, maxGroup: Int = 512, defersStates: Bool = false, clock: @escaping @Sendable () -> Timestamp,
        onBegin: @escaping @Sendable () -> Void = {}, onCommit: @escaping @Sendable (Committed?) -> Void = { _ in }
    ) {
        self.defersStates = defersStates
        self.onBegin = onBegin
        self.ledger = ledger
        self.clock = clock
        self.maxGroup = maxGroup
        self.onCommit = onCommit
        let thread = Thread { [unowned self] in
            // Named from inside: the name then reaches the system thread (top -H, perf, /proc).
            Thread.current.name = "optgate-writer"
            self.run()
        }
        self.thread = thread
        thread.start()
    }

    /// Runs `work` in the next group's transaction and returns its result once the group is on disk.
    public func write<T: Sendable>(_ work: @escaping @Sendable (inout LedgerSession, inout ItemRecorder) throws -> T) async throws -> T {
        let result = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            condition.lock()
            if stopping {
                condition.unlock()
                continuation.resume(throwing: ShuttingDown())
                return
            }
            queue.append(Job(work: { session, recorder in try work(&session, &recorder) }, continuation: continuation))
            condition.signal()
            condition.unlock()
        }
        return result as! T
    }

    /// Writes waiting for the next group.
    var queued: Int { condition.withLock { queue.count } }
    /// Whether `shutdown()` has begun.
    var isStopping: Bool { condition.withLock { stopping } }
    /// While true, the writer takes no new group (tests use it to let writes pile up).
    var isHeld: Bool {
        get { condition.withLock { held } }
        set { condition.withLock { held = newValue; condition.broadcast() } }
    }
    private var held = false

    /// `shutdown()` without holding a thread of Swift's cooperative pool while the queue drains.
    public func shutdown() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.shutdown()
                done.resume()
            }
        }
    }

    /// Finishes every write already queued, then stops the writer thread. Later writes are refused.
    /// Blocks the calling thread until then.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !stopped { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while (queue.isEmpty || held) && !stopping { condition.wait() }
            if queue.isEmpty && stopping {
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let count = min(queue.count, maxGroup)
            let jobs = Array(queue.prefix(count))
            queue.removeFirst(count)
            condition.unlock()
            commit(jobs)
        }
    }

    /// Commits `jobs` in one transaction; a job whose work throws is answered with its error and the
    /// group is retried without it (the rolled-back transaction left nothing behind).
    private func commit(_ jobs: [Job]) {
        var pending = jobs
        while !pending.isEmpty {
            var results: [any Sendable] = []
            results.reserveCapacity(pending.count)
            var committed: Committed?
            onBegin()
            do {
                try ledger.withSession(recordedAt: clock(), defersStates: defersStates, knownContacts: knownContacts) { session in
                    var recorder = ItemRecorder(ledger: ledger)
                    for (index, job) in pending.enumerated() {
                        do {
                            results.append(try job.work(&session, &recorder))
                        } catch {
                            throw RequestFailed(index: index, error: error)
                        }
                    }
                    committed = Committed(
                        requests: pending.count, startSeq: session.startSeq, headSeq: session.headSeq,
                        contacts: session.touchedContacts, profiles: session.appendedProfiles,
                        organisationChanged: session.organisationChanged, appended: session.appendedEvents)
                }
            } catch let failure as RequestFailed {
                onCommit(nil)
                pending[failure.index].continuation.resume(throwing: failure.error)
                pending.remove(at: failure.index)
                continue
            } catch {
                // The commit itself failed (disk full, I/O error): nothing of the group was written.
                onCommit(nil)
                for job in pending { job.continuation.resume(throwing: error) }
                return
            }
            onCommit(committed)
            for (job, result) in zip(pending, results) { job.continuation.resume(returning: result) }
            return
        }
    }
}
