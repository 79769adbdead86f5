/// How a webhook is sent: one HTTP POST and what came of it. A protocol so that the propagator's
/// logic (signing, retries, dead letters) is the same whatever carries the request;
/// `URLSessionTransport` is the one the server uses.
public protocol WebhookTransport: Sendable {
    /// Posts `request` and reports the answer's status, or why there was none. Never throws: every
    /// failure is an outcome the propagator schedules a retry for.
    func post(_ request: WebhookRequest) async -> WebhookResult
}

/// One webhook POST.
public struct WebhookRequest: Sendable {
    public var url: String
    /// Header names and values, in order.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Seconds to wait for the answer before giving up on this attempt.
    public var timeout: Double

    public init(url: String, headers: [(name: String, value: String)], body: [UInt8], timeout: Double) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The value of a header (names compared without regard to case).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// What came of a webhook POST.
public enum WebhookResult: Hashable, Sendable {
    /// The destination answered with this HTTP status.
    case status(Int)
    /// No answer: a timeout or a connection error, described.
    case failed(String)

    /// A 2xx answer: the destination confirmed the change.
    public var isConfirmation: Bool {
        if case .status(let code) = self { return (200..<300).contains(code) }
        return false
    }

    /// What went wrong, for the outbox's `last_error`.
    public var problem: String {
        switch self {
        case .status(let code): return "HTTP \(code)"
        case .failed(let reason): return reason
        }
    }
}
