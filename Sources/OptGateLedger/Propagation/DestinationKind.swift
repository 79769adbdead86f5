import OptGateCore

/// What kind of system a destination is, which sets how soon it must honour a change.
///
/// - `bulk_email`: a bulk sender. Gmail's and Yahoo's sender requirements (2024) expect
///   unsubscribes honoured within two days: 48 hours.
/// - `email`, `sms`: CAN-SPAM (15 U.S.C. 7704(a)(4)) and CASL (s.11(3)) allow 10 business days.
/// - `crm`, `other`: 10 business days (the longest period the laws above allow) unless the
///   destination sets its own deadline.
public enum DestinationKind: String, CaseIterable, Hashable, Sendable {
    case bulkEmail = "bulk_email"
    case email
    case sms
    case crm
    case other

    /// The deadline a destination of this kind has unless it sets its own.
    public var defaultDeadline: PropagationDeadline {
        switch self {
        case .bulkEmail: return .hours(48)
        case .email, .sms, .crm, .other: return .businessDays(10)
        }
    }

    /// Every kind's name, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
