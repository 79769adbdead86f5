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

    public init(data: Data) {
        self.data = data
        offset = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// Bytes consumed so far (for progress).
    public var bytesRead: Int { offset }

    public mutating func next() -> Record? {
        guard offset < data.count else { return nil }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var index = offset
        while index < data.count {
            let byte = data[index]
            if quoted {
                if byte == 0x22 {
                    if index + 1 < data.count, data[index + 1] == 0x22 {
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
                offset = index + 1
                if field.last == 0x0D { field.removeLast() }
                fields.append(String(decoding: field, as: UTF8.self))
                return Record(line: startLine, fields: fields, unterminated: false)
            default:
                field.append(byte)
            }
            index += 1
        }
        offset = data.count
        if field.last == 0x0D { field.removeLast() }
        fields.append(String(decoding: field, as: UTF8.self))
        return Record(line: startLine, fields: fields, unterminated: quoted)
    }
}
