import OptGateCore
import OptGateScenario

/// Turns one JSON object (an NDJSON line, or a CSV row converted to one) into import items.
public enum ImportLineDecoder {
    static let eventExtraFields = ["record", "contact", "email", "phone", "jurisdiction", "subscriber", "evidence"]

    /// `identifiersDescribeContact`: whether an event line's email or phone describes its contact
    /// (a CSV row, which creates the contact if new) or only names an existing one (an NDJSON event,
    /// where a mistyped email must not silently create a contact).
    public static func items(_ value: JSONValue, line: Int, defaultRecord: String? = nil, identifiersDescribeContact: Bool = false) -> ImportLine {
        let d = Diagnostics()
        guard var object = ObjectReader(value, path: "", d) else { return ImportLine(line: line, problems: problems(d, line)) }
        let recordValue = object.member("record")
        let record = recordValue.flatMap { Read.string($0, "record", d) } ?? defaultRecord ?? (object.member("type") != nil ? "event" : nil)
        var items: [ImportItem] = []
        func time(_ key: String) -> Timestamp? { object.member(key).flatMap { Read.timestamp($0, key, d) } }
        func string(_ key: String) -> String? { object.member(key).flatMap { Read.string($0, key, d) } }
        let validFromKey = "valid_from"
        switch record {
        case "entity":
            let kind = object.required("kind", "company, charity, ...").flatMap { Read.enumeration($0, "kind", d, "entity kind", as: Entity.Kind.self) }
            let id = object.required("id", "entity id").flatMap { Read.string($0, "id", d) }
            let group = string("group")
            let name = string("name")
            let from = time(validFromKey) ?? Timestamp(secondsSinceEpoch: 0)
            object.rejectUnknown(allowed: ["record", "id", "kind", "group", "name", validFromKey])
            if let id, let kind { items.append(.organisation(.entity(Entity(id: id, kind: kind, group: group, name: name), validFrom: from))) }
        case "product":
            let id = object.required("id", "product id").flatMap { Read.string($0, "id", d) }
            let similar = object.member("similar_to").flatMap { Read.list($0, "similar_to", d) { Read.string($0, $1, d) } } ?? []
            let reasoning = string("reasoning")
            let retired = object.member("retired").flatMap { Read.bool($0, "retired", d) } ?? false
            let name = string("name")
            let category = string("category")
            let from = time(validFromKey) ?? Timestamp(secondsSinceEpoch: 0)
            object.rejectUnknown(allowed: ["record", "id", "similar_to", "reasoning", "retired", "name", "category", validFromKey])
            if let id {
                let product = Product(id: id, similarTo: similar, reasoning: reasoning, name: name, category: category)
                items.append(.organisation(.product(product, validFrom: from, retired: retired)))
            }
        case "policy":
            var policy = Policy()
            func int(_ key: String) -> Int? { object.member(key).flatMap { Read.integer($0, key, d, in: 0...100_000) } }
            if let v = int("uk_soft_opt_in_months") { policy.ukSoftOptInMonths = v }
            policy.abandonedCheckoutIsNegotiation = object.member("abandoned_checkout_is_negotiation").flatMap { Read.bool($0, "abandoned_checkout_is_negotiation", d) }
            if let v = int("eu_soft_opt_in_months") { policy.euSoftOptInMonths = v }
            policy.maxMarketingPer30Days = int("max_marketing_per_30_days")
            if let v = int("uk_indirect_consent_months") { policy.ukIndirectConsentMonths = v }
            let from = time(validFromKey) ?? Timestamp(secondsSinceEpoch: 0)
            object.rejectUnknown(allowed: ["record", validFromKey, "uk_soft_opt_in_months", "abandoned_checkout_is_negotiation",
                                           "eu_soft_opt_in_months", "max_marketing_per_30_days", "uk_indirect_consent_months"])
            items.append(.organisation(.policy(policy, validFrom: from)))
        case "notice":
            let version = object.required("version", "notice version").flatMap { Read.string($0, "version", d) }
            let text = object.required("text", "the exact wording shown").flatMap { Read.string($0, "text", d) }
            let from = time(validFromKey) ?? Timestamp(secondsSinceEpoch: 0)
            object.rejectUnknown(allowed: ["record", "version", "text", validFromKey])
            if let version, let text { items.append(.organisation(.notice(NoticeText(version: version, text: text, validFrom: from)))) }
        case "contact":
            let draft = contactDraft(&object, d, idKey: "id")
            object.rejectUnknown(allowed: ["record", "id", "email", "phone", "jurisdiction", "subscriber"])
            if let draft {
                if draft.id == nil && draft.identifiers.isEmpty {
                    d.report("id", value.position, "a contact needs an id, an email or a phone")
                } else {
                    items.append(.contact(draft))
                }
            }
        case "event":
            let draft = contactDraft(&object, d, idKey: "contact")
            let evidence = object.member("evidence").flatMap { readEvidence($0, d) }
            var event: Event?
            do {
                event = try EventDecoder.decode(value, extraFields: eventExtraFields)
            } catch {
                for p in error.problems { d.report(p.path, p.position, p.message) }
            }
            if let draft {
                let reference: ContactReference?
                if let id = draft.id { reference = .id(id) } else { reference = draft.identifiers.first.map { .identifier($0) } }
                let describes = draft.jurisdiction != nil || draft.subscriber != nil
                    || (!draft.identifiers.isEmpty && (identifiersDescribeContact || draft.id != nil))
                if describes { items.append(.contact(draft)) }
                if let reference, let event {
                    items.append(.event(reference, event, evidence))
                } else if reference == nil {
                    d.report("contact", value.position, "an event needs its contact: a contact id, an email or a phone")
                }
            }
        case nil:
            d.report("record", value.position, "missing \"record\" (entity, product, policy, notice, contact or event)")
        case let other?:
            d.report("record", recordValue?.position ?? value.position,
                     "unknown record \"\(other)\" (expected one of: entity, product, policy, notice, contact, event)")
        }
        return d.isEmpty ? ImportLine(line: line, items: items) : ImportLine(line: line, problems: problems(d, line))
    }

    /// The contact fields of a line; `idKey` is `id` on contact lines and `contact` on event lines.
    static func contactDraft(_ object: inout ObjectReader, _ d: Diagnostics, idKey: String) -> ContactDraft? {
        let id = object.member(idKey).flatMap { Read.string($0, idKey, d) }
        var jurisdiction: JurisdictionCode?
        if let v = object.member("jurisdiction"), let text = Read.string(v, "jurisdiction", d) {
            jurisdiction = JurisdictionCode(text)
            if jurisdiction == nil {
                d.report("jurisdiction", v.position, text.uppercased() == "UK"
                    ? "\"\(text)\" is not an ISO 3166-1 code: the United Kingdom is \"GB\""
                    : "\"\(text)\" is not an ISO 3166-1 alpha-2 code with an optional subdivision (e.g. \"GB\", \"US-CA\")")
            }
        }
        let subscriber = object.member("subscriber").flatMap { Read.enumeration($0, "subscriber", d, "subscriber type", as: SubscriberType.self) }
        var identifiers: [Identifier] = []
        if let v = object.member("email"), let text = Read.string(v, "email", d) {
            do { identifiers.append(try Identifier.email(text)) } catch { d.report("email", v.position, error.description) }
        }
        if let v = object.member("phone"), let text = Read.string(v, "phone", d) {
            do { identifiers.append(try Identifier.phone(text, country: jurisdiction?.country)) } catch { d.report("phone", v.position, error.description) }
        }
        return ContactDraft(id: id, jurisdiction: jurisdiction, subscriber: subscriber, identifiers: identifiers)
    }

    static func readEvidence(_ value: JSONValue, _ d: Diagnostics) -> EventEvidence? {
        guard var o = ObjectReader(value, path: "evidence", d) else { return nil }
        func s(_ key: String) -> String? { o.member(key).flatMap { Read.string($0, "evidence.\(key)", d) } }
        let evidence = EventEvidence(
            collectionPoint: s("collection_point"), actor: s("actor"), ip: s("ip"), userAgent: s("user_agent"), reason: s("reason"))
        o.rejectUnknown(allowed: ["collection_point", "actor", "ip", "user_agent", "reason"])
        return evidence.isEmpty ? nil : evidence
    }

    static func problems(_ d: Diagnostics, _ line: Int) -> [ImportProblem] {
        d.problems.map { ImportProblem(line: line, column: $0.position?.column, field: $0.path, message: $0.message) }
    }
}

