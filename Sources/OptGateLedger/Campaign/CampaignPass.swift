import Foundation
import OptGateCore

/// The campaign check's pass over a whole audience: a batch at a time, the next chunk of lines for
/// each core is split off the file, then parsed, judged and written on its own thread (one barrier
/// per batch), and the batch handed back in file order. Memory holds one batch, whatever the
/// audience's size.
public struct CampaignPass {
    /// A batch's output, in file order.
    public struct Batch: Sendable {
        /// Rows for send.csv and excluded.csv, in parts to be written one after the other.
        public var send: [[UInt8]] = []
        public var excluded: [[UInt8]] = []
        public var summary = CampaignSummary()
        public var samples = CampaignSamples()
        /// How far into the audience file the pass is.
        public var bytesRead = 0
    }

    /// Appends the row a send verdict gets in send.csv (with its links).
    public typealias SendRow = @Sendable (CampaignVerdict, inout [UInt8]) throws -> Void

    public private(set) var filter: CampaignFilter
    private var audience: AudienceReader
    private let rowsPerChunk: Int
    private let sendRow: SendRow

    public init(filter: CampaignFilter, audience: AudienceReader, rowsPerChunk: Int, sendRow: @escaping SendRow) {
        self.filter = filter
        self.audience = audience
        self.rowsPerChunk = max(1, rowsPerChunk)
        self.sendRow = sendRow
    }

    /// The next batch, or nil at the end of the audience.
    public mutating func next() throws -> Batch? {
        guard !audience.isAtEnd else { return nil }
        var split: [AudienceReader] = []
        while split.count < filter.workers, !audience.isAtEnd { split.append(audience.split(records: rowsPerChunk)) }
        let parts = split
        let now = filter.at
        let sendRow = self.sendRow
        // One pass per chunk on its own thread: parse, judge, write.
        let written = try filter.judge(chunks: parts.count) { index in
            var part = parts[index]
            return part.rows()
        } finish: { _, _, verdicts in
            var batch = Batch()
            var send: [UInt8] = []
            var excluded: [UInt8] = []
            for index in verdicts.indices {
                batch.summary.add(verdicts[index], now: now)
                batch.samples.add(verdicts[index])
                if verdicts[index].send {
                    try sendRow(verdicts[index], &send)
                } else {
                    CampaignRows.appendExcluded(verdicts[index], to: &excluded)
                }
            }
            batch.send = [send]
            batch.excluded = [excluded]
            return batch
        }
        var batch = Batch()
        for part in written {
            batch.send += part.send
            batch.excluded += part.excluded
            batch.summary.merge(part.summary)
            batch.samples.merge(part.samples)
        }
        batch.bytesRead = audience.bytesRead
        return batch
    }
}
