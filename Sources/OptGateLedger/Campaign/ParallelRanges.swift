import Dispatch
import Foundation

/// Work split into contiguous ranges, one per thread, with the results joined in order.
enum ParallelRanges {
    /// `body` over `parts` contiguous ranges of `0..<count`, each on its own thread; the results in
    /// range order. The first error thrown (in range order) is rethrown.
    static func map<T: Sendable>(count: Int, parts: Int, _ body: @Sendable (Range<Int>) throws -> [T]) throws -> [T] {
        let parts = max(1, min(parts, count))
        if parts == 1 { return try body(0..<count) }
        let results = Results<T>(parts: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (count * part / parts)..<(count * (part + 1) / parts)
            results.set(part, Result { try body(range) })
        }
        return try results.joined()
    }

    /// Each part's result, written once by its own thread.
    private final class Results<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var parts: [Result<[T], any Error>?]

        init(parts: Int) { self.parts = Array(repeating: nil, count: parts) }

        func set(_ part: Int, _ result: Result<[T], any Error>) {
            lock.lock()
            parts[part] = result
            lock.unlock()
        }

        func joined() throws -> [T] {
            lock.lock()
            defer { lock.unlock() }
            var all: [T] = []
            for part in parts { all += try part!.get() }
            return all
        }
    }
}
