import OptGateCore
import OptGateLedger
import OptGateScenario

/// Reads a decision request straight from its bytes: the send path asks it before every message,
/// in the same few shapes, so it is read without a `JSONValue` tree.
///
/// It reads only requests the full reader (`DecisionRoutes.parse`) accepts, and reads them as that
/// reader does: plain strings (no escapes), members each at most once, known entities and products,
/// known channel and purpose. For anything else (an unknown member, an escape, a wrong type, an
/// unknown product, a malformed email) it gives nil, and the full reader then reads the body and
/// names every problem by field, line and column.
enum DirectDecisionRequest {
    private enum Member: Int { case contact, email, phone, message, at, messageID }
    private enum MessageMember: Int {
        case from, channel, purpose, products, onBehalfOf, includesOptOut, identifiesSender, solicited, relevantToRole
    }

    private static let members: [(StaticString, Member)] = [
        ("contact", .contact), ("email", .email), ("phone", .phone), ("message", .message), ("at", .at), ("message_id", .messageID),
    ]
    private static let messageMembers: [(StaticString, MessageMember)] = [
        ("from", .from), ("channel", .channel), ("purpose", .purpose), ("products", .products), ("on_behalf_of", .onBehalfOf),
        ("includes_opt_out", .includesOptOut), ("identifies_sender", .identifiesSender), ("solicited", .solicited),
        ("relevant_to_role", .relevantToRole),
    ]

    /// The request in `bytes`, or nil when the full reader must read it.
    static func read(_ bytes: [UInt8], organisation: OrganisationHistory) -> DecisionRoutes.DecisionRequest? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            var scanner = JSONByteScanner(base: base, end: buffer.count)
            return request(&scanner, organisation)
        }
    }

    private static func request(_ s: inout JSONByteScanner, _ organisation: OrganisationHistory) -> DecisionRoutes.DecisionRequest? {
        guard s.consume(UInt8(ascii: "{")) else { return nil }
        var contact: ContactLookup?
        var message: Message?
        var at: Timestamp?
        var messageID: String?
        var seen: UInt8 = 0
        repeat {
            guard let member = s.key(members), seen & (1 << member.rawValue) == 0, s.consume(UInt8(ascii: ":")) else { return nil }
            seen |= 1 << member.rawValue
            switch member {
            case .contact, .email, .phone:
                guard contact == nil, let text = s.string() else { return nil }
                switch member {
                case .contact: contact = .id(text)
                case .email: guard let email = try? Identifier.email(text) else { return nil }; contact = .identifier(email)
                default: guard let phone = try? Identifier.phone(text) else { return nil }; contact = .identifier(phone)
                }
            case .message:
                guard let read = readMessage(&s, organisation) else { return nil }
                message = read
            case .at:
                guard let text = s.string(), let instant = try? Timestamp(rfc3339: text) else { return nil }
                at = instant
            case .messageID:
                guard let text = s.string() else { return nil }
                messageID = text
            }
        } while s.consume(UInt8(ascii: ","))
        guard s.consume(UInt8(ascii: "}")), s.atEnd(), let contact, let message, at == nil || messageID == nil else { return nil }
        return DecisionRoutes.DecisionRequest(contact: contact, message: message, at: at, messageID: messageID)
    }

    private static func readMessage(_ s: inout JSONByteScanner, _ organisation: OrganisationHistory) -> Message? {
        guard s.consume(UInt8(ascii: "{")) else { return nil }
        var from: String?
        var channel: Channel?
        var purpose: Purpose?
        var products: [String] = []
        var onBehalfOf: String?
        var flags: [Bool?] = [nil, nil, nil, nil]
        var seen: UInt16 = 0
        repeat {
            guard let member = s.key(messageMembers), seen & (1 << member.rawValue) == 0, s.consume(UInt8(ascii: ":")) else { return nil }
            seen |= 1 << member.rawValue
            switch member {
            case .from, .onBehalfOf:
                guard let id = s.string(), organisation.entityIDs.contains(id) else { return nil }
                if member == .from { from = id } else { onBehalfOf = id }
            case .channel:
                guard let text = s.string(), let value = Channel(rawValue: text) else { return nil }
                channel = value
            case .purpose:
                guard let text = s.string(), let value = Purpose(rawValue: text) else { return nil }
                purpose = value
            case .products:
                guard let list = s.stringArray(), list.allSatisfy(organisation.productIDs.contains) else { return nil }
                products = list
            case .includesOptOut, .identifiesSender, .solicited, .relevantToRole:
                guard let flag = s.bool() else { return nil }
                flags[member.rawValue - MessageMember.includesOptOut.rawValue] = flag
            }
        } while s.consume(UInt8(ascii: ","))
        guard s.consume(UInt8(ascii: "}")), let from, let channel, let purpose else { return nil }
        return Message(
            from: from, channel: channel, purpose: purpose, products: products, onBehalfOf: onBehalfOf,
            includesOptOut: flags[0] ?? true, identifiesSender: flags[1] ?? true, solicited: flags[2] ?? false,
            relevantToRole: flags[3] ?? false)
    }
}
