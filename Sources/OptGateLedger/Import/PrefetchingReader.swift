import Foundation

/// Reads ahead on a second thread: the wrapped reader parses lines into batches while the import
/// appends the previous ones, so parsing and writing use both cores. Lines come out in order.
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
    private static var batchSize: Int { 512 }
    private static var queueLimit: Int { 8 }

    public init(_ base: Base) {
        let thread = Thread { [self] in self.produce(base) }
        thread.name = "optgate-import-reader"
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
        var batch: [ImportLine] = []
        batch.reserveCapacity(Self.batchSize)
        func push(_ lines: [ImportLine], bytes: Int) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while batches.count >= Self.queueLimit && !stopped { condition.wait() }
            if stopped { return false }
            batches.append(lines)
            batchBytes.append(bytes)
            condition.signal()
            return true
        }
        while let line = reader.next() {
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
