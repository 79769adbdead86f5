import OptGateCore
import OptGateScenario

/// Reads stored event records straight from their bytes (`DirectJSON`), for the reads that decode
/// many of them: a contact's history, the server's timelines, the campaign snapshot, replay.
///
/// A stored event is `RecordCodec.encode`'s canonical text,
/// `{"contact":…,"event":{…}}` or `{"contact":…,"event":{…},"evidence":{…}}`, and its personal data,
/// if any, is `{"ip":…,"user_agent":…}`. This reader accepts exactly those shapes with the values
/// `DirectJSON` reads, and yields what `RecordCodec.decode` yields for them. It gives nil for
/// anything else (an escape in a string, an empty string, a member out of the canonical order), and
/// `RecordCodec.decode` then reads the record with the full reader, as it always did.
enum DirectRecordDecoder {
    /// The event record, or nil when the full reader must read it.
    static func event(body: String, personalData: String?) -> LedgerRecord? {
        var hidden = EventEvidence()
        if var personalData {
            guard let read = personalData.withUTF8({ bytes -> EventEvidence? in
                guard let base = bytes.baseAddress else { return nil }
                var scanner = DirectJSON.Scanner(base: base, end: bytes.count)
                return scanner.wholeEvidence(allowing: Self.personalMembers)
            }) else { return nil }
            hidden = read
        }
        var body = body
        return body.withUTF8 { bytes -> LedgerRecord? in
            guard let base = bytes.baseAddress else { return nil }
            var scanner = DirectJSON.Scanner(base: base, end: bytes.count)
            guard scanner.consume(UInt8(ascii: "{")), scanner.key(Self.contactKey) != nil, scanner.consume(UInt8(ascii: ":")),
                  let contactID = scanner.string(),
                  scanner.consume(UInt8(ascii: ",")), scanner.key(Self.eventKey) != nil, scanner.consume(UInt8(ascii: ":")),
                  let members = scanner.object(), let event = members.storedEvent()
            else { return nil }
            var evidence = EventEvidence()
            if scanner.consume(UInt8(ascii: ",")) {
                guard scanner.key(Self.evidenceKey) != nil, scanner.consume(UInt8(ascii: ":")),
                      let visible = scanner.evidence(allowing: Self.visibleMembers)
                else { return nil }
                evidence = visible
            }
            guard scanner.consume(UInt8(ascii: "}")), scanner.atEnd() else { return nil }
            evidence.ip = hidden.ip
            evidence.userAgent = hidden.userAgent
            return .event(contactID: contactID, event, evidence.isEmpty ? nil : evidence)
        }
    }

    private static let contactKey: [(StaticString, Int)] = [("contact", 0)]
    private static let eventKey: [(StaticString, Int)] = [("event", 0)]
    private static let evidenceKey: [(StaticString, Int)] = [("evidence", 0)]
    /// The evidence the chained body keeps, and the evidence that is personal data (`RecordCodec.encode`).
    private static let visibleMembers: Set<DirectJSON.EvidenceField> = [.collectionPoint, .actor, .reason]
    private static let personalMembers: Set<DirectJSON.EvidenceField> = [.ip, .userAgent]
}

extension DirectJSON.Members {
    /// The event of a stored event object: `type`, `at`, `id` and its type's members, nothing else.
    func storedEvent() -> Event? {
        guard let type = string(.type), let type, let typeFields = DirectJSON.eventFields[type],
              present & ~(DirectJSON.Field.mask([.type, .at, .id]) | typeFields) == 0
        else { return nil }
        return event(type: type)
    }
}

extension DirectJSON.Scanner {
    /// A stored evidence object: `evidenceTexts(allowing:)` as `EventEvidence`.
    mutating func evidence(allowing allowed: Set<DirectJSON.EvidenceField>) -> EventEvidence? {
        guard let texts = evidenceTexts(allowing: allowed) else { return nil }
        // Assigned, not passed to the initialiser: a stored address was truncated when it was captured.
        var evidence = EventEvidence()
        evidence.collectionPoint = texts[DirectJSON.EvidenceField.collectionPoint.rawValue]
        evidence.actor = texts[DirectJSON.EvidenceField.actor.rawValue]
        evidence.ip = texts[DirectJSON.EvidenceField.ip.rawValue]
        evidence.userAgent = texts[DirectJSON.EvidenceField.userAgent.rawValue]
        evidence.reason = texts[DirectJSON.EvidenceField.reason.rawValue]
        return evidence
    }

    /// `evidence(allowing:)` as the whole text.
    mutating func wholeEvidence(allowing allowed: Set<DirectJSON.EvidenceField>) -> EventEvidence? {
        guard let evidence = evidence(allowing: allowed) else { return nil }
        return atEnd() ? evidence : nil
    }
}
