import Foundation
import Logging
import OptGateLedger

/// Keeps the stored permission states up to date behind the server's writes.
///
/// The group committer appends without folding events into their contacts' permission states
/// (`GroupCommitter(defersStates:)`): reading and saving a state per event took about a third of
/// the writer thread's time, and the writer thread is what limits batched writes. This folder does
/// that work on a thread of its own: it folds the new events into the states they change in a read
/// transaction, and saves the states in one short write (`Ledger.foldStates`, `save`). The events
/// come from memory, as the committer hands them over (`committed(entries:appended:)`); reading them
/// back from the store and decoding them again was about a quarter of its time. Entries it was not
/// handed (another writer's, or more than `maxEventsHeld` waiting) are read from the store.
/// Answers never depend on it: decisions use the contacts' events, and a contact's history read
/// with its state adds what is not folded yet.
///
/// It folds once `threshold` entries wait, or when writes pause (no commit for `idleDelay`
/// seconds), at most `batch` entries per save; `stop()` folds whatever is left.
public final class StateFolder: @unchecked Sendable {
    private let ledger: Ledger
    private let batch: Int
    private let threshold: Int64
    private let idleDelay: Double
    private let metrics: ServerMetrics?
    private let logger: Logger
    private let condition = NSCondition()
    private var signalled = false
    private var stopping = false
    private var stopped = false
    /// Entries appended since the last fold, as counted from commits (a hint; the fold reads the cursor).
    private var appendedSinceFold: Int64 = 0
    /// What committed sessions appended, in chain order, not yet folded.
    private var held: [AppendedEvents] = []
    /// The most events held in memory; past it, sessions are not held and their entries are read
    /// from the store when folded (bounded memory when folding falls behind).
    private let maxEventsHeld: Int

    public init(
        ledger: Ledger, batch: Int = 20_000, threshold: Int64 = 10_000, idleDelay: Double = 0.5, maxEventsHeld: Int = 100_000,
        metrics: ServerMetrics? = nil, logger: Logger = Logger(label: "optgate.states")
    ) {
        self.maxEventsHeld = maxEventsHeld
        self.ledger = ledger
        self.batch = batch
        self.threshold = threshold
        self.idleDelay = idleDelay
        self.metrics = metrics
        self.logger = logger
        // Whatever an earlier run left unfolded is folded first.
        appendedSinceFold = threshold
        let thread = Thread { [self] in
            // Named from inside: the name then reaches the system thread (top -H, perf, /proc).
            Thread.current.name = "optgate-folder"
            run()
        }
        thread.start()
    }

    /// Called after each commit, in commit order, with the entries it appended and (from a session
    /// that deferred states) its events.
    public func committed(entries: Int64, appended: AppendedEvents? = nil) {
        condition.lock()
        appendedSinceFold += entries
        if let appended, appended.entries > 0, tally.eventsHeld + appended.events.count <= maxEventsHeld {
            held.append(appended)
            tally.eventsHeld += appended.events.count
            metrics?.stateFoldMemory(eventsHeld: tally.eventsHeld, entriesReadBack: 0)
        }
        signalled = true
        condition.signal()
        condition.unlock()
    }

    /// Folds every entry the states do not hold yet, on the caller's thread (tests; `stop`).
    public func foldNow() throws {
        _ = try fold(all: true)
    }

    /// Stops the folder after folding what is left. Blocks until then.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !stopped { condition.wait() }
        condition.unlock()
        do {
            try foldNow()
        } catch {
            logger.error("folding permission states at shutdown failed; the next start folds them", metadata: ["error": "\(error)"])
        }
    }

    private func run() {
        while true {
            condition.lock()
            // Wait for enough entries, or for writes to pause with some waiting.
            while !stopping {
                if appendedSinceFold >= threshold { break }
                signalled = false
                let paused = !condition.wait(until: Date(timeIntervalSinceNow: idleDelay))
                if paused && !signalled && appendedSinceFold > 0 { break }
            }
            if stopping {
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            appendedSinceFold = 0
            condition.unlock()
            do {
                let left = try fold(all: false)
                // What one fold left (a long queue at start, say) is folded next, without waiting for commits.
                condition.withLock { appendedSinceFold = max(appendedSinceFold, left) }
            } catch {
                logger.error("folding permission states failed; retrying after the next commits", metadata: ["error": "\(error)"])
            }
        }
    }

    /// What the folder holds and has done so far.
    public struct Counts: Sendable, Equatable {
        /// Events held in memory, waiting to be folded.
        public var eventsHeld = 0
        /// Entries the folds read back from the store (the rest came from memory).
        public var entriesReadFromLedger: Int64 = 0
        /// Folds run to the end (on the folder's thread or by `foldNow`), whether or not they found work.
        public var folds = 0
    }
    public var counts: Counts { condition.withLock { tally } }
    private var tally = Counts()

    /// One fold of at most `batch` entries, or (`all`) until the states hold every entry; returns
    /// the entries left to fold.
    @discardableResult
    private func fold(all: Bool) throws -> Int64 {
        while true {
            let handed = condition.withLock { held }
            guard let pending = try ledger.foldStates(limit: batch, appended: handed) else {
                // Nothing left to fold: every session handed over before the fold looked is folded
                // (by another writer's session, say), and is let go.
                if let last = handed.last { forget(through: last.throughSeq, read: 0) }
                break
            }
            let saved = try ledger.save(pending)
            // Sessions the states now hold (or held already when the fold read them) are let go.
            forget(through: saved ? pending.throughSeq : pending.fromSeq, read: Int64(pending.entriesReadFromLedger))
            guard saved else { continue }  // the cursor moved meanwhile: read again
            let left = try ledger.unfoldedEntries()
            metrics?.stateFolded(lag: left)
            if !all || left == 0 {
                condition.withLock { tally.folds += 1 }
                return left
            }
        }
        condition.withLock { tally.folds += 1 }
        return 0
    }

    private func forget(through seq: Int64, read: Int64) {
        let left = condition.withLock {
            tally.entriesReadFromLedger += read
            let folded = held.prefix { $0.throughSeq <= seq }
            tally.eventsHeld -= folded.reduce(0) { $0 + $1.events.count }
            held.removeFirst(folded.count)
            return tally.eventsHeld
        }
        metrics?.stateFoldMemory(eventsHeld: left, entriesReadBack: read)
    }
}
