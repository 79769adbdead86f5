import OptGateCore
import OptGateScenario

/// Everything the ledger holds about one contact, as one JSON document a regulator or the person
/// (a subject access request) can read: who the contact is, every entry of theirs in chain order
/// with its hash, the exact wording of every notice their consents refer to, and for every
/// marketing message sent to them the decision replayed at the moment it was sent, so the pack
/// shows why each send was lawful, or flags the ones that were not; and for each of their opt-outs,
/// consents and erasures, when each destination (email and SMS providers, CRMs) confirmed it and
/// whether it did so by its deadline (`propagation`).
///
/// Members come in a fixed order and the output depends only on the ledger's contents,
/// `generatedAt` and the engine, so the same history gives the same bytes.
///
/// After erasure the pack carries no personal data (identifiers, IP addresses, user agents): the
/// events themselves stay, as evidence of lawful sending.
public enum EvidencePack {
    /// The `format` member of every pack.
    public static let format = "optgate-evidence/v1"

    /// The contact's evidence pack as pretty JSON. `propagation` is every delivery of the contact's
    /// changes to destinations (`Outbox.deliveries(contactID:)`), listed in the `propagation` member.
    public static func json(
        _ history: ContactHistory, generatedAt: Timestamp, engine: DecisionEngine = DecisionEngine(), propagation: [Delivery] = []
    ) -> String {
        let w = JSONWriter(pretty: true)
        let sends = replaySends(history, engine: engine)
        var consents = 0
        var optOuts = 0
        for event in history.events {
            switch event.kind {
            case .consentGiven: consents += 1
            case .optOut: optOuts += 1
            default: break
            }
        }
        return w.object([
            ("format", ExportJSON.q(format)),
            ("generated_at", ExportJSON.time(generatedAt)),
            ("contact", contact(history, w)),
            ("summary", w.object([
                ("entries", String(history.entries.count)),
                ("consents_given", String(consents)),
                ("opt_outs", String(optOuts)),
                ("marketing_sent", String(sends.count)),
                ("sends_not_allowed", String(sends.filter { !$0.decision.allowed }.count)),
                ("decisions_recorded", String(history.entries.filter { $0.stored.kind == .decision }.count)),
            ])),
            ("entries", w.array(history.entries.map { entry($0, erased: history.erased, w) })),
            ("notices", w.array(ExportJSON.referencedNoticeVersions(history).map { notice($0, history, w) })),
            ("sends", w.array(sends.map { send($0, w) })),
            ("permission_state", history.state.map { permissionState($0, w) } ?? "null"),
            ("propagation", self.propagation(propagation, history, at: generatedAt, w)),
        ])
    }

    // MARK: Contact

    private static func contact(_ history: ContactHistory, _ w: JSONWriter) -> String {
        let profile = ExportJSON.latestProfile(history)
        var members: [(String, String)] = [
            ("id", ExportJSON.q(history.contactID)),
            ("jurisdiction", ExportJSON.optional(profile?.jurisdiction?.description)),
            ("subscriber", ExportJSON.optional(profile?.subscriber.rawValue)),
        ]
        if !history.erased {
            members.append(("identifiers", w.array((profile?.identifiers ?? []).map { identifier($0) })))
        }
        members.append(("erased", ExportJSON.bool(history.erased)))
        if history.erased {
            let erasure = history.entries.last { $0.stored.kind == .erasure }
            members.append(("erased_at", ExportJSON.time(erasure?.stored.recordedAt)))
        }
        return w.object(members)
    }

    private static func identifier(_ identifier: Identifier) -> String {
        ExportJSON.inline([("type", ExportJSON.q(identifier.kind.rawValue)), ("value", ExportJSON.q(identifier.value))])
    }

    // MARK: Entries

    /// One entry as the pack shows it (seq, times, kind, hash, the record without erased personal data).
    public static func entryJSON(_ entry: ContactHistory.Entry, erased: Bool, pretty: Bool = false) -> String {
        Self.entry(entry, erased: erased, JSONWriter(pretty: pretty))
    }

    private static func entry(_ entry: ContactHistory.Entry, erased: Bool, _ w: JSONWriter) -> String {
        let stored = entry.stored
        var members: [(String, String)] = [
            ("seq", String(stored.seq)),
            ("recorded_at", ExportJSON.time(stored.recordedAt)),
            ("kind", ExportJSON.q(stored.kind.rawValue)),
        ]
        if let id = stored.entryID { members.append(("entry_id", ExportJSON.q(id))) }
        if let at = stored.occurredAt { members.append(("occurred_at", ExportJSON.time(at))) }
        members.append(("hash", ExportJSON.q(ExportJSON.hex(stored.hash))))
        if stored.personalDataDigest != nil {
            // The chain keeps a salted digest of the personal data; the data itself goes with erasure.
            members.append(("personal_data", ExportJSON.q(erased ? "erased" : "present")))
        }
        members.append(("record", record(entry.record, erased: erased, w)))
        return w.object(members)
    }

    private static func record(_ record: LedgerRecord, erased: Bool, _ w: JSONWriter) -> String {
        switch record {
        case .contact(let profile):
            var members: [(String, String)] = [
                ("id", ExportJSON.q(profile.id)),
                ("jurisdiction", ExportJSON.optional(profile.jurisdiction?.description)),
                ("subscriber", ExportJSON.q(profile.subscriber.rawValue)),
            ]
            if !erased {
                members.append(("identifiers", w.array(profile.identifiers.map { identifier($0) }, multiline: false)))
            }
            return w.object(members)
        case .event(_, let event, let evidence):
            var members: [(String, String)] = [("event", w.object(EventEncoder.members(event)))]
            if let evidence {
                var fields: [(String, String)] = []
                if let v = evidence.collectionPoint { fields.append(("collection_point", ExportJSON.q(v))) }
                if let v = evidence.actor { fields.append(("actor", ExportJSON.q(v))) }
                if let v = evidence.reason { fields.append(("reason", ExportJSON.q(v))) }
                if !erased {
                    if let v = evidence.ip { fields.append(("ip", ExportJSON.q(v))) }
                    if let v = evidence.userAgent { fields.append(("user_agent", ExportJSON.q(v))) }
                }
                if !fields.isEmpty { members.append(("evidence", w.object(fields))) }
            }
            return w.object(members)
        case .erasure(_, let suppressed):
            return w.object([("suppressed_identifiers", String(suppressed))])
        case .entity, .product, .policy, .notice, .decision, .note, .campaign:
            // Shown in its stored (canonical, personal-data-free) form.
            return RecordCodec.encode(record).body
        }
    }

    // MARK: Notices

    private static func notice(_ version: String, _ history: ContactHistory, _ w: JSONWriter) -> String {
        guard let notice = history.organisation.notice(version) else {
            return w.object([("version", ExportJSON.q(version)), ("found", "false"), ("text", "null")])
        }
        return w.object([
            ("version", ExportJSON.q(notice.version)),
            ("found", "true"),
            ("valid_from", ExportJSON.time(notice.validFrom)),
            ("sha256", ExportJSON.q(ExportJSON.sha256(notice.text))),
            ("text", ExportJSON.q(notice.text)),
        ])
    }

    // MARK: Sends

    struct Send {
        var seq: Int64
        var event: Event
        var message: Message
        var decision: Decision
    }

    /// Every `marketing_sent` event, with the decision for that message replayed at its moment. The
    /// send itself is left out of the history it is judged on: a message is lawful or not before it
    /// goes, and counting it would make it trip a frequency cap by itself.
    static func replaySends(_ history: ContactHistory, engine: DecisionEngine) -> [Send] {
        history.entries.compactMap { entry -> Send? in
            guard case .event(_, let event, _) = entry.record, case .marketingSent(let sent) = event.kind else { return nil }
            let message = Message(from: sent.by, channel: sent.channel, purpose: .marketing, products: sent.products)
            var before = history
            before.entries.removeAll { $0.stored.seq == entry.stored.seq }
            let decision = before.decide(message, at: event.at, engine: engine)
            return Send(seq: entry.stored.seq, event: event, message: message, decision: decision)
        }
    }

    private static func send(_ send: Send, _ w: JSONWriter) -> String {
        var members: [(String, String)] = [("seq", String(send.seq))]
        if let id = send.event.id { members.append(("event_id", ExportJSON.q(id))) }
        members += [
            ("at", ExportJSON.time(send.event.at)),
            ("message", ExportJSON.inline([
                ("from", ExportJSON.q(send.message.from)),
                ("channel", ExportJSON.q(send.message.channel.rawValue)),
                ("purpose", ExportJSON.q(send.message.purpose.rawValue)),
                ("products", ExportJSON.strings(send.message.products)),
            ])),
            ("lawful", ExportJSON.bool(send.decision.allowed)),
            ("decision", DecisionEncoder.json(send.decision, pretty: true)),
        ]
        return w.object(members)
    }

    // MARK: Propagation

    /// Per change (opt-out, consent, erasure), each destination's delivery: its deadline, when it
    /// confirmed, and whether it missed the deadline as of `now`.
    private static func propagation(_ deliveries: [Delivery], _ history: ContactHistory, at now: Timestamp, _ w: JSONWriter) -> String {
        let bySeq = Dictionary(grouping: deliveries, by: \.seq)
        return w.array(bySeq.keys.sorted().map { seq in
            let group = bySeq[seq]!.sorted { $0.destination < $1.destination }
            let first = group[0]
            let entryID = history.entries.first { $0.stored.seq == seq }?.stored.entryID
            return w.object([
                ("seq", String(seq)),
                ("type", ExportJSON.q(first.change.rawValue)),
                ("entry_id", ExportJSON.optional(entryID)),
                ("received_at", ExportJSON.time(first.receivedAt)),
                ("bound_at", ExportJSON.time(first.boundAt)),
                ("destinations", w.array(group.map { d in
                    ExportJSON.inline([
                        ("destination", ExportJSON.q(d.destination)), ("idempotency_key", ExportJSON.q(d.key)),
                        ("state", ExportJSON.q(d.state.rawValue)), ("attempts", String(d.attempts)),
                        ("deadline", ExportJSON.time(d.deadline)), ("confirmed_at", ExportJSON.time(d.deliveredAt)),
                        ("overdue", ExportJSON.bool(d.isOverdue(at: now))),
                    ])
                })),
            ])
        })
    }

    // MARK: Permission state

    private static func permissionState(_ state: PermissionState, _ w: JSONWriter) -> String {
        func mark(_ mark: PermissionState.Mark<String>) -> String {
            ExportJSON.inline([("at", ExportJSON.time(mark.at)), ("value", ExportJSON.q(mark.value))])
        }
        func marks(_ marks: [String: PermissionState.Mark<String>]) -> String {
            w.object(marks.keys.sorted().map { ($0, mark(marks[$0]!)) })
        }
        return w.object([
            ("event_count", String(state.eventCount)),
            ("first_event_at", ExportJSON.time(state.firstEventAt)),
            ("last_event_at", ExportJSON.time(state.lastEventAt)),
            ("consents", marks(state.consents)),
            ("opt_outs", marks(state.optOuts)),
            ("registers", marks(state.registers)),
            ("frequencies", marks(state.frequencies)),
            ("privacy_signal", state.privacySignal.map(mark) ?? "null"),
            ("last_sale", w.object(state.lastSale.keys.sorted().map { ($0, ExportJSON.time(state.lastSale[$0])) })),
            ("marketing_sent", String(state.marketingSent)),
            ("last_marketing_at", ExportJSON.time(state.lastMarketingAt)),
        ])
    }
}
