import OptGateCore
import PropertyBased
import Testing

@Suite("Timestamp formatting")
struct TimestampFormattingTests {
    /// The field-by-field form the digit writer replaced.
    static func reference(_ t: Timestamp) -> String {
        let date = t.civilDate
        let second = ((t.secondsSinceEpoch % 86_400) + 86_400) % 86_400
        func pad(_ v: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))T\(pad(Int(second / 3600), 2)):\(pad(Int(second % 3600 / 60), 2)):\(pad(Int(second % 60), 2))Z"
    }

    @Test("RFC 3339 text reads back as the same instant and matches the calendar, years 0001 to 9999")
    func roundTrip() async {
        // 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59Z
        await propertyCheck(count: 2000, input: Gen.int64(in: -62_135_596_800...253_402_300_799)) { seconds in
            let t = Timestamp(secondsSinceEpoch: seconds)
            #expect(t.rfc3339 == Self.reference(t))
            #expect((try? Timestamp(rfc3339: t.rfc3339)) == t)
            #expect(t.dayText == String(t.rfc3339.prefix(10)))
        }
    }

    @Test("edges: the epoch, a leap day, the last second of a day and of 9999")
    func edges() throws {
        #expect(Timestamp(secondsSinceEpoch: 0).rfc3339 == "1970-01-01T00:00:00Z")
        #expect(try Timestamp(rfc3339: "2024-02-29T23:59:59Z").rfc3339 == "2024-02-29T23:59:59Z")
        #expect(Timestamp(secondsSinceEpoch: 253_402_300_799).rfc3339 == "9999-12-31T23:59:59Z")
        #expect(Timestamp(secondsSinceEpoch: -1).dayText == "1969-12-31")
    }
}
