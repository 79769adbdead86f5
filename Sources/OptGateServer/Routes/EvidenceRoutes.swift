import Hummingbird
import OptGateCore
import OptGateLedger
import OptGateScenario

/// Proof for a regulator (scope evidence:read): `GET /v1/audit/verify` recomputes the whole hash
/// chain, `GET /v1/contacts/{id}/evidence` is a contact's evidence pack and
/// `GET /v1/contacts/{id}/receipts` their consent receipts (Kantara CR v1.1, ISO/IEC TS 27560).
struct EvidenceRoutes {
    let services: ServerServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("audit/verify", use: verify)
        group.get("contacts/{id}/evidence", use: evidence)
        group.get("contacts/{id}/receipts", use: receipts)
    }

    @Sendable func verify(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.evidenceRead)
        let report = try services.ledger.verify()
        var members: [(String, String)] = [
            ("valid", report.isValid ? "true" : "false"),
            ("entries", String(report.entries)),
            ("checkpoints", String(report.checkpoints)),
            ("erased_personal_data", String(report.erasedPersonalData)),
            ("head_hash", JSONWriter.quoted(report.headHash)),
        ]
        if let problem = report.problem {
            members.append(("problem", JSONWriter(pretty: false).object([
                ("seq", String(problem.seq)), ("detail", JSONWriter.quoted(problem.description)),
            ])))
        }
        return json(JSONWriter(pretty: false).object(members))
    }

    @Sendable func evidence(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.evidenceRead)
        let history = try history(context)
        let propagation = try services.outbox?.deliveries(contactID: history.contactID) ?? []
        return json(EvidencePack.json(history, generatedAt: services.clock(), engine: services.ledger.engine, propagation: propagation))
    }

    @Sendable func receipts(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.evidenceRead)
        let history = try history(context)
        return json(ConsentReceipt.all(history, generatedAt: services.clock()))
    }

    private func history(_ context: APIRequestContext) throws -> ContactHistory {
        let id = try context.parameters.require("id")
        do {
            return try services.ledger.history(contactID: id, withState: true)
        } catch LedgerError.unknownContact {
            throw Problem.notFound("no contact \"\(id)\"")
        }
    }
}
