import Foundation
import OptGateScenario

/// Reads newline-delimited JSON: one record per line (`{"record": "event", ...}`); blank lines are
/// skipped. The file is memory-mapped, so memory stays flat whatever its size.
public struct NDJSONReader: ImportFormatReader, Sendable {
    private let data: Data
    private var offset: Int
    private var line = 0
    public var bytesRead: Int { offset }

    public init(data: Data) {
        self.data = data
        offset = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    public mutating func next() -> ImportLine? {
        while offset < data.count {
            line += 1
            let start = offset
            let end = data[start...].firstIndex(of: 0x0A) ?? data.count
            offset = end + 1
            var bytes = [UInt8](data[start..<end])
            if bytes.last == 0x0D { bytes.removeLast() }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let value: JSONValue
            do {
                value = try JSONParser.parse(bytes)
            } catch {
                return ImportLine(line: line, problems: [ImportProblem(line: line, column: error.position.column, field: "", message: "invalid JSON: \(error.message)")])
            }
            return ImportLineDecoder.items(value, line: line)
        }
        return nil
    }
}
