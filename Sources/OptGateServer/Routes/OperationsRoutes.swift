import Hummingbird
import OptGateScenario

/// Unauthenticated operations routes: `GET /ping` (liveness, a constant answer that touches
/// nothing), `GET /health` (readiness: the ledger answers, and its head), `GET /metrics` (Prometheus
/// text) and `GET /openapi.json` (the API's description). None carries personal data.
struct OperationsRoutes {
    let services: ServerServices

    func register(on router: Router<APIRequestContext>) {
        router.get("ping") { _, _ in Self.pong }
        router.get("health", use: health)
        router.get("metrics", use: metrics)
        router.get("openapi.json", use: openAPI)
    }

    static var pong: Response { json("{\"status\":\"ok\"}") }

    @Sendable func health(_ request: Request, context: APIRequestContext) async throws -> Response {
        let head = try services.ledger.store.read { try $0.head() }
        return json(JSONWriter(pretty: false).object([
            ("status", "\"ok\""),
            ("ledger_head", String(head?.seq ?? 0)),
        ]))
    }

    @Sendable func metrics(_ request: Request, context: APIRequestContext) async throws -> Response {
        services.metrics.cacheSize(services.timelines.count)
        if let outbox = services.outbox {
            for (_, counts) in try outbox.status(at: services.clock()) { services.metrics.propagation(counts) }
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: services.metrics.exposition())))
    }

    @Sendable func openAPI(_ request: Request, context: APIRequestContext) async throws -> Response {
        json(OpenAPIDocument.json)
    }
}
