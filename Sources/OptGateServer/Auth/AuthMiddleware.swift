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
        guard let header = Self.authorization(request.headers), let token = Self.bearerToken(header),
              let key = try keyring.authenticate(token: token)
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

    /// The one `Authorization` field of a request, as sent; nil without one, or with two (which
    /// credential to use would be a guess). Read without the subscript by name, which builds a new
    /// string joining repeated fields on every request.
    static func authorization(_ fields: HTTPFields) -> String? {
        var found: String?
        for field in fields where field.name == .authorization {
            guard found == nil else { return nil }
            found = field.value
        }
        return found
    }

    /// The token of an `Authorization: Bearer TOKEN` header, without the spaces and tabs around it
    /// (read on every request, so without Foundation's character sets).
    /// The scheme is matched in any case: RFC 9110 §11.1 makes authentication schemes
    /// case-insensitive, and so does the ABNF of RFC 6750 §2.1 (`"Bearer" 1*SP b64token`).
    static func bearerToken(_ header: String) -> String? {
        let utf8 = header.utf8
        guard utf8.count > 7, zip(utf8.prefix(6), "bearer".utf8).allSatisfy({ $0 | 0x20 == $1 }),
              utf8.dropFirst(6).first == 0x20
        else { return nil }
        let token = utf8.dropFirst(7).drop(while: { $0 == 0x20 || $0 == 0x09 })
        guard let last = token.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return nil }
        return String(Substring(token[...last]))
    }
}
