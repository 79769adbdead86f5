import Hummingbird
import Logging
import OptGateLedger

/// Records every request's route, status and latency in the metrics and logs one line per request
/// at info level. Neither carries personal data: the route is the matched pattern
/// (`/v1/contacts/{id}`), never the path, and bodies and query strings are not logged.
struct TelemetryMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let status: Int
        do {
            let response = try await next(request, context)
            status = Int(response.status.code)
            record(request, context, status: status, since: start)
            return response
        } catch let error as HTTPResponseError {
            record(request, context, status: Int(error.status.code), since: start)
            throw error
        } catch is StoreUnavailable {
            // The database of a shared ledger is down or restarting: 503, never a decision from memory.
            record(request, context, status: 503, since: start)
            context.logger.warning("the ledger's database cannot be reached")
            throw Problem.storeUnavailable
        } catch {
            record(request, context, status: 500, since: start)
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        let duration = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        metrics.request(route: route, method: request.method.rawValue, status: status, duration: duration)
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "route": .string(route), "status": .stringConvertible(status),
                "api_key": .string(context.key?.id ?? "-"),
                "duration_us": .stringConvertible(duration.components.attoseconds / 1_000_000_000_000 + duration.components.seconds * 1_000_000),
            ])
    }
}
