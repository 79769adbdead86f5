/// An instant in UTC, to the second: seconds since 1970-01-01T00:00:00Z.
///
/// The core keeps its own calendar arithmetic (proleptic Gregorian, UTC) so that decisions are
/// deterministic, allocation-free and independent of the host's time zone or locale. Sub-second
/// precision is dropped: no marketing rule turns on less than a second.
public struct Timestamp: Hashable, Comparable, Sendable {
    public var secondsSinceEpoch: Int64

    @inlinable
    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// Midnight UTC at the start of the given civil date. Returns nil for an impossible date.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard CivilDate.isValid(year: year, month: month, day: day),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = CivilDate.daysFromCivil(year: year, month: month, day: day)
        secondsSinceEpoch = days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
    }

    @inlinable
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    /// This instant moved by whole seconds.
    @inlinable
    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(secondsSinceEpoch: secondsSinceEpoch + seconds)
    }

    /// This instant moved by whole days.
    @inlinable
    public func adding(days: Int) -> Timestamp {
        adding(seconds: Int64(days) * 86_400)
    }

    /// This instant moved by calendar months, keeping the time of day. A day that does not exist in
    /// the target month is clamped to its last day (31 January + 1 month = 28 or 29 February).
    public func adding(months: Int) -> Timestamp {
        let (days, secondOfDay) = secondsSinceEpoch.floorDivided(by: 86_400)
        let civil = CivilDate.civilFromDays(days)
        let monthIndex = civil.year * 12 + (civil.month - 1) + months
        let year = monthIndex.floorDivided(by: 12).quotient
        let month = monthIndex.floorDivided(by: 12).remainder + 1
        let day = min(civil.day, CivilDate.daysInMonth(year: year, month: month))
        return Timestamp(
            secondsSinceEpoch: CivilDate.daysFromCivil(year: year, month: month, day: day) * 86_400 + secondOfDay
        )
    }

    /// This instant moved by calendar years (29 February + 1 year = 28 February).
    public func adding(years: Int) -> Timestamp {
        adding(months: years * 12)
    }

    /// This instant moved by business days (Monday to Friday; public holidays are not modelled, so the
    /// result is never later than the legal deadline it approximates).
    public func adding(businessDays: Int) -> Timestamp {
        var result = self
        var remaining = businessDays
        while remaining > 0 {
            result = result.adding(days: 1)
            if !result.isWeekend { remaining -= 1 }
        }
        return result
    }

    /// Saturday or Sunday in UTC.
    public var isWeekend: Bool {
        let days = secondsSinceEpoch.floorDivided(by: 86_400).quotient
        // 1970-01-01 was a Thursday: weekday index 0 = Monday.
        let weekday = (days + 3).floorDivided(by: 7).remainder
        return weekday >= 5
    }

    /// The civil date (UTC) of this instant.
    public var civilDate: CivilDate {
        CivilDate.civilFromDays(secondsSinceEpoch.floorDivided(by: 86_400).quotient)
    }
}

/// A calendar date in the proleptic Gregorian calendar.
public struct CivilDate: Hashable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        (1...9999).contains(year) && (1...12).contains(month) && day >= 1
            && day <= daysInMonth(year: year, month: month)
    }

    /// Days since 1970-01-01 (H. Hinnant's days_from_civil).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
    static func civilFromDays(_ days: Int64) -> CivilDate {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return CivilDate(year: Int(y), month: Int(m), day: Int(d))
    }
}

extension Int64 {
    /// Division rounding towards negative infinity, with a non-negative remainder.
    @inline(__always)
    func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let q = self / divisor
        let r = self - q * divisor
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }
}

extension Int {
    /// Division rounding towards negative infinity, with a non-negative remainder.
    @inline(__always)
    func floorDivided(by divisor: Int) -> (quotient: Int, remainder: Int) {
        let q = self / divisor
        let r = self - q * divisor
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }
}
