import Foundation

/// Reads ahead on a second thread: the wrapped reader parses lines into batches, and the records
/// that do not depend on the ledger are encoded (`ImportLine.prepare`), while the import appends
/// the previous ones, so parsing and writing use both cores. Lines come out in order.
public final class PrefetchingReader<Base: ImportFormatReader & Sendable>: ImportFormatReader, @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[ImportLine]] = []
    private var finished = false
    private var stopped = false
    private var current: [ImportLine] = []
    private var position = 0
    private var producedBytes = 0
    private var consumedBytes = 0
    private var batchBytes: [Int] = []
    /// Batches the import is done with, freed by the reader thread: releasing a batch's lines,
    /// items and prepared records is work the appending thread need not do.
    private var spent: [[ImportLine]] = []
    private static var batchSize: Int { 512 }
    private static var queueLimit: Int { 8 }

    public init(_ base: Base) {
        let thread = Thread { [self] in
            // Named from inside: the name then reaches the system thread (top -H, perf, /proc).
            Thread.current.name = "optgate-reader"
            self.produce(base)
        }
        thread.start()
    }

    deinit { stop() }

    public var bytesRead: Int { consumedBytes }

    public func next() -> ImportLine? {
        if position < current.count {
            defer { position += 1 }
            return current[position]
        }
        condition.lock()
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else {
            condition.unlock()
            return nil
        }
        spent.append(current)
        current = batches.removeFirst()
        consumedBytes = batchBytes.removeFirst()
        condition.signal()
        condition.unlock()
        position = 1
        return current.first
    }

    /// Stops the reader thread early (an import that gave up).
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func produce(_ base: Base) {
        var reader = base
        var salts = SaltSource()
        var batch: [ImportLine] = []
        batch.reserveCapacity(Self.batchSize)
        func push(_ lines: [ImportLine], bytes: Int) -> Bool {
            var garbage: [[ImportLine]] = []
            condition.lock()
            defer {
                condition.unlock()
                garbage.removeAll()   // freed here, outside the lock
            }
            while batches.count >= Self.queueLimit && !stopped { condition.wait() }
            if stopped { return false }
            batches.append(lines)
            batchBytes.append(bytes)
            swap(&garbage, &spent)
            condition.signal()
            return true
        }
        while var line = reader.next() {
            line.prepare(salts: &salts)
            batch.append(line)
            if batch.count == Self.batchSize {
                guard push(batch, bytes: reader.bytesRead) else { return }
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { _ = push(batch, bytes: reader.bytesRead) }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
