import OptGateCore
import OptGateScenario

/// The canonical text of a record: compact JSON with members in a fixed order. The chain hashes
/// exactly this text, so it must never change for a given record. Personal data goes into a
/// separate document that erasure can delete without breaking the chain.
public enum RecordCodec {
    /// A record's stored form.
    public struct Encoded: Hashable, Sendable {
        /// The chained, permanent part: no personal data.
        public var body: String
        /// The personal part (identifiers, IP address, user agent), or nil.
        public var personalData: String?
    }

    public struct Corrupt: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    static let w = JSONWriter(pretty: false)
    static func q(_ s: String) -> String { JSONWriter.quoted(s) }
    static func optional(_ s: String?) -> String { s.map(q) ?? "null" }
    static func strings(_ list: [String]) -> String { "[" + list.map(q).joined(separator: ",") + "]" }

    public static func encode(_ record: LedgerRecord) -> Encoded {
        switch record {
        case .contact(let p):
            let body = w.object([
                ("id", q(p.id)), ("jurisdiction", optional(p.jurisdiction?.description)), ("subscriber", q(p.subscriber.rawValue)),
            ])
            let personal = p.identifiers.isEmpty ? nil : w.object([("identifiers", strings(p.identifiers.map(\.description)))])
            return Encoded(body: body, personalData: personal)
        case .event(let contactID, let event, let evidence):
            // `w.object([("contact", …), ("event", …), ("evidence", …)])`, written into one string
            // (this runs for every event stored).
            var body = "{\"contact\":"
            body.reserveCapacity(256)
            JSONWriter.appendQuoted(contactID, to: &body)
            body.append(",\"event\":")
            EventEncoder.append(event, to: &body)
            var personal: String?
            if let evidence, !evidence.isEmpty {
                var visible: [(String, String)] = []
                if let v = evidence.collectionPoint { visible.append(("collection_point", q(v))) }
                if let v = evidence.actor { visible.append(("actor", q(v))) }
                if let v = evidence.reason { visible.append(("reason", q(v))) }
                if !visible.isEmpty {
                    body.append(",\"evidence\":")
                    body.append(w.object(visible))
                }
                var hidden: [(String, String)] = []
                if let v = evidence.ip { hidden.append(("ip", q(v))) }
                if let v = evidence.userAgent { hidden.append(("user_agent", q(v))) }
                if !hidden.isEmpty { personal = w.object(hidden) }
            }
            body.append("}")
            return Encoded(body: body, personalData: personal)
        case .entity(let e, let from):
            // `name` came later: written only when present, so earlier entries encode as they did.
            var members = [("id", q(e.id)), ("kind", q(e.kind.rawValue)), ("group", optional(e.group)), ("valid_from", q(from.rfc3339))]
            if let name = e.name { members.append(("name", q(name))) }
            return Encoded(body: w.object(members), personalData: nil)
        case .product(let p, let from, let retired):
            var members = [
                ("id", q(p.id)), ("similar_to", strings(p.similarTo)), ("reasoning", optional(p.reasoning)),
                ("valid_from", q(from.rfc3339)), ("retired", retired ? "true" : "false"),
            ]
            if let name = p.name { members.append(("name", q(name))) }
            if let category = p.category { members.append(("category", q(category))) }
            return Encoded(body: w.object(members), personalData: nil)
        case .policy(let p, let from):
            return Encoded(body: w.object([
                ("valid_from", q(from.rfc3339)),
                ("uk_soft_opt_in_months", String(p.ukSoftOptInMonths)),
                ("abandoned_checkout_is_negotiation", p.abandonedCheckoutIsNegotiation.map { $0 ? "true" : "false" } ?? "null"),
                ("eu_soft_opt_in_months", String(p.euSoftOptInMonths)),
                ("max_marketing_per_30_days", p.maxMarketingPer30Days.map(String.init) ?? "null"),
                ("uk_indirect_consent_months", String(p.ukIndirectConsentMonths)),
            ]), personalData: nil)
        case .notice(let n):
            return Encoded(body: w.object([
                ("version", q(n.version)), ("valid_from", q(n.validFrom.rfc3339)), ("text", q(n.text)),
            ]), personalData: nil)
        case .erasure(let contactID, let count):
            return Encoded(body: w.object([("contact", q(contactID)), ("suppressed_identifiers", String(count))]), personalData: nil)
        case .decision(let r):
            let reasons = r.reasons.map {
                w.object([("code", q($0.code)), ("rule", q($0.rule)), ("rule_id", q($0.ruleID)), ("detail", q($0.detail))])
            }
            return Encoded(body: w.object([
                ("contact", q(r.contactID)), ("message_id", q(r.messageID)), ("decided_at", q(r.decidedAt.rfc3339)),
                ("message", MessageEncoder.json(r.message)), ("allowed", r.allowed ? "true" : "false"),
                ("basis", optional(r.basis?.rawValue)), ("reasons", "[" + reasons.joined(separator: ",") + "]"),
                ("requirements", strings(r.requirements)), ("valid_until", optional(r.validUntil?.rfc3339)),
                ("rules", q(r.rules)), ("evidence", strings(r.evidence)),
            ]), personalData: nil)
        case .note(let n):
            var members = [("contact", q(n.contactID)), ("at", q(n.at.rfc3339)), ("text", q(n.text))]
            if let id = n.id { members.append(("id", q(id))) }
            return Encoded(body: w.object(members), personalData: nil)
        case .campaign(let c):
            func counts(_ map: [String: Int]) -> String { w.object(map.keys.sorted().map { ($0, String(map[$0]!)) }) }
            var members = [
                ("campaign_id", q(c.campaignID)), ("checked_at", q(c.checkedAt.rfc3339)), ("message", MessageEncoder.json(c.message)),
                ("recipients", String(c.recipients)), ("send", String(c.send)), ("excluded", String(c.excluded)),
                ("by_basis", counts(c.byBasis)), ("by_reason", counts(c.byReason)),
                ("lapsing_within_30_days", String(c.lapsingWithin30Days)), ("rules", strings(c.rules)),
            ]
            // Absent, not null, when there were no files: records written before these members
            // existed keep their bytes.
            if let digest = c.sendListSHA256 { members.append(("send_list_sha256", q(digest))) }
            if let digest = c.excludedListSHA256 { members.append(("excluded_list_sha256", q(digest))) }
            return Encoded(body: w.object(members), personalData: nil)
        }
    }

    /// Reads a stored record back. `personalData` is nil after erasure; the record then comes back
    /// without identifiers, IP address or user agent.
    public static func decode(kind: EntryKind, body: String, personalData: String?) throws(Corrupt) -> LedgerRecord {
        // Nearly every stored record is an event of the common shape: read straight from its bytes.
        if kind == .event, let record = DirectRecordDecoder.event(body: body, personalData: personalData) { return record }
        return try decodeInFull(kind: kind, body: body, personalData: personalData)
    }

    /// `decode` through `JSONParser` and the scenario decoders: every record, any stored text.
    static func decodeInFull(kind: EntryKind, body: String, personalData: String?) throws(Corrupt) -> LedgerRecord {
        let d = Diagnostics()
        guard let root = try? JSONParser.parse(body), var o = ObjectReader(root, path: kind.rawValue, d) else {
            throw Corrupt(description: "stored \(kind.rawValue) record is not valid JSON")
        }
        var hidden: ObjectReader?
        if let personalData {
            guard let value = try? JSONParser.parse(personalData), let reader = ObjectReader(value, path: "personal_data", d) else {
                throw Corrupt(description: "stored personal data is not valid JSON")
            }
            hidden = reader
        }
        func string(_ key: String) -> String? { o.member(key).flatMap { Read.string($0, key, d) } }
        func time(_ key: String) -> Timestamp? { o.member(key).flatMap { Read.timestamp($0, key, d) } }
        func int(_ key: String) -> Int? { o.member(key).flatMap { Read.integer($0, key, d, in: 0...Int.max) } }
        let record: LedgerRecord?
        switch kind {
        case .contact:
            let id = string("id")
            let jurisdiction = string("jurisdiction").flatMap(JurisdictionCode.init)
            let subscriber = o.member("subscriber").flatMap { Read.enumeration($0, "subscriber", d, "subscriber", as: SubscriberType.self) }
            var identifiers: [Identifier] = []
            if var h = hidden, let list = h.member("identifiers").flatMap({ Read.list($0, "identifiers", d) { Read.string($0, $1, d) } }) {
                for text in list {
                    let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                    guard parts.count == 2, let kind = Identifier.Kind(rawValue: parts[0]) else { continue }
                    let identifier = kind == .email ? try? Identifier.email(parts[1]) : try? Identifier.phone(parts[1])
                    if let identifier { identifiers.append(identifier) }
                }
            }
            record = id.map { .contact(ContactProfile(id: $0, jurisdiction: jurisdiction, subscriber: subscriber ?? .unknown, identifiers: identifiers)) }
        case .event:
            let contact = string("contact")
            let event = o.member("event").flatMap { value -> Event? in
                switch Result(catching: { () throws(ScenarioError) -> Event in try EventDecoder.decode(value, path: "event") }) {
                case .success(let event): return event
                case .failure(let error):
                    for problem in error.problems { d.report(problem.path, problem.position, problem.message) }
                    return nil
                }
            }
            var evidence = EventEvidence()
            if let e = o.member("evidence"), var eo = ObjectReader(e, path: "evidence", d) {
                evidence.collectionPoint = eo.member("collection_point").flatMap { Read.string($0, "collection_point", d) }
                evidence.actor = eo.member("actor").flatMap { Read.string($0, "actor", d) }
                evidence.reason = eo.member("reason").flatMap { Read.string($0, "reason", d) }
            }
            if var h = hidden {
                evidence.ip = h.member("ip").flatMap { Read.string($0, "ip", d) }
                evidence.userAgent = h.member("user_agent").flatMap { Read.string($0, "user_agent", d) }
            }
            if let contact, let event {
                record = .event(contactID: contact, event, evidence.isEmpty ? nil : evidence)
            } else { record = nil }
        case .entity:
            let kindValue = o.member("kind").flatMap { Read.enumeration($0, "kind", d, "entity kind", as: Entity.Kind.self) }
            if let id = string("id"), let k = kindValue, let from = time("valid_from") {
                record = .entity(Entity(id: id, kind: k, group: string("group"), name: string("name")), validFrom: from)
            } else { record = nil }
        case .product:
            let similar = o.member("similar_to").flatMap { Read.list($0, "similar_to", d) { Read.string($0, $1, d) } } ?? []
            let retired = o.member("retired").flatMap { Read.bool($0, "retired", d) } ?? false
            if let id = string("id"), let from = time("valid_from") {
                record = .product(
                    Product(id: id, similarTo: similar, reasoning: string("reasoning"), name: string("name"), category: string("category")),
                    validFrom: from, retired: retired)
            } else { record = nil }
        case .policy:
            var p = Policy()
            if let v = int("uk_soft_opt_in_months") { p.ukSoftOptInMonths = v }
            p.abandonedCheckoutIsNegotiation = o.member("abandoned_checkout_is_negotiation").flatMap { Read.bool($0, "", d) }
            if let v = int("eu_soft_opt_in_months") { p.euSoftOptInMonths = v }
            p.maxMarketingPer30Days = int("max_marketing_per_30_days")
            if let v = int("uk_indirect_consent_months") { p.ukIndirectConsentMonths = v }
            record = time("valid_from").map { .policy(p, validFrom: $0) }
        case .notice:
            if let version = string("version"), let text = string("text"), let from = time("valid_from") {
                record = .notice(NoticeText(version: version, text: text, validFrom: from))
            } else { record = nil }
        case .erasure:
            if let contact = string("contact"), let count = int("suppressed_identifiers") {
                record = .erasure(contactID: contact, suppressedIdentifiers: count)
            } else { record = nil }
        case .decision:
            record = decision(&o, d)
        case .note:
            if let contact = string("contact"), let at = time("at"), let text = string("text") {
                record = .note(ContactNote(contactID: contact, id: string("id"), at: at, text: text))
            } else { record = nil }
        case .campaign:
            func counts(_ key: String) -> [String: Int]? {
                guard let value = o.member(key), case .object(let members) = value.kind else { return nil }
                var map: [String: Int] = [:]
                for (name, count) in members { map[name] = Read.integer(count, key, d, in: 0...Int.max) }
                return map
            }
            let message = o.member("message").flatMap { ScenarioDecoder.message($0, entityIDs: nil, productIDs: nil, d) }
            let rules = o.member("rules").flatMap { Read.list($0, "rules", d) { Read.string($0, $1, d) } }
            if let id = string("campaign_id"), let at = time("checked_at"), let message, let recipients = int("recipients"),
               let send = int("send"), let excluded = int("excluded"), let byBasis = counts("by_basis"), let byReason = counts("by_reason"),
               let lapsing = int("lapsing_within_30_days"), let rules
            {
                record = .campaign(CampaignRecord(
                    campaignID: id, checkedAt: at, message: message, recipients: recipients, send: send, excluded: excluded,
                    byBasis: byBasis, byReason: byReason, lapsingWithin30Days: lapsing, rules: rules,
                    sendListSHA256: string("send_list_sha256"), excludedListSHA256: string("excluded_list_sha256")))
            } else { record = nil }
        }
        guard let record, d.isEmpty else {
            throw Corrupt(description: "stored \(kind.rawValue) record cannot be read: \(d.problems.map(\.description).joined(separator: "; "))")
        }
        return record
    }

    private static func decision(_ o: inout ObjectReader, _ d: Diagnostics) -> LedgerRecord? {
        func string(_ key: String) -> String? { o.member(key).flatMap { Read.string($0, key, d) } }
        func strings(_ key: String) -> [String]? { o.member(key).flatMap { Read.list($0, key, d) { Read.string($0, $1, d) } } }
        let contact = string("contact")
        let messageID = string("message_id")
        let decidedAt = o.member("decided_at").flatMap { Read.timestamp($0, "decided_at", d) }
        let message = o.member("message").flatMap { ScenarioDecoder.message($0, entityIDs: nil, productIDs: nil, d) }
        let allowed = o.member("allowed").flatMap { Read.bool($0, "allowed", d) }
        var basis: Basis?
        if let value = o.member("basis"), case .string = value.kind {
            basis = Read.enumeration(value, "basis", d, "basis", as: Basis.self)
        }
        let reasons = o.member("reasons").flatMap {
            Read.list($0, "reasons", d) { value, path -> DecisionRecord.RecordedReason? in
                guard var r = ObjectReader(value, path: path, d) else { return nil }
                let fields = ["code", "rule", "rule_id", "detail"].map { key in r.member(key).flatMap { Read.string($0, key, d) } }
                guard let code = fields[0], let rule = fields[1], let ruleID = fields[2], let detail = fields[3] else { return nil }
                return DecisionRecord.RecordedReason(code: code, ruleID: ruleID, rule: rule, detail: detail)
            }
        }
        var validUntil: Timestamp?
        if let value = o.member("valid_until"), case .string = value.kind { validUntil = Read.timestamp(value, "valid_until", d) }
        guard let contact, let messageID, let decidedAt, let message, let allowed, let reasons,
              let requirements = strings("requirements"), let rules = string("rules"), let evidence = strings("evidence")
        else { return nil }
        return .decision(DecisionRecord(
            contactID: contact, messageID: messageID, decidedAt: decidedAt, message: message, allowed: allowed, basis: basis,
            reasons: reasons, requirements: requirements, validUntil: validUntil, rules: rules, evidence: evidence))
    }
}
