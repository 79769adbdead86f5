import Foundation
import OptGateScenario

/// Reads newline-delimited JSON: one record per line (`{"record": "event", ...}`); blank lines are
/// skipped. The file is memory-mapped, so memory stays flat whatever its size.
///
/// Event and contact lines are read straight from their bytes (`DirectLineDecoder`); any other
/// line, and any line with a problem, is parsed into a `JSONValue` tree and read by
/// `ImportLineDecoder`, which names each problem by line, column and field.
public struct NDJSONReader: ImportFormatReader, Sendable {
    private let data: Data
    private var offset: Int
    private var line = 0
    /// Whether event and contact lines are read directly (the default); off, every line takes the
    /// full path (tests compare the two).
    var readsDirectly = true
    public var bytesRead: Int { offset }

    public init(data: Data) {
        self.data = data
        offset = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    public mutating func next() -> ImportLine? {
        let data = self.data
        return data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> ImportLine? in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
            let count = raw.count
            while offset < count {
                line += 1
                let start = offset
                let end = memchr(base + start, 0x0A, count - start).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? count
                offset = end + 1
                var last = end
                if last > start && base[last - 1] == 0x0D { last -= 1 }
                let bytes = UnsafeBufferPointer(start: base + start, count: last - start)
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                if readsDirectly, let direct = DirectLineDecoder.items(bytes, line: line) { return direct }
                let value: JSONValue
                do throws(JSONParser.SyntaxError) {
                    value = try JSONParser.parse(Array(bytes))
                } catch {
                    return ImportLine(line: line, problems: [ImportProblem(line: line, column: error.position.column, field: "", message: "invalid JSON: \(error.message)")])
                }
                return ImportLineDecoder.items(value, line: line)
            }
            return nil
        }
    }
}
