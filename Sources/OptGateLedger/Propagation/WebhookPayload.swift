import OptGateCore
import OptGateScenario

/// The JSON body posted for a delivery, built when it is sent from the ledger as it stands then:
/// data erased since the change was enqueued is not sent. Every attempt of a delivery carries the
/// same key and the same content (unless the contact was erased in between).
///
///     {"type": "opt_out", "idempotency_key": "esp:42", "destination": "esp", "seq": 42,
///      "contact": "c-1", "erased": false, "identifiers": [{"type": "email", "value": "ann@example.com"}],
///      "event": {...the scenario contract's event...},
///      "scope": {"entities": null, "channels": ["email"], "products": null, "purposes": null},
///      "received_at": "...", "bound_at": "...", "deadline": "..."}
///
/// `identifiers` are the contact's current email addresses and phone numbers, so that the
/// destination can suppress them; empty once the contact is erased. In `scope`, null means "all"
/// (an opt-out without channels covers every channel). An erasure has no event and no scope.
public enum WebhookPayload {
    /// The body of `delivery`.
    public static func json(_ delivery: Delivery, in reader: any PropagationReader) throws -> String {
        guard let (entry, personal) = try reader.ledgerEntry(seq: delivery.seq) else {
            throw LedgerError.corrupt("delivery \(delivery.key): ledger entry \(delivery.seq) is missing")
        }
        let record = try LedgerSession.decode(entry, personal: personal)
        let status = try reader.contactStatus(id: delivery.contactID)
        let identifiers = try currentIdentifiers(delivery.contactID, erasedSeq: status?.erasedSeq, reader)
        let w = JSONWriter(pretty: false)
        var event = "null"
        var scope = "null"
        if case .event(_, let e, _) = record {
            event = EventEncoder.json(e)
            scope = self.scope(e.kind, w)
        }
        return w.object([
            ("type", JSONWriter.quoted(delivery.change.rawValue)),
            ("idempotency_key", JSONWriter.quoted(delivery.key)),
            ("destination", JSONWriter.quoted(delivery.destination)),
            ("seq", String(delivery.seq)),
            ("contact", JSONWriter.quoted(delivery.contactID)),
            ("erased", status?.erasedSeq != nil ? "true" : "false"),
            ("identifiers", w.array(identifiers.map { identifier in
                w.object([("type", JSONWriter.quoted(identifier.kind.rawValue)), ("value", JSONWriter.quoted(identifier.value))])
            }, multiline: false)),
            ("event", event),
            ("scope", scope),
            ("received_at", JSONWriter.quoted(delivery.receivedAt.rfc3339)),
            ("bound_at", JSONWriter.quoted(delivery.boundAt.rfc3339)),
            ("deadline", JSONWriter.quoted(delivery.deadline.rfc3339)),
        ])
    }

    /// Every identifier the contact's profiles recorded since their last erasure, in order of first
    /// appearance (none right after an erasure: their personal data is gone).
    static func currentIdentifiers(_ contactID: String, erasedSeq: Int64?, _ reader: any LedgerReader) throws -> [Identifier] {
        var seen: Set<Identifier> = []
        var result: [Identifier] = []
        for (entry, personal) in try reader.entriesWithPersonalData(contactID: contactID)
        where entry.kind == .contact && personal != nil && entry.seq > (erasedSeq ?? 0) {
            guard case .contact(let profile) = try LedgerSession.decode(entry, personal: personal) else { continue }
            for identifier in profile.identifiers where seen.insert(identifier).inserted { result.append(identifier) }
        }
        return result
    }

    private static func scope(_ kind: Event.Kind, _ w: JSONWriter) -> String {
        func strings(_ list: [String]?) -> String { list.map { w.array($0.map(JSONWriter.quoted), multiline: false) } ?? "null" }
        switch kind {
        case .optOut(let o):
            return w.object([
                ("entities", strings(o.entity.map { [$0] })), ("channels", strings(o.channels?.channels.map(\.rawValue))),
                ("products", strings(o.products)), ("purposes", "null"),
            ])
        case .consentGiven(let c):
            return w.object([
                ("entities", strings(c.to)), ("channels", strings(c.channels.channels.map(\.rawValue))),
                ("products", strings(c.products)), ("purposes", strings(Purpose.allCases.filter(c.purposes.contains).map(\.rawValue))),
            ])
        default:
            return "null"
        }
    }
}
