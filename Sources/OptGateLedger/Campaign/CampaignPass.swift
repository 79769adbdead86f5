import Foundation
import OptGateCore

/// The campaign check's pass over a whole audience: a batch at a time, the next chunk of rows for
/// each core is split off the file, parsed and judged on its own thread, then its rows written on
/// its own thread, and the batch handed back in file order. Memory holds one batch, whatever the
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
        let chunks = try ParallelRanges.map(count: parts.count, parts: parts.count) { range in
            range.map { index in
                var part = parts[index]
                return part.rows()
            }
        }
        let verdicts = try filter.judge(chunks)
        let now = filter.at
        let sendRow = self.sendRow
        let written = try ParallelRanges.map(count: verdicts.count, parts: verdicts.count) { range in
            try range.map { chunk in
                var batch = Batch()
                var send: [UInt8] = []
                var excluded: [UInt8] = []
                let judged = verdicts[chunk]
                for index in judged.indices {
                    batch.summary.add(judged[index], now: now)
                    batch.samples.add(judged[index])
                    if judged[index].send {
                        try sendRow(judged[index], &send)
                    } else {
                        CampaignRows.appendExcluded(judged[index], to: &excluded)
                    }
                }
                batch.send = [send]
                batch.excluded = [excluded]
                return batch
            }
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
