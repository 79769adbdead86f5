/// One question put to the engine: this message, to this person with this history, at this instant,
/// from this organisation.
struct DecisionInput {
    let message: Message
    let contact: Contact
    let events: [Event]
    let now: Timestamp
    let organisation: Organisation

    /// Calls `body` for each event at or before `now`, with its position in the history. Events
    /// dated after the decision time are invisible to every check.
    @inline(__always)
    func forEachPastEvent(_ body: (Int, Event) -> Void) {
        for index in events.indices {
            let event = events[index]
            if event.at <= now { body(index, event) }
        }
    }

    /// Calls `body` for each `details_collected` event at or before `now`. Only the payload is
    /// copied out of the history, not the whole event (this loop runs for every decision).
    @inline(__always)
    func forEachPastDetails(_ body: (Int, Timestamp, DetailsCollected) -> Void) {
        for index in events.indices {
            guard events[index].at <= now, case .detailsCollected(let details) = events[index].kind else { continue }
            body(index, events[index].at, details)
        }
    }

    /// Calls `body` for each `consent_given` event at or before `now`, copying only the payload.
    @inline(__always)
    func forEachPastConsent(_ body: (Int, Timestamp, ConsentGiven) -> Void) {
        for index in events.indices {
            guard events[index].at <= now, case .consentGiven(let consent) = events[index].kind else { continue }
            body(index, events[index].at, consent)
        }
    }

    /// True when the person promoted is the sender or the third party the message promotes.
    @inline(__always)
    func concernsMessageEntity(_ entity: String) -> Bool {
        entity == message.from || entity == message.onBehalfOf
    }
}

/// The result of testing one basis route.
struct RouteOutcome {
    var holds: Bool
    /// Grounds when it holds; every failed condition when it does not.
    var reasons: [Reason]
    var validUntil: Timestamp?
    var requirements: Requirements = []

    static func fails(_ reasons: [Reason]) -> RouteOutcome {
        RouteOutcome(holds: false, reasons: reasons, validUntil: nil)
    }
}

/// A candidate event's failed conditions: counted while candidates are compared, built as reasons
/// only for the one that came closest, so that comparing candidates allocates nothing.
struct FailureSink {
    private(set) var count = 0
    private(set) var reasons: [Reason]?
    /// Whether one failure is all that is wanted (is there a candidate with none?).
    private var stopsAtFirst = false

    /// Counts every failure, to find the candidate that came closest.
    static var counting: FailureSink { FailureSink() }
    /// Notes only whether there is a failure: checks may stop at the first.
    static var anyFailure: FailureSink {
        var sink = FailureSink()
        sink.stopsAtFirst = true
        return sink
    }
    /// True once nothing more need be checked.
    var isSettled: Bool { stopsAtFirst && count > 0 }
    /// Counts and keeps the reasons.
    static var collecting: FailureSink {
        var sink = FailureSink()
        sink.reasons = []
        return sink
    }

    @inline(__always)
    mutating func add(_ reason: @autoclosure () -> Reason) {
        count += 1
        if reasons != nil { reasons!.append(reason()) }
    }
}

/// Keeps the candidate event with the fewest failures, preferring the latest among equals.
struct BestCandidate {
    private(set) var index: Int?
    private(set) var at = Timestamp(secondsSinceEpoch: .min)
    private(set) var failures = 0
    private(set) var extra: Timestamp?

    mutating func offer(index: Int, at: Timestamp, failures: Int, extra: Timestamp? = nil) {
        if self.index == nil || failures < self.failures || (failures == self.failures && at >= self.at) {
            self.index = index
            self.at = at
            self.failures = failures
            self.extra = extra
        }
    }

}

extension Optional where Wrapped == Timestamp {
    /// The earlier of two optional instants; nil means "never".
    func earliest(_ other: Timestamp?) -> Timestamp? {
        switch (self, other) {
        case (nil, let b): return b
        case (let a, nil): return a
        case (let a?, let b?): return Swift.min(a, b)
        }
    }
}

extension Set {
    /// Membership by comparing elements. The sets the engine asks (a consent's purposes, a law's
    /// sale and negotiation contexts) hold a handful of enum cases: comparing them is several times
    /// cheaper than hashing the candidate with SipHash, and gives the same answer.
    @inline(__always)
    func containsByScan(_ member: Element) -> Bool {
        for element in self where element == member { return true }
        return false
    }
}
