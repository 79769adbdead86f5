import Foundation
import Logging
import OptGateLedger

/// Copies the write-ahead log into the database file behind the server's writers, every
/// `interval` seconds, on a thread and a connection of its own (`CheckpointingStore`).
///
/// Without it the commit that finds the log past its threshold makes the copy (at 1,000,000
/// contacts, its sync of the database file alone took 26-148 ms under strace), and with the single
/// writer every write queued behind it waits; the state folder's large saves set it off most. With
/// it, commits only append: batched writes ran 1.16 times as fast in the median of 9 alternating
/// pairs (docs/benchmarks.md).
public final class Checkpointer: @unchecked Sendable {
    private let checkpoints: any BackgroundCheckpoints
    private let interval: Double
    private let metrics: ServerMetrics?
    private let logger: Logger
    private let condition = NSCondition()
    private var stopping = false
    private var stopped = false
    private var failing = false
    /// What the last checkpoint found: the same again means it had nothing to copy.
    private var last: LogCheckpoint?

    /// Starts checkpoints behind the writers of `store`, or returns nil if it has no log to copy.
    public static func start(
        for store: any LedgerStore, interval: Double = 0.1, metrics: ServerMetrics? = nil, logger: Logger = Logger(label: "optgate.checkpoints")
    ) throws -> Checkpointer? {
        guard let store = store as? any CheckpointingStore else { return nil }
        return Checkpointer(checkpoints: try store.openBackgroundCheckpoints(), interval: interval, metrics: metrics, logger: logger)
    }

    init(checkpoints: any BackgroundCheckpoints, interval: Double, metrics: ServerMetrics?, logger: Logger) {
        self.checkpoints = checkpoints
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
        let thread = Thread { [self] in
            // Named from inside: the name then reaches the system thread (top -H, perf, /proc).
            Thread.current.name = "optgate-ckpt"
            run()
        }
        thread.start()
    }

    /// Stops the thread, waits for it, and gives commits back their own checkpoints.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !stopped { condition.wait() }
        condition.unlock()
        checkpoints.close()
    }

    private func run() {
        condition.lock()
        while !stopping {
            condition.unlock()
            checkpointOnce()
            condition.lock()
            if !stopping { _ = condition.wait(until: Date(timeIntervalSinceNow: interval)) }
        }
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func checkpointOnce() {
        do {
            let result = try checkpoints.checkpoint()
            if !result.busy, result != last {
                metrics?.checkpointed(result)
                last = result
            }
            if failing {
                failing = false
                logger.notice("background checkpoints resumed")
            }
        } catch {
            // Commits still copy the log themselves past the safety bound; say so once, not ten times a second.
            if !failing {
                failing = true
                logger.error("background checkpoint failed; commits copy the log themselves until it works again", metadata: ["error": "\(error)"])
            }
        }
    }
}
