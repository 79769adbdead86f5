import Foundation
import OptGateCore

/// Reads the lines that make up nearly all of a large NDJSON import, events and contacts,
/// straight from their bytes into import items: no `JSONValue` tree, no positions, no diagnostics.
///
/// It accepts only lines that the full reader (`JSONParser`, then `ImportLineDecoder`) reads
/// without a problem, and yields exactly that reader's items. Anything else gives nil: another
/// record kind, an escape or a control character in a string, a null, a number, a field it does
/// not know, a value of the wrong type, any mistake. The caller then reads the line with the full
/// reader, which names every problem by line, column and field, as it always did.
enum DirectLineDecoder {
    /// The line's items, or nil when the full reader must read it.
    static func items(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> ImportLine? {
        guard let base = bytes.baseAddress else { return nil }
        var scanner = Scanner(base: base, end: bytes.count)
        guard let members = scanner.topLevelObject() else { return nil }
        return members.items(line: line)
    }

    /// The members a direct line may have: the contact and event fields of `ImportLineDecoder` and
    /// `ScenarioDecoder.readEvent`.
    enum Field: Int, CaseIterable {
        case record, contact, id, email, phone, jurisdiction, subscriber, evidence
        case type, at, by, from, context, products, channels, refusalOffered, refused
        case to, purposes, method, noticeVersion, source, collectedBy, expiresAt
        case via, until, entity, register, channel, value

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
            ("value", .value),
        ]
    }

    /// The members of evidence objects.
    enum EvidenceField: Int, CaseIterable {
        case collectionPoint, actor, ip, userAgent, reason

        static let names: [(StaticString, EvidenceField)] = [
            ("collection_point", .collectionPoint), ("actor", .actor), ("ip", .ip), ("user_agent", .userAgent), ("reason", .reason),
        ]
    }

    enum Value {
        case string(String)
        case strings([String])
        case bool(Bool)
        case evidence(EventEvidence?)
    }

    /// A contact line's fields; an event line's fields beyond these are its event's.
    static let contactFields = Field.mask([.record, .id, .email, .phone, .jurisdiction, .subscriber])
    /// `ImportLineDecoder.eventExtraFields`, and the members every event has.
    static let eventCommonFields = Field.mask([.record, .contact, .email, .phone, .jurisdiction, .subscriber, .evidence, .type, .at, .id])
    static let eventFields: [String: UInt64] = [
        "details_collected": Field.mask([.by, .from, .context, .products, .channels, .refusalOffered, .refused]),
        "consent_given": Field.mask([.to, .channels, .purposes, .products, .method, .noticeVersion, .source, .collectedBy, .expiresAt]),
        "opt_out": Field.mask([.channels, .products, .entity, .via, .until]),
        "register_listed": Field.mask([.register]),
        "register_removed": Field.mask([.register]),
        "marketing_sent": Field.mask([.by, .channel, .products]),
        "gpc_signal": Field.mask([.value]),
    ]

    /// One line's members, by field.
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

        func items(line: Int) -> ImportLine? {
            guard let record = string(.record) else { return nil }
            switch record ?? (present & Field.type.bit != 0 ? "event" : nil) {
            case "contact":
                guard present & ~contactFields == 0, let draft = contactDraft(idField: .id),
                      draft.id != nil || !draft.identifiers.isEmpty
                else { return nil }
                return ImportLine(line: line, items: [.contact(draft)])
            case "event":
                return eventItems(line: line)
            default:
                return nil
            }
        }

        /// `ImportLineDecoder.contactDraft`, for a line without problems.
        func contactDraft(idField: Field) -> ContactDraft? {
            guard let id = string(idField), let jurisdictionText = string(.jurisdiction),
                  let subscriber = enumeration(.subscriber, as: SubscriberType.self),
                  let email = string(.email), let phone = string(.phone)
            else { return nil }
            var jurisdiction: JurisdictionCode?
            if let jurisdictionText {
                guard let code = JurisdictionCode(jurisdictionText) else { return nil }
                jurisdiction = code
            }
            var identifiers: [Identifier] = []
            if let email {
                guard let identifier = try? Identifier.email(email) else { return nil }
                identifiers.append(identifier)
            }
            if let phone {
                guard let identifier = try? Identifier.phone(phone, country: jurisdiction?.country) else { return nil }
                identifiers.append(identifier)
            }
            return ContactDraft(id: id, jurisdiction: jurisdiction, subscriber: subscriber, identifiers: identifiers)
        }

        /// `ImportLineDecoder.items` for an event line (NDJSON: an email or phone only names the contact).
        func eventItems(line: Int) -> ImportLine? {
            guard let type = string(.type), let type, let typeFields = DirectLineDecoder.eventFields[type],
                  present & ~(eventCommonFields | typeFields) == 0,
                  let draft = contactDraft(idField: .contact),
                  let event = event(type: type)
            else { return nil }
            var evidence: EventEvidence?
            switch values[Field.evidence.rawValue] {
            case nil: evidence = nil
            case .evidence(let value)?: evidence = value
            default: return nil
            }
            let reference: ContactReference
            if let id = draft.id { reference = .id(id) } else if let first = draft.identifiers.first { reference = .identifier(first) } else { return nil }
            let describes = draft.jurisdiction != nil || draft.subscriber != nil || (!draft.identifiers.isEmpty && draft.id != nil)
            var items: [ImportItem] = []
            if describes { items.append(.contact(draft)) }
            items.append(.event(reference, event, evidence))
            return ImportLine(line: line, items: items)
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
            default:
                return nil
            }
            return Event(id: id, at: at, kind)
        }
    }

    /// A byte-level reader of the JSON subset direct lines use.
    struct Scanner {
        let base: UnsafePointer<UInt8>
        let end: Int
        var index = 0

        init(base: UnsafePointer<UInt8>, end: Int) {
            self.base = base
            self.end = end
        }

        mutating func skipWhitespace() {
            while index < end {
                switch base[index] {
                case 0x20, 0x09, 0x0D, 0x0A: index += 1
                default: return
                }
            }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard index < end, base[index] == byte else { return false }
            index += 1
            return true
        }

        /// The whole line: one object, nothing after it.
        mutating func topLevelObject() -> Members? {
            guard consume(UInt8(ascii: "{")) else { return nil }
            var members = Members()
            if consume(UInt8(ascii: "}")) { return nil }
            repeat {
                guard let field = key(Field.names) else { return nil }
                guard members.present & field.bit == 0 else { return nil }
                members.present |= field.bit
                guard consume(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                guard index < end else { return nil }
                let value: Value
                switch base[index] {
                case UInt8(ascii: "\""):
                    guard let text = string() else { return nil }
                    value = .string(text)
                case UInt8(ascii: "["):
                    guard let list = stringArray() else { return nil }
                    value = .strings(list)
                case UInt8(ascii: "t"), UInt8(ascii: "f"):
                    guard let flag = bool() else { return nil }
                    value = .bool(flag)
                case UInt8(ascii: "{") where field == .evidence:
                    guard let evidence = evidence() else { return nil }
                    value = .evidence(evidence)
                default:
                    return nil
                }
                members.values[field.rawValue] = value
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")) else { return nil }
            skipWhitespace()
            return index == end ? members : nil
        }

        /// `ImportLineDecoder.readEvidence`: an object of non-empty strings.
        mutating func evidence() -> EventEvidence?? {
            guard consume(UInt8(ascii: "{")) else { return nil }
            var texts = [String?](repeating: nil, count: EvidenceField.allCases.count)
            if !consume(UInt8(ascii: "}")) {
                repeat {
                    guard let field = key(EvidenceField.names), texts[field.rawValue] == nil,
                          consume(UInt8(ascii: ":")), let text = string()
                    else { return nil }
                    texts[field.rawValue] = text
                } while consume(UInt8(ascii: ","))
                guard consume(UInt8(ascii: "}")) else { return nil }
            }
            let evidence = EventEvidence(
                collectionPoint: texts[EvidenceField.collectionPoint.rawValue], actor: texts[EvidenceField.actor.rawValue],
                ip: texts[EvidenceField.ip.rawValue], userAgent: texts[EvidenceField.userAgent.rawValue],
                reason: texts[EvidenceField.reason.rawValue])
            return .some(evidence.isEmpty ? nil : evidence)
        }

        /// A member name, one of `names`.
        mutating func key<F>(_ names: [(StaticString, F)]) -> F? {
            guard let (start, count) = rawString() else { return nil }
            for (name, field) in names where name.utf8CodeUnitCount == count {
                if memcmp(name.utf8Start, base + start, count) == 0 { return field }
            }
            return nil
        }

        /// A non-empty string without escapes or control characters, valid UTF-8.
        mutating func string() -> String? {
            guard let (start, count) = rawString(), count > 0 else { return nil }
            return String(validating: UnsafeBufferPointer(start: base + start, count: count), as: UTF8.self)
        }

        /// The bytes between the quotes of a string without escapes or control characters.
        mutating func rawString() -> (start: Int, count: Int)? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < end {
                let byte = base[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return (start, index - 1 - start)
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                index += 1
            }
            return nil
        }

        mutating func stringArray() -> [String]? {
            guard consume(UInt8(ascii: "[")) else { return nil }
            var list: [String] = []
            if consume(UInt8(ascii: "]")) { return list }
            repeat {
                guard let text = string() else { return nil }
                list.append(text)
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]")) ? list : nil
        }

        mutating func bool() -> Bool? {
            if literal("true") { return true }
            if literal("false") { return false }
            return nil
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard end - index >= count, memcmp(word.utf8Start, base + index, count) == 0 else { return false }
            index += count
            return true
        }
    }
}
