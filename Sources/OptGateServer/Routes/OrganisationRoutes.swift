import Hummingbird
import OptGateCore
import OptGateLedger
import OptGateScenario

/// The organisation's versioned records: entities, the catalogue with its similarity assessments,
/// policy settings and notice texts. `GET` shows them as they stand now or `?at=` a past moment
/// (any key); `POST` records a new version, in effect from its `valid_from` (scope
/// organisation:write). Re-posting the same version is harmless; changing one needs a later
/// `valid_from`, so that past decisions replay with the settings of their day.
struct OrganisationRoutes {
    let services: ServerServices
    var intake: RecordIntake { RecordIntake(services: services) }

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("entities", use: entities)
        group.post("entities") { try await record($0, $1, kind: "entity") }
        group.get("catalogue", use: catalogue)
        group.post("catalogue") { try await record($0, $1, kind: "product") }
        group.get("policy", use: policy)
        group.post("policy") { try await record($0, $1, kind: "policy") }
        group.get("notices", use: notices)
        group.post("notices") { try await record($0, $1, kind: "notice") }
    }

    private func record(_ request: Request, _ context: APIRequestContext, kind: String) async throws -> Response {
        try context.require(.organisationWrite)
        let value = try await request.jsonBody(limit: services.configuration.maxBodyBytes)
        let line = try intake.decode(value, line: 1, path: "", allowed: [kind], defaultRecord: kind)
        let outcomes = try await intake.record([line])
        return json(outcomes[0].json, status: intake.created(outcomes) ? .created : .ok)
    }

    @Sendable func entities(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (organisation, at) = try current(request)
        let w = JSONWriter(pretty: false)
        let list = organisation.entities.keys.sorted().map { id -> String in
            let e = organisation.entities[id]!
            return w.object([("id", JSONWriter.quoted(e.id)), ("kind", JSONWriter.quoted(e.kind.rawValue)),
                             ("group", e.group.map(JSONWriter.quoted) ?? "null"), ("name", e.name.map(JSONWriter.quoted) ?? "null")])
        }
        return json(w.object([("at", JSONWriter.quoted(at.rfc3339)), ("entities", w.array(list))]))
    }

    @Sendable func catalogue(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (organisation, at) = try current(request)
        let w = JSONWriter(pretty: false)
        let list = organisation.catalogue.products.map { p in
            w.object([("id", JSONWriter.quoted(p.id)), ("similar_to", w.array(p.similarTo.map(JSONWriter.quoted))),
                      ("reasoning", p.reasoning.map(JSONWriter.quoted) ?? "null"), ("name", p.name.map(JSONWriter.quoted) ?? "null"),
                      ("category", p.category.map(JSONWriter.quoted) ?? "null")])
        }
        return json(w.object([("at", JSONWriter.quoted(at.rfc3339)), ("products", w.array(list))]))
    }

    @Sendable func policy(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (organisation, at) = try current(request)
        let p = organisation.policy
        return json(JSONWriter(pretty: false).object([
            ("at", JSONWriter.quoted(at.rfc3339)),
            ("uk_soft_opt_in_months", String(p.ukSoftOptInMonths)),
            ("abandoned_checkout_is_negotiation", p.abandonedCheckoutIsNegotiation.map { $0 ? "true" : "false" } ?? "null"),
            ("eu_soft_opt_in_months", String(p.euSoftOptInMonths)),
            ("max_marketing_per_30_days", p.maxMarketingPer30Days.map(String.init) ?? "null"),
            ("uk_indirect_consent_months", String(p.ukIndirectConsentMonths)),
        ]))
    }

    @Sendable func notices(_ request: Request, context: APIRequestContext) async throws -> Response {
        let history = try services.ledger.organisationHistory()
        let w = JSONWriter(pretty: false)
        let list = history.noticeVersions.compactMap { history.notice($0) }.map { n in
            w.object([("version", JSONWriter.quoted(n.version)), ("valid_from", JSONWriter.quoted(n.validFrom.rfc3339)),
                      ("text", JSONWriter.quoted(n.text))])
        }
        return json(w.object([("notices", w.array(list))]))
    }

    private func current(_ request: Request) throws -> (Organisation, Timestamp) {
        let at = try request.instant(default: services.clock())
        return (try services.ledger.organisationHistory().organisation(at: at), at)
    }
}
