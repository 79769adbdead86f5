import OptGateCore
import OptGateLedger
import Testing

/// Deadlines and retry schedules of propagation: pure, so checked against hand-computed dates.
@Suite("Propagation deadlines and retries")
struct PropagationTimingTests {
    static func at(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }

    @Test("bulk email: 48 clock hours, weekends included (Gmail/Yahoo bulk-sender unsubscribe rule)")
    func bulkEmail() {
        let friday = Self.at("2026-11-20T15:30:00Z")
        #expect(DestinationKind.bulkEmail.defaultDeadline == .hours(48))
        #expect(DestinationKind.bulkEmail.defaultDeadline.deadline(receivedAt: friday) == Self.at("2026-11-22T15:30:00Z"))
    }

    @Test("CAN-SPAM 15 U.S.C. 7704(a)(4) and CASL s.11(3): 10 business days, skipping weekends")
    func businessDays() {
        for kind in [DestinationKind.email, .sms, .crm, .other] { #expect(kind.defaultDeadline == .businessDays(10)) }
        let deadline = PropagationDeadline.businessDays(10)
        // Monday 2026-11-16 + 10 business days = Monday 2026-11-30 (two weekends skipped).
        #expect(deadline.deadline(receivedAt: Self.at("2026-11-16T09:00:00Z")) == Self.at("2026-11-30T09:00:00Z"))
        // Friday + 10 business days = the Friday two weeks later.
        #expect(deadline.deadline(receivedAt: Self.at("2026-11-20T09:00:00Z")) == Self.at("2026-12-04T09:00:00Z"))
        // Made on a Saturday: the count starts on Monday, ending on the Friday after next.
        #expect(deadline.deadline(receivedAt: Self.at("2026-11-21T23:00:00Z")) == Self.at("2026-12-04T23:00:00Z"))
        // Made on a Sunday: the same Friday.
        #expect(deadline.deadline(receivedAt: Self.at("2026-11-22T08:00:00Z")) == Self.at("2026-12-04T08:00:00Z"))
        #expect(PropagationDeadline.businessDays(1).deadline(receivedAt: Self.at("2026-11-20T12:00:00Z")) == Self.at("2026-11-23T12:00:00Z"))
    }

    @Test("a destination's own deadline replaces its kind's")
    func override() {
        let crm = Destination(name: "crm", url: "https://crm.example/hook", kind: .crm, deadlineHours: 72, createdAt: Self.at("2026-01-01T00:00:00Z"), cursor: 0)
        #expect(crm.deadline == .hours(72))
        #expect(crm.deadline.deadline(receivedAt: Self.at("2026-11-20T00:00:00Z")) == Self.at("2026-11-23T00:00:00Z"))
        var plain = crm
        plain.deadlineHours = nil
        #expect(plain.deadline == .businessDays(10))
    }

    @Test("overdue: unconfirmed past the deadline, or confirmed after it; on time otherwise")
    func overdue() {
        var d = Delivery(
            key: "esp:1", destination: "esp", seq: 1, change: .optOut, contactID: "c-1", receivedAt: Self.at("2026-11-20T00:00:00Z"),
            boundAt: Self.at("2026-11-20T00:00:01Z"), deadline: Self.at("2026-11-22T00:00:00Z"), nextAttemptAt: 0)
        #expect(!d.isOverdue(at: Self.at("2026-11-22T00:00:00Z")))
        #expect(d.isOverdue(at: Self.at("2026-11-22T00:00:01Z")))
        d.deliveredAt = Self.at("2026-11-21T00:00:00Z")
        #expect(!d.isOverdue(at: Self.at("2027-01-01T00:00:00Z")))
        d.deliveredAt = Self.at("2026-11-22T00:00:01Z")
        #expect(d.isOverdue(at: Self.at("2026-11-22T00:00:02Z")))
    }

    @Test("backoff doubles from 10 s, is capped at 1 hour, and dead-letters after the last attempt")
    func backoff() {
        let schedule = RetrySchedule(initialDelay: 10, maximumDelay: 3600, maxAttempts: 15, jitter: 0.25)
        // random 0.5 is the middle of the jitter: no spread.
        let delays = (1...14).map { schedule.delay(afterAttempts: $0, random: 0.5) }
        #expect(delays == [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600, 3600, 3600])
        #expect(schedule.next(afterAttempts: 14, random: 0.5) == .retry(after: 3600))
        #expect(schedule.next(afterAttempts: 15, random: 0.5) == .deadLetter)
        #expect(schedule.next(afterAttempts: 40, random: 0.5) == .deadLetter)
    }

    @Test("jitter spreads each wait by at most ±25 % and never beyond the cap")
    func jitter() {
        let schedule = RetrySchedule()
        #expect(schedule.delay(afterAttempts: 1, random: 0) == 7.5)
        #expect(schedule.delay(afterAttempts: 1, random: 0.999999) > 12.49)
        #expect(schedule.delay(afterAttempts: 3, random: 0) == 30)
        #expect(schedule.delay(afterAttempts: 12, random: 1) == 3600)
        #expect(schedule.delay(afterAttempts: 12, random: 0) == 2700)
        #expect(schedule.delay(afterAttempts: 1000, random: 0.5) == 3600)
        for random in stride(from: 0.0, to: 1.0, by: 0.1) {
            let delay = schedule.delay(afterAttempts: 4, random: random)
            #expect(delay >= 60 && delay <= 100)
        }
    }
}
