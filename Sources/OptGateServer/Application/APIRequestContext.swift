import Hummingbird
import OptGateLedger

/// The request context of the API: Hummingbird's core storage plus the API key that authenticated
/// the request (set by `AuthMiddleware`).
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated key, nil on the public routes (health, metrics, the OpenAPI document).
    public var key: APIKey?
    /// The peer's IP address, for evidence of a person's own choice (stored truncated).
    public var remoteIP: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteIP = source.channel.remoteAddress?.ipAddress
    }

    /// Refuses the request (403) unless its key holds `scope`.
    public func require(_ scope: APIScope) throws {
        guard let key else { throw Problem.unauthenticated }
        guard scope.isGranted(by: key.scopes) else { throw Problem.forbidden(scope.rawValue) }
    }
}
