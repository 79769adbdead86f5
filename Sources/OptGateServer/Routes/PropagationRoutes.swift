import Foundation
import Hummingbird
import OptGateCore
import OptGateLedger
import OptGateScenario

/// Proof that opt-outs and consent changes reached every system that sends:
/// `GET /v1/propagation` (per destination: pending, delivered, dead and overdue deliveries, and the
/// age of the oldest pending one) and `GET /v1/propagation/deliveries?state=&limit=` (the
/// deliveries themselves), scope evidence:read; `POST /v1/propagation/dead/{key}/retry` puts a
/// dead-lettered delivery back in the queue (scope admin). Destinations are managed with
/// `optgate destinations`.
struct PropagationRoutes {
    let services: ServerServices

    /// Most deliveries one listing returns.
    static let maxLimit = 1000

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("propagation", use: status)
        group.get("propagation/deliveries", use: deliveries)
        group.post("propagation/dead/{key}/retry", use: retry)
    }

    @Sendable func status(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.evidenceRead)
        let now = services.clock()
        let w = JSONWriter(pretty: false)
        let list = try outbox().status(at: now).map { destination, counts in
            w.object([
                ("name", JSONWriter.quoted(destination.name)),
                ("kind", JSONWriter.quoted(destination.kind.rawValue)),
                ("deadline", JSONWriter.quoted(destination.deadline.description)),
                ("created_at", JSONWriter.quoted(destination.createdAt.rfc3339)),
                ("removed_at", destination.removedAt.map { JSONWriter.quoted($0.rfc3339) } ?? "null"),
                ("cursor", String(destination.cursor)),
                ("pending", String(counts.pending)),
                ("delivered", String(counts.delivered)),
                ("dead", String(counts.dead)),
                ("overdue", String(counts.overdue)),
                ("oldest_pending_age_seconds",
                 counts.oldestPendingBoundAt.map { String(max(0, now.secondsSinceEpoch - $0.secondsSinceEpoch)) } ?? "null"),
            ])
        }
        return json(w.object([("at", JSONWriter.quoted(now.rfc3339)), ("destinations", w.array(list))]))
    }

    @Sendable func deliveries(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.evidenceRead)
        let now = services.clock()
        let query = request.uri.queryParameters
        let filter: DeliveryFilter
        switch query["state"].map(String.init) ?? "pending" {
        case "overdue": filter = .overdue(at: now)
        case let name:
            guard let state = DeliveryState(rawValue: name) else {
                throw Problem.invalidField("state", "must be pending, delivered, dead or overdue, not \"\(name)\"")
            }
            filter = .state(state)
        }
        var limit = 100
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1...Self.maxLimit).contains(value) else {
                throw Problem.invalidField("limit", "must be a whole number in 1...\(Self.maxLimit), not \"\(text)\"")
            }
            limit = value
        }
        let destination = query["destination"].map(String.init)
        let w = JSONWriter(pretty: false)
        let list = try outbox().deliveries(filter, destination: destination, limit: limit).map { Self.deliveryJSON($0, at: now, w) }
        return json(w.object([("at", JSONWriter.quoted(now.rfc3339)), ("deliveries", w.array(list))]))
    }

    @Sendable func retry(_ request: Request, context: APIRequestContext) async throws -> Response {
        try context.require(.admin)
        let key = try context.parameters.require("key")
        let outbox = try outbox()
        do {
            try outbox.requeue(key: key, at: Date().timeIntervalSince1970)
        } catch let error as PropagationError {
            throw Problem.notFound(error.description)
        }
        services.propagationWake.signal()
        let delivery = try outbox.store.readPropagation { try $0.delivery(key: key) }
        return json(Self.deliveryJSON(delivery!, at: services.clock(), JSONWriter(pretty: false)))
    }

    /// One delivery as the API shows it.
    static func deliveryJSON(_ d: Delivery, at now: Timestamp, _ w: JSONWriter) -> String {
        func time(_ t: Timestamp?) -> String { t.map { JSONWriter.quoted($0.rfc3339) } ?? "null" }
        return w.object([
            ("idempotency_key", JSONWriter.quoted(d.key)),
            ("destination", JSONWriter.quoted(d.destination)),
            ("seq", String(d.seq)),
            ("type", JSONWriter.quoted(d.change.rawValue)),
            ("contact", JSONWriter.quoted(d.contactID)),
            ("state", JSONWriter.quoted(d.state.rawValue)),
            ("attempts", String(d.attempts)),
            ("last_error", d.lastError.map(JSONWriter.quoted) ?? "null"),
            ("next_attempt_at", d.state == .pending ? time(Timestamp(secondsSinceEpoch: Int64(d.nextAttemptAt.rounded(.up)))) : "null"),
            ("received_at", time(d.receivedAt)),
            ("bound_at", time(d.boundAt)),
            ("deadline", time(d.deadline)),
            ("confirmed_at", time(d.deliveredAt)),
            ("overdue", d.isOverdue(at: now) ? "true" : "false"),
        ])
    }

    private func outbox() throws -> Outbox {
        guard let outbox = services.outbox else { throw Problem.notFound("this ledger's store keeps no outbox") }
        return outbox
    }
}
