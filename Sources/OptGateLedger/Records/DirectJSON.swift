import Foundation
import OptGateCore
import OptGateScenario

/// Reads the JSON that nearly all of the ledger's events are written in, straight from its bytes:
/// no `JSONValue` tree, no positions, no diagnostics. Import lines (`DirectLineDecoder`) and
/// stored event records (`DirectRecordDecoder`) are read with it.
///
/// It accepts only a subset: objects of known members, non-empty strings without escapes or control
/// characters, arrays of such strings, small positive whole numbers, `true` and `false`. A reader built on it gives nil for
/// anything else, and its caller then reads the text with the full reader (`JSONParser` and the
/// decoders over it), which names every problem by position and field.
enum DirectJSON {
    /// The members a direct object may have: the contact and event fields of `ImportLineDecoder` and
    /// `ScenarioDecoder.readEvent`.
    enum Field: Int, CaseIterable {
        case record, contact, id, email, phone, jurisdiction, subscriber, evidence
        case type, at, by, from, context, products, channels, refusalOffered, refused
        case to, purposes, method, noticeVersion, source, collectedBy, expiresAt
        case via, until, entity, register, channel, value, maxPer30Days

        var bit: UInt64 { 1 << UInt64(rawValue) }

        static func mask(_ fields: [Field]) -> UInt64 { fields.reduce(0) { $0 | $1.bit } }

        static let names: [(StaticString, Field)] = [
            ("record", .record), ("contact", .contact), ("id", .id), ("email", .email), ("phone", .phone),
            ("jurisdiction", .jurisdiction), ("subscriber", .subscriber), ("evidence", .evidence),
            ("type", .type), ("at", .at), ("by", .by), ("from", .from), ("context", .context), ("products", .products),
            ("channels", .channels), ("refusal_offered", .refusalOffered), ("refused", .refused),
            ("to", .to), ("purposes", .purposes), ("method", .method), ("notice_version", .noticeVersion),
            ("source", .source), ("collected_by", .collectedBy), ("expires_at", .expiresAt),
            ("via", .via), ("until", .until), ("entity", .entity), ("register", .register), ("channel", .channel),
            ("value", .value), ("max_per_30_days", .maxPer30Days),
        ]
    }

    /// The members of evidence objects.
    enum EvidenceField: Int, CaseIterable {
        case collectionPoint, actor, ip, userAgent, reason

        static let all = Set(allCases)

        static let names: [(StaticString, EvidenceField)] = [
            ("collection_point", .collectionPoint), ("actor", .actor), ("ip", .ip), ("user_agent", .userAgent), ("reason", .reason),
        ]
    }

    enum Value {
        case string(String)
        case strings([String])
        case bool(Bool)
        case integer(Int)
        case evidence(EventEvidence?)
    }

    /// The members each event type has beyond `type`, `at` and `id`.
    static let eventFields: [String: UInt64] = [
        "details_collected": Field.mask([.by, .from, .context, .products, .channels, .refusalOffered, .refused]),
        "consent_given": Field.mask([.to, .channels, .purposes, .products, .method, .noticeVersion, .source, .collectedBy, .expiresAt]),
        "opt_out": Field.mask([.channels, .products, .entity, .via, .until]),
        "register_listed": Field.mask([.register]),
        "register_removed": Field.mask([.register]),
        "marketing_sent": Field.mask([.by, .channel, .products]),
        "gpc_signal": Field.mask([.value]),
        "frequency_set": Field.mask([.entity, .channels, .maxPer30Days]),
    ]

    /// One object's members, by field.
    struct Members {
        var values = [Value?](repeating: nil, count: Field.allCases.count)
        var present: UInt64 = 0

        func string(_ field: Field) -> String?? {
            switch values[field.rawValue] {
            case nil: return .some(nil)
            case .string(let text)?: return .some(text)
            default: return nil
            }
        }

        func strings(_ field: Field) -> [String]?? {
            switch values[field.rawValue] {
            case nil: return .some(nil)
            case .strings(let list)?: return .some(list)
            default: return nil
            }
        }

        func bool(_ field: Field) -> Bool?? {
            switch values[field.rawValue] {
            case nil: return .some(nil)
            case .bool(let flag)?: return .some(flag)
            default: return nil
            }
        }

        func integer(_ field: Field) -> Int?? {
            switch values[field.rawValue] {
            case nil: return .some(nil)
            case .integer(let number)?: return .some(number)
            default: return nil
            }
        }

        func enumeration<E: RawRepresentable>(_ field: Field, as: E.Type) -> E?? where E.RawValue == String {
            guard let text = string(field) else { return nil }
            guard let text else { return .some(nil) }
            guard let value = E(rawValue: text) else { return nil }
            return .some(value)
        }

        func enumerations<E: RawRepresentable>(_ field: Field, as: E.Type) -> [E]?? where E.RawValue == String {
            guard let list = strings(field) else { return nil }
            guard let list else { return .some(nil) }
            var result: [E] = []
            result.reserveCapacity(list.count)
            for text in list {
                guard let value = E(rawValue: text) else { return nil }
                result.append(value)
            }
            return .some(result)
        }

        func timestamp(_ field: Field) -> Timestamp?? {
            guard let text = string(field) else { return nil }
            guard let text else { return .some(nil) }
            guard let time = try? Timestamp(rfc3339: text) else { return nil }
            return .some(time)
        }

        /// `ScenarioDecoder.readEvent` without references, for an event without problems.
        func event(type: String) -> Event? {
            guard let at = timestamp(.at), let at, let id = string(.id) else { return nil }
            let kind: Event.Kind
            switch type {
            case "details_collected":
                guard let by = string(.by), let by,
                      let from = enumeration(.from, as: DetailsCollected.Source.self),
                      let context = enumeration(.context, as: DetailsCollected.Context.self), let context,
                      let products = strings(.products),
                      let channels = enumerations(.channels, as: Channel.self), let channels,
                      let offered = bool(.refusalOffered), let refused = bool(.refused)
                else { return nil }
                kind = .detailsCollected(DetailsCollected(
                    by: by, from: from ?? .recipient, context: context, products: products ?? [], channels: ChannelSet(channels),
                    refusalOffered: offered ?? false, refused: refused ?? false))
            case "consent_given":
                guard let to = strings(.to), let to, !to.isEmpty,
                      let channels = enumerations(.channels, as: Channel.self), let channels,
                      let purposes = enumerations(.purposes, as: Purpose.self), let purposes,
                      let products = strings(.products),
                      let method = enumeration(.method, as: ConsentGiven.Method.self), let method,
                      let notice = string(.noticeVersion), let source = string(.source), let collectedBy = string(.collectedBy),
                      let expires = timestamp(.expiresAt)
                else { return nil }
                kind = .consentGiven(ConsentGiven(
                    to: to, channels: ChannelSet(channels), purposes: Set(purposes), products: products, method: method,
                    noticeVersion: notice, source: source, collectedBy: collectedBy, expiresAt: expires))
            case "opt_out":
                guard let channels = enumerations(.channels, as: Channel.self), let products = strings(.products),
                      let entity = string(.entity), let via = enumeration(.via, as: OptOut.Route.self),
                      let until = timestamp(.until)
                else { return nil }
                if let until, until <= at { return nil }
                kind = .optOut(OptOut(channels: channels.map { ChannelSet($0) }, products: products, entity: entity, via: via ?? .other, until: until))
            case "register_listed", "register_removed":
                guard let register = enumeration(.register, as: PreferenceRegister.self), let register else { return nil }
                kind = type == "register_listed" ? .registerListed(register) : .registerRemoved(register)
            case "marketing_sent":
                guard let by = string(.by), let by, let channel = enumeration(.channel, as: Channel.self), let channel,
                      let products = strings(.products)
                else { return nil }
                kind = .marketingSent(MarketingSent(by: by, channel: channel, products: products ?? []))
            case "gpc_signal":
                guard let value = bool(.value), let value else { return nil }
                kind = .gpcSignal(value)
            case "frequency_set":
                guard let entity = string(.entity), let channels = enumerations(.channels, as: Channel.self),
                      let max = integer(.maxPer30Days)
                else { return nil }
                if let max, !(1...10_000).contains(max) { return nil }
                kind = .frequencySet(FrequencyPreference(entity: entity, channels: channels.map { ChannelSet($0) }, maxPer30Days: max))
            default:
                return nil
            }
            return Event(id: id, at: at, kind)
        }
    }

    /// The reader of direct objects (`JSONByteScanner`, with the objects of `Field` members).
    typealias Scanner = JSONByteScanner
}

extension JSONByteScanner {
    /// The whole text: one object, nothing after it.
    mutating func topLevelObject() -> DirectJSON.Members? {
        guard let members = object() else { return nil }
        return atEnd() ? members : nil
    }

    /// One non-empty object of `Field` members, each at most once.
    mutating func object() -> DirectJSON.Members? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var members = DirectJSON.Members()
        if consume(UInt8(ascii: "}")) { return nil }
        repeat {
            guard let field = key(DirectJSON.Field.names) else { return nil }
            guard members.present & field.bit == 0 else { return nil }
            members.present |= field.bit
            guard consume(UInt8(ascii: ":")) else { return nil }
            guard let next = peek() else { return nil }
            let value: DirectJSON.Value
            switch next {
            case UInt8(ascii: "\""):
                guard let text = string() else { return nil }
                value = .string(text)
            case UInt8(ascii: "["):
                guard let list = stringArray() else { return nil }
                value = .strings(list)
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                guard let flag = bool() else { return nil }
                value = .bool(flag)
            case UInt8(ascii: "1")...UInt8(ascii: "9"):
                guard let number = smallInteger() else { return nil }
                value = .integer(number)
            case UInt8(ascii: "{") where field == .evidence:
                guard let evidence = evidence() else { return nil }
                value = .evidence(evidence)
            default:
                return nil
            }
            members.values[field.rawValue] = value
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) ? members : nil
    }

    /// `ImportLineDecoder.readEvidence`: an object of non-empty strings.
    mutating func evidence() -> EventEvidence?? {
        guard let texts = evidenceTexts(allowing: DirectJSON.EvidenceField.all) else { return nil }
        let evidence = EventEvidence(
            collectionPoint: texts[DirectJSON.EvidenceField.collectionPoint.rawValue], actor: texts[DirectJSON.EvidenceField.actor.rawValue],
            ip: texts[DirectJSON.EvidenceField.ip.rawValue], userAgent: texts[DirectJSON.EvidenceField.userAgent.rawValue],
            reason: texts[DirectJSON.EvidenceField.reason.rawValue])
        return .some(evidence.isEmpty ? nil : evidence)
    }

    /// An object of non-empty strings with only `allowed` members, each at most once: its texts
    /// by `EvidenceField`.
    mutating func evidenceTexts(allowing allowed: Set<DirectJSON.EvidenceField>) -> [String?]? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var texts = [String?](repeating: nil, count: DirectJSON.EvidenceField.allCases.count)
        if !consume(UInt8(ascii: "}")) {
            repeat {
                guard let field = key(DirectJSON.EvidenceField.names), allowed.contains(field), texts[field.rawValue] == nil,
                      consume(UInt8(ascii: ":")), let text = string()
                else { return nil }
                texts[field.rawValue] = text
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")) else { return nil }
        }
        return texts
    }
}
