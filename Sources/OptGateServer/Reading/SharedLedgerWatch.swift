import Foundation

/// Reads what other servers appended to a shared ledger for many requests at once, on a thread of
/// its own, so that request handlers wait without holding one of Swift's few cooperative threads.
///
/// A request registers and waits; the thread takes every request waiting, then reads the ledger's
/// head (and the entries appended since the last read), then lets them all go on. The read begins
/// after each of them registered, so each sees every write acknowledged before it asked: an opt-out
/// acknowledged by another server binds its decision. Requests that arrive during a read wait for
/// the next one. Under load one read serves many decisions, as one commit serves many writes.
final class SharedLedgerWatch: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [CheckedContinuation<Void, any Error>] = []
    private var stopping = false
    private let read: @Sendable () throws -> Void

    /// `read`: reads what other writers appended and drops what it touched.
    init(read: @escaping @Sendable () throws -> Void) {
        self.read = read
        let thread = Thread { [self] in
            Thread.current.name = "optgate-watch"
            run()
        }
        thread.start()
    }

    /// Returns once a read that began after this call has finished.
    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            condition.lock()
            if stopping {
                condition.unlock()
                continuation.resume(throwing: CancellationError())
                return
            }
            waiting.append(continuation)
            condition.signal()
            condition.unlock()
        }
    }

    /// Lets the requests waiting go on after one last read, and ends the thread.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while waiting.isEmpty && !stopping { condition.wait() }
            let batch = waiting
            waiting.removeAll()
            let done = stopping
            condition.unlock()
            if !batch.isEmpty {
                do {
                    try read()
                    for continuation in batch { continuation.resume() }
                } catch {
                    for continuation in batch { continuation.resume(throwing: error) }
                }
            }
            if done { return }
        }
    }
}
