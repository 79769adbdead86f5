import Hummingbird
import OptGateCore
import OptGateLedger
import OptGateScenario

/// Reading contacts: `GET /v1/contacts/{id}` (profile and permissions per sender and channel, now or
/// `?at=`), `GET /v1/contacts/{id}/history` (entries, `?at=` for what was known of that moment) and
/// `POST /v1/contacts/lookup` (the id behind an email or phone, given in the body so that personal
/// data never appears in URLs or access logs).
struct ContactRoutes {
    let services: ServerServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("contacts/{id}", use: contact)
        group.get("contacts/{id}/history", use: history)
        group.post("contacts/lookup", use: lookup)
    }

    @Sendable func contact(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.contactsRead)
        let history = try loadHistory(context)
        let at = try request.instant(default: services.clock())
        let w = JSONWriter(pretty: false)
        let permissions = history.permissions(at: at, engine: services.ledger.engine).map { p -> String in
            let d = p.decision
            let why = d.reasons.first { d.allowed ? $0.code.isGround : !$0.code.isGround } ?? d.reasons.first
            return w.object([
                ("from", JSONWriter.quoted(p.from)), ("channel", JSONWriter.quoted(p.channel.rawValue)),
                ("products", w.array(p.products.map(JSONWriter.quoted))),
                ("allowed", d.allowed ? "true" : "false"), ("basis", d.basis.map { JSONWriter.quoted($0.rawValue) } ?? "null"),
                ("valid_until", d.validUntil.map { JSONWriter.quoted($0.rfc3339) } ?? "null"),
                ("reason", why.map { r in
                    w.object([("code", JSONWriter.quoted(r.code.rawValue)), ("rule", JSONWriter.quoted(r.rule.citation)),
                              ("detail", JSONWriter.quoted(r.detail))])
                } ?? "null"),
            ])
        }
        return json(w.object([
            ("contact", profileJSON(history, at: at)),
            ("at", JSONWriter.quoted(at.rfc3339)),
            ("events", String(history.events.filter { $0.at <= at }.count)),
            ("permissions", w.array(permissions)),
        ]))
    }

    @Sendable func history(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.contactsRead)
        let history = try loadHistory(context)
        let at = try request.uri.queryParameters["at"] != nil ? request.instant(default: services.clock()) : nil
        // At a past moment: the events that had happened by then (whenever they were recorded), the
        // decisions given by then, and the profiles recorded by then (the first one always).
        let firstProfile = history.entries.first { $0.stored.kind == .contact }?.stored.seq
        let entries = history.entries.filter { entry in
            guard let at else { return true }
            switch entry.record {
            case .contact: return entry.stored.recordedAt <= at || entry.stored.seq == firstProfile
            default: return (entry.stored.occurredAt ?? entry.stored.recordedAt) <= at
            }
        }
        let w = JSONWriter(pretty: false)
        return json(w.object([
            ("contact", profileJSON(history, at: at ?? services.clock())),
            ("at", at.map { JSONWriter.quoted($0.rfc3339) } ?? "null"),
            ("entries", w.array(entries.map { EvidencePack.entryJSON($0, erased: history.erased) })),
        ]))
    }

    @Sendable func lookup(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.contactsRead)
        let value = try await request.jsonBody(limit: services.configuration.maxBodyBytes)
        let d = Diagnostics()
        guard var object = ObjectReader(value, path: "", d) else { throw Problem.invalid(d.problems) }
        let lookup = ContactLookup.read(&object, d)
        object.rejectUnknown(allowed: ["email", "phone", "contact"])
        guard d.isEmpty, let lookup else { throw Problem.invalid(d.problems) }
        let id = try lookup.resolve(in: services)
        return json(JSONWriter(pretty: false).object([("contact", JSONWriter.quoted(id))]))
    }

    // MARK: Shared

    private func loadHistory(_ context: APIRequestContext) throws -> ContactHistory {
        let id = try context.parameters.require("id")
        do {
            return try services.ledger.history(contactID: id)
        } catch LedgerError.unknownContact {
            throw Problem.notFound("no contact \"\(id)\"")
        }
    }

    private func profileJSON(_ history: ContactHistory, at: Timestamp) -> String {
        let profile = history.profile(at: at)
        var members: [(String, String)] = [
            ("id", JSONWriter.quoted(history.contactID)),
            ("jurisdiction", profile?.jurisdiction.map { JSONWriter.quoted($0.description) } ?? "null"),
            ("subscriber", JSONWriter.quoted(profile?.subscriber.rawValue ?? "unknown")),
            ("erased", history.erased ? "true" : "false"),
        ]
        if !history.erased {
            members.append(("identifiers", "[" + (profile?.identifiers ?? []).map {
                "{\"type\":\(JSONWriter.quoted($0.kind.rawValue)),\"value\":\(JSONWriter.quoted($0.value))}"
            }.joined(separator: ",") + "]"))
        }
        return JSONWriter(pretty: false).object(members)
    }
}
