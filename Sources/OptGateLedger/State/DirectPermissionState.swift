import OptGateCore
import OptGateScenario

/// Reads a stored permission state straight from its bytes, as `PermissionStateCodec.encode` wrote
/// it: the writer reads a contact's state back for nearly every event it records, and reading it
/// through the full JSON reader was 12 % of the writer's CPU at 1,000,000 contacts.
///
/// Gives nil for anything outside what `encode` writes for plain values (an escape in a string, an
/// empty string, an unknown or repeated member, a number with a fraction), and
/// `PermissionStateCodec.decodeFully` then reads the text.
enum DirectPermissionState {
    private enum Member: Int {
        case eventCount, firstEventAt, lastEventAt, consents, optOuts, registers, frequencies, privacySignal
        case lastSale, marketingSent, lastMarketingAt
    }

    private static let members: [(StaticString, Member)] = [
        ("eventCount", .eventCount), ("firstEventAt", .firstEventAt), ("lastEventAt", .lastEventAt), ("consents", .consents),
        ("optOuts", .optOuts), ("registers", .registers), ("frequencies", .frequencies), ("privacySignal", .privacySignal),
        ("lastSale", .lastSale), ("marketingSent", .marketingSent), ("lastMarketingAt", .lastMarketingAt),
    ]
    private static let markMembers: [(StaticString, Bool)] = [("at", true), ("value", false)]

    static func read(_ text: String) -> PermissionState? {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return nil }
            var scanner = JSONByteScanner(base: base, end: bytes.count)
            return state(&scanner)
        }
    }

    private static func state(_ s: inout JSONByteScanner) -> PermissionState? {
        guard s.consume(UInt8(ascii: "{")) else { return nil }
        var state = PermissionState()
        var seen: UInt16 = 0
        repeat {
            guard let member = s.key(members), seen & (1 << member.rawValue) == 0, s.consume(UInt8(ascii: ":")) else { return nil }
            seen |= 1 << member.rawValue
            switch member {
            case .eventCount, .marketingSent:
                guard let number = s.integer(), let count = Int(exactly: number) else { return nil }
                if member == .eventCount { state.eventCount = count } else { state.marketingSent = count }
            case .firstEventAt, .lastEventAt, .lastMarketingAt:
                guard let seconds = s.integer() else { return nil }
                let at = Timestamp(secondsSinceEpoch: seconds)
                switch member {
                case .firstEventAt: state.firstEventAt = at
                case .lastEventAt: state.lastEventAt = at
                default: state.lastMarketingAt = at
                }
            case .consents, .optOuts, .registers, .frequencies:
                guard let map = marks(&s) else { return nil }
                switch member {
                case .consents: state.consents = map
                case .optOuts: state.optOuts = map
                case .registers: state.registers = map
                default: state.frequencies = map
                }
            case .privacySignal:
                guard let signal = mark(&s) else { return nil }
                state.privacySignal = signal
            case .lastSale:
                guard let sales = times(&s) else { return nil }
                state.lastSale = sales
            }
        } while s.consume(UInt8(ascii: ","))
        guard s.consume(UInt8(ascii: "}")), s.atEnd() else { return nil }
        return state
    }

    /// `{"at":SECONDS,"value":"TEXT"}`, in either order.
    private static func mark(_ s: inout JSONByteScanner) -> PermissionState.Mark<String>? {
        guard s.consume(UInt8(ascii: "{")) else { return nil }
        var at: Int64?
        var value: String?
        repeat {
            guard let isAt = s.key(markMembers), s.consume(UInt8(ascii: ":")) else { return nil }
            if isAt {
                guard at == nil, let seconds = s.integer() else { return nil }
                at = seconds
            } else {
                guard value == nil, let text = s.string() else { return nil }
                value = text
            }
        } while s.consume(UInt8(ascii: ","))
        guard s.consume(UInt8(ascii: "}")), let at, let value else { return nil }
        return PermissionState.Mark(at: Timestamp(secondsSinceEpoch: at), value: value)
    }

    /// An object of marks by key (possibly empty).
    private static func marks(_ s: inout JSONByteScanner) -> [String: PermissionState.Mark<String>]? {
        entries(&s) { mark(&$0) }
    }

    /// An object of times by key (possibly empty).
    private static func times(_ s: inout JSONByteScanner) -> [String: Timestamp]? {
        entries(&s) { $0.integer().map(Timestamp.init(secondsSinceEpoch:)) }
    }

    private static func entries<T>(_ s: inout JSONByteScanner, _ value: (inout JSONByteScanner) -> T?) -> [String: T]? {
        guard s.consume(UInt8(ascii: "{")) else { return nil }
        var result: [String: T] = [:]
        if s.consume(UInt8(ascii: "}")) { return result }
        repeat {
            guard let key = s.string(), result[key] == nil, s.consume(UInt8(ascii: ":")), let item = value(&s) else { return nil }
            result[key] = item
        } while s.consume(UInt8(ascii: ","))
        return s.consume(UInt8(ascii: "}")) ? result : nil
    }
}
