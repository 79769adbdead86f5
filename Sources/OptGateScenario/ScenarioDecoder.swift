import OptGateCore

/// Reads scenario/v1 JSON strictly: unknown fields, unknown enum values, missing required fields,
/// impossible dates and references to undeclared entities or products are all errors, each named
/// by line, column and path. Nothing is decided from a document with any problem.
public enum ScenarioDecoder {
    public static func decode(_ text: String) throws(ScenarioError) -> ScenarioFile {
        try decode(Array(text.utf8))
    }

    public static func decode(_ bytes: [UInt8]) throws(ScenarioError) -> ScenarioFile {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw ScenarioError(problems: [.init(path: "", position: error.position, message: "invalid JSON: \(error.message)")])
        }
        let d = Diagnostics()
        let file = document(root, d)
        guard d.isEmpty, let file else {
            throw ScenarioError(problems: d.problems)
        }
        return file
    }

    private static let topLevelFields = ["format", "now", "entities", "catalogue", "policy", "contact", "events", "message", "expect", "note"]

    private static func document(_ root: JSONValue, _ d: Diagnostics) -> ScenarioFile? {
        guard var object = ObjectReader(root, path: "", d) else { return nil }
        if let format = object.required("format", "\"\(ScenarioFile.format)\""), let text = Read.string(format, "format", d),
           text != ScenarioFile.format
        {
            d.report("format", format.position, "unsupported format \"\(text)\" (expected \"\(ScenarioFile.format)\")")
        }
        let now = object.required("now", "the decision time, RFC 3339").flatMap { Read.timestamp($0, "now", d) }
        let entities = object.required("entities", "the legal persons involved").flatMap { Read.list($0, "entities", d) { readEntity($0, $1, d) } } ?? []
        let products = object.member("catalogue").flatMap { Read.list($0, "catalogue", d) { readProduct($0, $1, d) } } ?? []
        let policy = object.member("policy").flatMap { readPolicy($0, d) } ?? Policy()
        let contact = object.required("contact", "the recipient").flatMap { readContact($0, d) }
        let references = References(entities: entities, products: products, d: d)
        references.checkDeclarations(root: root)
        let events = object.member("events").flatMap { Read.list($0, "events", d) { readEvent($0, $1, references) } } ?? []
        let message = object.required("message", "the proposed message").flatMap { readMessage($0, references) }
        let expect = object.member("expect").flatMap { readExpectation($0, d) }
        let note = object.member("note").flatMap { Read.string($0, "note", d) }
        object.rejectUnknown(allowed: topLevelFields)

        guard let now, let contact, let message else { return nil }
        let scenario = Scenario(
            now: now, entities: entities, catalogue: Catalogue(products), policy: policy, contact: contact,
            events: events, message: message)
        return ScenarioFile(scenario: scenario, expect: expect, note: note)
    }

    // MARK: Organisation

    private static func readEntity(_ value: JSONValue, _ path: String, _ d: Diagnostics) -> Entity? {
        guard var object = ObjectReader(value, path: path, d) else { return nil }
        let id = object.required("id", "entity id").flatMap { Read.string($0, object.childPath("id"), d) }
        let kind = object.required("kind", "company, charity, ...").flatMap {
            Read.enumeration($0, object.childPath("kind"), d, "entity kind", as: Entity.Kind.self)
        }
        let group = object.member("group").flatMap { Read.string($0, object.childPath("group"), d) }
        object.rejectUnknown(allowed: ["id", "kind", "group"])
        guard let id, let kind else { return nil }
        return Entity(id: id, kind: kind, group: group)
    }

    private static func readProduct(_ value: JSONValue, _ path: String, _ d: Diagnostics) -> Product? {
        guard var object = ObjectReader(value, path: path, d) else { return nil }
        let id = object.required("id", "product id").flatMap { Read.string($0, object.childPath("id"), d) }
        let similar = object.member("similar_to").flatMap { Read.list($0, object.childPath("similar_to"), d) { Read.string($0, $1, d) } } ?? []
        let reasoning = object.member("reasoning").flatMap { Read.string($0, object.childPath("reasoning"), d) }
        object.rejectUnknown(allowed: ["id", "similar_to", "reasoning"])
        guard let id else { return nil }
        return Product(id: id, similarTo: similar, reasoning: reasoning)
    }

    private static func readPolicy(_ value: JSONValue, _ d: Diagnostics) -> Policy? {
        guard var object = ObjectReader(value, path: "policy", d) else { return nil }
        var policy = Policy()
        if let v = object.member("uk_soft_opt_in_months"), let n = Read.integer(v, "policy.uk_soft_opt_in_months", d, in: 0...600) {
            policy.ukSoftOptInMonths = n
        }
        if let v = object.member("abandoned_checkout_is_negotiation"), let b = Read.bool(v, "policy.abandoned_checkout_is_negotiation", d) {
            policy.abandonedCheckoutIsNegotiation = b
        }
        if let v = object.member("eu_soft_opt_in_months"), let n = Read.integer(v, "policy.eu_soft_opt_in_months", d, in: 0...600) {
            policy.euSoftOptInMonths = n
        }
        if let v = object.member("max_marketing_per_30_days"), let n = Read.integer(v, "policy.max_marketing_per_30_days", d, in: 0...100_000) {
            policy.maxMarketingPer30Days = n
        }
        if let v = object.member("uk_indirect_consent_months"), let n = Read.integer(v, "policy.uk_indirect_consent_months", d, in: 0...600) {
            policy.ukIndirectConsentMonths = n
        }
        object.rejectUnknown(allowed: [
            "uk_soft_opt_in_months", "abandoned_checkout_is_negotiation", "eu_soft_opt_in_months",
            "max_marketing_per_30_days", "uk_indirect_consent_months",
        ])
        return policy
    }

    // MARK: Contact

    private static func readContact(_ value: JSONValue, _ d: Diagnostics) -> Contact? {
        guard var object = ObjectReader(value, path: "contact", d) else { return nil }
        let id = object.required("id", "contact id").flatMap { Read.string($0, "contact.id", d) }
        var jurisdiction: JurisdictionCode?
        if let v = object.member("jurisdiction"), let text = Read.string(v, "contact.jurisdiction", d) {
            if let code = JurisdictionCode(text) {
                jurisdiction = code
            } else if text.uppercased() == "UK" {
                d.report("contact.jurisdiction", v.position, "\"\(text)\" is not an ISO 3166-1 code: the United Kingdom is \"GB\"")
            } else {
                d.report("contact.jurisdiction", v.position, "\"\(text)\" is not an ISO 3166-1 alpha-2 code with an optional subdivision (e.g. \"GB\", \"US-CA\")")
            }
        }
        let subscriber = object.member("subscriber").flatMap {
            Read.enumeration($0, "contact.subscriber", d, "subscriber type", as: SubscriberType.self)
        } ?? .unknown
        object.rejectUnknown(allowed: ["id", "jurisdiction", "subscriber"])
        guard let id else { return nil }
        return Contact(id: id, jurisdiction: jurisdiction, subscriber: subscriber)
    }

    // MARK: Events

    private static let eventTypes = ["details_collected", "consent_given", "opt_out", "register_listed", "register_removed", "marketing_sent", "gpc_signal", "frequency_set"]

    /// Reads one event object (the contract's event shape). `extraFields` are members the caller
    /// reads itself (for example the ledger's `contact` and `evidence`); they are not reported as unknown.
    static func readEvent(_ value: JSONValue, _ path: String, _ r: References, extraFields: [String] = []) -> Event? {
        let d = r.d
        guard var object = ObjectReader(value, path: path, d) else { return nil }
        for field in extraFields { _ = object.member(field) }
        let at = object.required("at", "when it happened, RFC 3339").flatMap { Read.timestamp($0, object.childPath("at"), d) }
        let id = object.member("id").flatMap { Read.string($0, object.childPath("id"), d) }
        guard let typeValue = object.required("type", eventTypes.joined(separator: ", ")),
              let type = Read.string(typeValue, object.childPath("type"), d)
        else { return nil }
        let kind: Event.Kind?
        var fields = ["type", "at", "id"]
        func p(_ key: String) -> String { object.childPath(key) }
        switch type {
        case "details_collected":
            fields += ["by", "from", "context", "products", "channels", "refusal_offered", "refused"]
            let by = object.required("by", "the entity that obtained the details").flatMap { r.entity($0, p("by")) }
            let from = object.member("from").flatMap { Read.enumeration($0, p("from"), d, "source", as: DetailsCollected.Source.self) } ?? .recipient
            let context = object.required("context", "sale, quote_request, ...").flatMap {
                Read.enumeration($0, p("context"), d, "context", as: DetailsCollected.Context.self)
            }
            let products = object.member("products").flatMap { r.products($0, p("products")) } ?? []
            let channels = object.required("channels", "the channels the details reach").flatMap { r.channels($0, p("channels")) }
            let offered = object.member("refusal_offered").flatMap { Read.bool($0, p("refusal_offered"), d) } ?? false
            let refused = object.member("refused").flatMap { Read.bool($0, p("refused"), d) } ?? false
            if let by, let context, let channels {
                kind = .detailsCollected(DetailsCollected(
                    by: by, from: from, context: context, products: products, channels: channels,
                    refusalOffered: offered, refused: refused))
            } else { kind = nil }
        case "consent_given":
            fields += ["to", "channels", "purposes", "products", "method", "notice_version", "source", "collected_by", "expires_at"]
            let to = object.required("to", "the entities named in the request").flatMap { v in
                Read.list(v, p("to"), d) { r.entity($0, $1) }.flatMap { list -> [String]? in
                    if list.isEmpty, case .array(let a) = v.kind, a.isEmpty {
                        d.report(p("to"), v.position, "must name at least one entity: consent must name the organisation relying on it")
                    }
                    return list
                }
            }
            let channels = object.required("channels", "the channels consented to").flatMap { r.channels($0, p("channels")) }
            let purposes = object.required("purposes", "marketing, fundraising, campaigning").flatMap { v in
                Read.list(v, p("purposes"), d) { Read.enumeration($0, $1, d, "purpose", as: Purpose.self) }
            }
            let products = object.member("products").flatMap { r.products($0, p("products")) }
            let method = object.required("method", "how consent was obtained").flatMap {
                Read.enumeration($0, p("method"), d, "consent method", as: ConsentGiven.Method.self)
            }
            let notice = object.member("notice_version").flatMap { Read.string($0, p("notice_version"), d) }
            let source = object.member("source").flatMap { Read.string($0, p("source"), d) }
            let collectedBy = object.member("collected_by").flatMap { r.entity($0, p("collected_by")) }
            let expires = object.member("expires_at").flatMap { Read.timestamp($0, p("expires_at"), d) }
            if let to, let channels, let purposes, let method {
                kind = .consentGiven(ConsentGiven(
                    to: to, channels: channels, purposes: Set(purposes), products: products, method: method,
                    noticeVersion: notice, source: source, collectedBy: collectedBy, expiresAt: expires))
            } else { kind = nil }
        case "opt_out":
            fields += ["channels", "products", "entity", "via", "until"]
            let channels = object.member("channels").flatMap { r.channels($0, p("channels")) }
            let products = object.member("products").flatMap { r.products($0, p("products")) }
            let entity = object.member("entity").flatMap { r.entity($0, p("entity")) }
            let via = object.member("via").flatMap { Read.enumeration($0, p("via"), d, "opt-out route", as: OptOut.Route.self) } ?? .other
            let until = object.member("until").flatMap { Read.timestamp($0, p("until"), d) }
            if let until, let at, until <= at, let value = object.member("until") {
                d.report(p("until"), value.position, "a pause must end after the opt-out (\(at.rfc3339))")
            }
            kind = .optOut(OptOut(channels: channels, products: products, entity: entity, via: via, until: until))
        case "register_listed", "register_removed":
            fields += ["register"]
            let register = object.required("register", "tps, ctps, ...").flatMap {
                Read.enumeration($0, p("register"), d, "register", as: PreferenceRegister.self)
            }
            kind = register.map { type == "register_listed" ? .registerListed($0) : .registerRemoved($0) }
        case "marketing_sent":
            fields += ["by", "channel", "products"]
            let by = object.required("by", "the sending entity").flatMap { r.entity($0, p("by")) }
            let channel = object.required("channel", "the channel used").flatMap {
                Read.enumeration($0, p("channel"), d, "channel", as: Channel.self)
            }
            let products = object.member("products").flatMap { r.products($0, p("products")) } ?? []
            if let by, let channel {
                kind = .marketingSent(MarketingSent(by: by, channel: channel, products: products))
            } else { kind = nil }
        case "frequency_set":
            fields += ["entity", "channels", "max_per_30_days"]
            let entity = object.member("entity").flatMap { r.entity($0, p("entity")) }
            let channels = object.member("channels").flatMap { r.channels($0, p("channels")) }
            // No messages at all is an opt_out, not a frequency; absent (or null) lifts an earlier limit.
            let value = object.member("max_per_30_days")
            let max = value.flatMap { Read.integer($0, p("max_per_30_days"), d, in: 1...10_000) }
            kind = value != nil && max == nil ? nil : .frequencySet(FrequencyPreference(entity: entity, channels: channels, maxPer30Days: max))
        case "gpc_signal":
            fields += ["value"]
            kind = object.required("value", "true for Sec-GPC: 1").flatMap { Read.bool($0, p("value"), d) }.map { .gpcSignal($0) }
        default:
            d.report(p("type"), typeValue.position, "unknown event type \"\(type)\" (expected one of: \(eventTypes.joined(separator: ", ")))")
            return nil
        }
        object.rejectUnknown(allowed: fields + extraFields)
        guard let at, let kind else { return nil }
        return Event(id: id, at: at, kind)
    }

    // MARK: Message and expectation

    private static let messageFields = [
        "from", "channel", "purpose", "products", "on_behalf_of", "includes_opt_out", "identifies_sender", "solicited",
        "relevant_to_role",
    ]

    /// Reads a message of the contract (as in a scenario's `message`) at `path`, reporting problems
    /// to `d`. Entity and product ids are checked against the given sets (nil accepts any id).
    public static func message(
        _ value: JSONValue, path: String = "message", entityIDs: Set<String>?, productIDs: Set<String>?, _ d: Diagnostics
    ) -> Message? {
        readMessage(value, References(entityIDs: entityIDs, productIDs: productIDs, d: d), path: path)
    }

    private static func readMessage(_ value: JSONValue, _ r: References, path: String = "message") -> Message? {
        let d = r.d
        guard var object = ObjectReader(value, path: path, d) else { return nil }
        let from = object.required("from", "the sending entity").flatMap { r.entity($0, "\(path).from") }
        let channel = object.required("channel", "email, sms, ...").flatMap {
            Read.enumeration($0, "\(path).channel", d, "channel", as: Channel.self)
        }
        let purpose = object.required("purpose", "marketing, fundraising, campaigning, service").flatMap {
            Read.enumeration($0, "\(path).purpose", d, "purpose", as: Purpose.self)
        }
        let products = object.member("products").flatMap { r.products($0, "\(path).products") } ?? []
        let onBehalfOf = object.member("on_behalf_of").flatMap { r.entity($0, "\(path).on_behalf_of") }
        let includesOptOut = object.member("includes_opt_out").flatMap { Read.bool($0, "\(path).includes_opt_out", d) } ?? true
        let identifiesSender = object.member("identifies_sender").flatMap { Read.bool($0, "\(path).identifies_sender", d) } ?? true
        let solicited = object.member("solicited").flatMap { Read.bool($0, "\(path).solicited", d) } ?? false
        let relevant = object.member("relevant_to_role").flatMap { Read.bool($0, "\(path).relevant_to_role", d) } ?? false
        object.rejectUnknown(allowed: messageFields)
        guard let from, let channel, let purpose else { return nil }
        return Message(
            from: from, channel: channel, purpose: purpose, products: products, onBehalfOf: onBehalfOf,
            includesOptOut: includesOptOut, identifiesSender: identifiesSender, solicited: solicited, relevantToRole: relevant)
    }

    private static func readExpectation(_ value: JSONValue, _ d: Diagnostics) -> ScenarioFile.Expectation? {
        guard var object = ObjectReader(value, path: "expect", d) else { return nil }
        let allowed = object.required("allowed", "true or false").flatMap { Read.bool($0, "expect.allowed", d) }
        let basis = object.member("basis").flatMap { Read.enumeration($0, "expect.basis", d, "basis", as: Basis.self) }
        object.rejectUnknown(allowed: ["allowed", "basis"])
        guard let allowed else { return nil }
        if !allowed, let basis, let v = object.member("basis") {
            d.report("expect.basis", v.position, "a denied send has no basis (found \"\(basis.rawValue)\")")
        }
        return ScenarioFile.Expectation(allowed: allowed, basis: basis)
    }
}

/// Resolves references to declared entities and products, reporting undeclared ones: a typo in an
/// id must never silently change a decision.
struct References {
    /// nil accepts any id (when reading back events that were validated when recorded).
    let entityIDs: Set<String>?
    let productIDs: Set<String>?
    let entityList: [Entity]
    let productList: [Product]
    let d: Diagnostics

    init(entities: [Entity], products: [Product], d: Diagnostics) {
        entityIDs = Set(entities.map(\.id))
        productIDs = Set(products.map(\.id))
        entityList = entities
        productList = products
        self.d = d
    }

    init(entityIDs: Set<String>?, productIDs: Set<String>?, d: Diagnostics) {
        self.entityIDs = entityIDs
        self.productIDs = productIDs
        entityList = []
        productList = []
        self.d = d
    }

    /// Duplicate ids and similarity assessments naming unknown products, located at the offending
    /// value. Walks the document itself, so that an item rejected earlier does not shift the
    /// positions reported for later ones.
    func checkDeclarations(root: JSONValue) {
        guard case .object(let members) = root.kind else { return }
        func elements(_ key: String) -> [JSONValue] {
            guard let value = members.first(where: { $0.key == key })?.value, case .array(let items) = value.kind else { return [] }
            return items
        }
        func member(_ value: JSONValue, _ key: String) -> JSONValue? {
            guard case .object(let fields) = value.kind else { return nil }
            return fields.first(where: { $0.key == key })?.value
        }
        func text(_ value: JSONValue?) -> String? {
            guard let value, case .string(let s) = value.kind else { return nil }
            return s
        }
        for (array, what) in [("entities", "entity"), ("catalogue", "product")] {
            var seen = Set<String>()
            for (i, item) in elements(array).enumerated() {
                guard let idValue = member(item, "id"), let id = text(idValue) else { continue }
                if !seen.insert(id).inserted {
                    d.report("\(array)[\(i)].id", idValue.position, "duplicate \(what) id \"\(id)\"")
                }
            }
        }
        let declared = Set(elements("catalogue").compactMap { text(member($0, "id")) })
        for (i, item) in elements("catalogue").enumerated() {
            guard let similar = member(item, "similar_to"), case .array(let others) = similar.kind else { continue }
            for (j, other) in others.enumerated() {
                if let id = text(other), !declared.contains(id) {
                    d.report("catalogue[\(i)].similar_to[\(j)]", other.position, "unknown product \"\(id)\" (not in the catalogue)")
                }
            }
        }
    }

    func entity(_ value: JSONValue, _ path: String) -> String? {
        guard let id = Read.string(value, path, d) else { return nil }
        guard let entityIDs, !entityIDs.contains(id) else { return id }
        let known = entityIDs.sorted().joined(separator: ", ")
        d.report(path, value.position, "unknown entity \"\(id)\" (declared entities: \(known.isEmpty ? "none" : known))")
        return nil
    }

    func products(_ value: JSONValue, _ path: String) -> [String]? {
        Read.list(value, path, d) { item, itemPath in
            guard let id = Read.string(item, itemPath, d) else { return nil }
            if let productIDs, !productIDs.contains(id) {
                d.report(itemPath, item.position, "unknown product \"\(id)\" (not in the catalogue)")
                return nil
            }
            return id
        }
    }

    func channels(_ value: JSONValue, _ path: String) -> ChannelSet? {
        Read.list(value, path, d) { Read.enumeration($0, $1, d, "channel", as: Channel.self) }.map { ChannelSet($0) }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
