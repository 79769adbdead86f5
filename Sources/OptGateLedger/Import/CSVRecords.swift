import Foundation

/// RFC 4180 records of a CSV file, one at a time: comma-separated fields; a field in double quotes
/// may hold commas, doubled quotes and line breaks; lines end in LF or CRLF; a UTF-8 byte order
/// mark at the start is skipped. Each record comes with the line it starts on. Reads a mapped file
/// without copying it, so memory stays bounded whatever its size.
public struct CSVRecords: Sendable {
    public struct Record: Sendable {
        /// The line the record starts on (1-based).
        public var line: Int
        public var fields: [String]
        /// The file ended inside a quoted field: the closing quote is missing.
        public var unterminated: Bool
    }

    private let data: Data
    private var offset: Int
    private var line = 1
    /// Where this reader stops (the end of the file, or of a part of it).
    private var end: Int

    public init(data: Data) {
        self.data = data
        offset = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        end = data.count
    }

    /// Bytes consumed so far (for progress).
    public var bytesRead: Int { offset }

    /// Whether every record has been read.
    public var isAtEnd: Bool { offset >= end }

    /// A reader of the next `count` records only (fewer at the end of the file), which this reader
    /// then skips: parts of one file, to be parsed on different threads, each knowing its lines.
    public mutating func split(records count: Int) -> CSVRecords {
        var part = self
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = offset
            var line = self.line
            var records = 0
            var quoted = false
            var fieldEmpty = true
            while index < end, records < count {
                let byte = bytes[index]
                index += 1
                if quoted {
                    if byte == 0x22 {
                        if index < end, bytes[index] == 0x22 { index += 1 } else { quoted = false }
                    } else if byte == 0x0A {
                        line += 1
                    }
                    fieldEmpty = false
                    continue
                }
                switch byte {
                case 0x22 where fieldEmpty: quoted = true
                case 0x2C: fieldEmpty = true; continue
                case 0x0A:
                    line += 1
                    records += 1
                    fieldEmpty = true
                    continue
                default: break
                }
                fieldEmpty = false
            }
            self.offset = index
            self.line = line
        }
        part.end = offset
        return part
    }

    public mutating func next() -> Record? {
        guard offset < end else { return nil }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var index = offset
        var line = self.line
        let end = self.end
        let finished: Bool = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            while index < end {
                let byte = bytes[index]
                if quoted {
                    if byte == 0x22 {
                        if index + 1 < end, bytes[index + 1] == 0x22 {
                            field.append(0x22)
                            index += 2
                            continue
                        }
                        quoted = false
                    } else {
                        if byte == 0x0A { line += 1 }
                        field.append(byte)
                    }
                    index += 1
                    continue
                }
                switch byte {
                case 0x22 where field.isEmpty:
                    quoted = true
                case 0x2C:
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                case 0x0A:
                    line += 1
                    index += 1
                    return true
                default:
                    field.append(byte)
                }
                index += 1
            }
            return false
        }
        self.line = line
        offset = finished ? index : end
        if field.last == 0x0D { field.removeLast() }
        fields.append(String(decoding: field, as: UTF8.self))
        return Record(line: startLine, fields: fields, unterminated: !finished && quoted)
    }
}
