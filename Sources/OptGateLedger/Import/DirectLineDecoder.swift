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
public enum DirectLineDecoder {
    /// The line's items, or nil when the full reader must read it.
    static func items(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> ImportLine? {
        guard let base = bytes.baseAddress else { return nil }
        var scanner = DirectJSON.Scanner(base: base, end: bytes.count)
        guard let members = scanner.topLevelObject() else { return nil }
        return members.items(line: line)
    }

    /// One event record as the API receives it (`POST /v1/events`: `record` absent or "event"),
    /// read straight from its bytes into the items `ImportLineDecoder.items(_:line:defaultRecord:)`
    /// gives with the default record "event"; nil when the full reader must read it (another
    /// record kind, anything unusual, any problem).
    public static func event(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> ImportLine? {
        guard let base = bytes.baseAddress else { return nil }
        var scanner = DirectJSON.Scanner(base: base, end: bytes.count)
        guard let members = scanner.topLevelObject(), let record = members.string(.record), record == nil || record == "event"
        else { return nil }
        return members.eventItems(line: line)
    }

    typealias Field = DirectJSON.Field

    /// A contact line's fields; an event line's fields beyond these are its event's.
    static let contactFields = Field.mask([.record, .id, .email, .phone, .jurisdiction, .subscriber])
    /// `ImportLineDecoder.eventExtraFields`, and the members every event has.
    static let eventCommonFields = Field.mask([.record, .contact, .email, .phone, .jurisdiction, .subscriber, .evidence, .type, .at, .id])
}

/// The import-line reading of a line's members.
extension DirectJSON.Members {
    typealias Field = DirectJSON.Field

    func items(line: Int) -> ImportLine? {
        guard let record = string(.record) else { return nil }
        switch record ?? (present & Field.type.bit != 0 ? "event" : nil) {
        case "contact":
            guard present & ~DirectLineDecoder.contactFields == 0, let draft = contactDraft(idField: .id),
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
        guard let type = string(.type), let type, let typeFields = DirectJSON.eventFields[type],
              present & ~(DirectLineDecoder.eventCommonFields | typeFields) == 0,
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
}
