/// RFC 3339 text for instants: `2026-03-01T10:00:00Z`, `2026-03-01T11:00:00.250+01:00`.
extension Timestamp {
    /// Why a text is not an RFC 3339 date-time.
    public enum RFC3339Error: Error, Equatable, Sendable, CustomStringConvertible {
        case malformed
        case impossibleDate(String)

        public var description: String {
            switch self {
            case .malformed:
                return "not an RFC 3339 date-time (expected e.g. 2026-03-01T10:00:00Z)"
            case .impossibleDate(let what):
                return "impossible date or time: \(what)"
            }
        }
    }

    /// Parses a full RFC 3339 date-time with a `Z` or `±hh:mm` offset. Fractional seconds are accepted
    /// and dropped. A date alone (`2026-03-01`) is rejected: a decision needs an instant.
    public init(rfc3339 text: String) throws(RFC3339Error) {
        var utf8 = Array(text.utf8)
        if utf8.count < 20 { throw .malformed }
        func digits(_ range: Range<Int>) throws(RFC3339Error) -> Int {
            var value = 0
            for i in range {
                guard i < utf8.count else { throw .malformed }
                let c = utf8[i]
                guard c >= 48 && c <= 57 else { throw .malformed }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        func expect(_ index: Int, _ chars: String) throws(RFC3339Error) {
            guard index < utf8.count, chars.utf8.contains(utf8[index]) else { throw .malformed }
        }
        // Lower-case t and z are allowed by RFC 3339 §5.6.
        if utf8[10] == UInt8(ascii: "t") { utf8[10] = UInt8(ascii: "T") }
        let year = try digits(0..<4)
        try expect(4, "-")
        let month = try digits(5..<7)
        try expect(7, "-")
        let day = try digits(8..<10)
        try expect(10, "T ")
        let hour = try digits(11..<13)
        try expect(13, ":")
        let minute = try digits(14..<16)
        try expect(16, ":")
        let second = try digits(17..<19)
        var index = 19
        if index < utf8.count, utf8[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < utf8.count, utf8[index] >= 48, utf8[index] <= 57 { index += 1 }
            if index == start { throw .malformed }
        }
        guard index < utf8.count else { throw .malformed }
        var offsetSeconds = 0
        switch utf8[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = utf8[index] == UInt8(ascii: "-") ? -1 : 1
            let offsetHour = try digits(index + 1..<index + 3)
            try expect(index + 3, ":")
            let offsetMinute = try digits(index + 4..<index + 6)
            guard offsetHour <= 23, offsetMinute <= 59 else {
                throw .impossibleDate("offset \(sign < 0 ? "-" : "+")\(pad(offsetHour, 2)):\(pad(offsetMinute, 2))")
            }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
            index += 6
        default:
            throw .malformed
        }
        guard index == utf8.count else { throw .malformed }
        guard CivilDate.isValid(year: year, month: month, day: day) else {
            throw .impossibleDate(String(text.prefix(10)))
        }
        guard hour <= 23, minute <= 59, second <= 60 else {
            throw .impossibleDate(String(text.dropFirst(11).prefix(8)))
        }
        guard let local = Timestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { throw .impossibleDate(text) }
        self = local.adding(seconds: Int64(-offsetSeconds))
    }

    /// `2026-03-01T10:00:00Z`.
    public var rfc3339: String {
        let (days, secondOfDay) = secondsSinceEpoch.floorDivided(by: 86_400)
        let date = CivilDate.civilFromDays(days)
        // Written digit by digit: this runs for every event stored and every decision answered.
        guard (0...9999).contains(date.year) else {
            let hour = Int(secondOfDay / 3600), minute = Int(secondOfDay % 3600 / 60), second = Int(secondOfDay % 60)
            return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))Z"
        }
        return String(unsafeUninitializedCapacity: 20) { buffer in
            writeDay(date, into: buffer)
            let seconds = Int(secondOfDay)
            buffer[10] = UInt8(ascii: "T")
            writeTwoDigits(seconds / 3600, into: buffer, at: 11)
            buffer[13] = UInt8(ascii: ":")
            writeTwoDigits(seconds % 3600 / 60, into: buffer, at: 14)
            buffer[16] = UInt8(ascii: ":")
            writeTwoDigits(seconds % 60, into: buffer, at: 17)
            buffer[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// `2026-03-01`: the UTC calendar day, for human-readable details.
    public var dayText: String {
        let date = civilDate
        guard (0...9999).contains(date.year) else { return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))" }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            writeDay(date, into: buffer)
            return 10
        }
    }
}

/// `YYYY-MM-DD` into the first 10 bytes (a year of four digits).
private func writeDay(_ date: CivilDate, into buffer: UnsafeMutableBufferPointer<UInt8>) {
    writeTwoDigits(date.year / 100, into: buffer, at: 0)
    writeTwoDigits(date.year % 100, into: buffer, at: 2)
    buffer[4] = UInt8(ascii: "-")
    writeTwoDigits(date.month, into: buffer, at: 5)
    buffer[7] = UInt8(ascii: "-")
    writeTwoDigits(date.day, into: buffer, at: 8)
}

private func writeTwoDigits(_ value: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at index: Int) {
    buffer[index] = UInt8(truncatingIfNeeded: 48 + value / 10)
    buffer[index + 1] = UInt8(truncatingIfNeeded: 48 + value % 10)
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}
