import Foundation
import Hummingbird
import Logging
import OptGateLedger

/// Authenticates every request under `/v1` by its bearer API key (401 without a valid one), and
/// holds each key to its rate limit (429 with `Retry-After`). Scopes are checked by each route.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let keyring: APIKeyring
    let limiter: RateLimiter
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              let key = try keyring.authenticate(token: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        else {
            metrics.authFailure()
            throw Problem.unauthenticated
        }
        if let rate = key.ratePerSecond, let wait = limiter.admit(keyID: key.id, ratePerSecond: rate) {
            metrics.rateLimited()
            throw Problem(
                .tooManyRequests, "rate-limited", title: "Rate limit exceeded",
                detail: "this API key is limited to \(rate) requests per second", retryAfter: max(1, Int(wait.rounded(.up))))
        }
        var context = context
        context.key = key
        return try await next(request, context)
    }
}
