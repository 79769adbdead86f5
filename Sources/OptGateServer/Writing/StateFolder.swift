import Foundation
import Logging
import OptGateLedger

/// Keeps the stored permission states up to date behind the server's writes.
///
/// The group committer appends without folding events into their contacts' permission states
/// (`GroupCommitter(defersStates:)`): reading and saving a state per event took about a third of
/// the writer thread's time, and the writer thread is what limits batched writes. This folder does
/// that work on a thread of its own: it reads the new entries and the states they change in a read
/// transaction, folds them, and saves the states in one short write (`Ledger.foldStates`, `save`).
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

    public init(
        ledger: Ledger, batch: Int = 20_000, threshold: Int64 = 10_000, idleDelay: Double = 0.5, metrics: ServerMetrics? = nil,
        logger: Logger = Logger(label: "optgate.states")
    ) {
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

    /// Called after each commit with the entries it appended.
    public func committed(entries: Int64) {
        condition.lock()
        appendedSinceFold += entries
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

    /// One fold of at most `batch` entries, or (`all`) until the states hold every entry; returns
    /// the entries left to fold.
    @discardableResult
    private func fold(all: Bool) throws -> Int64 {
        while let pending = try ledger.foldStates(limit: batch) {
            guard try ledger.save(pending) else { continue }  // the cursor moved meanwhile: read again
            let left = try ledger.unfoldedEntries()
            metrics?.stateFolded(lag: left)
            if !all || left == 0 { return left }
        }
        return 0
    }
}
