import Hummingbird
import NIOCore
import OptGateLedger

/// The request context of the API: Hummingbird's core storage plus the API key that authenticated
/// the request (set by `AuthMiddleware`).
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated key, nil on the public routes (health, metrics, the OpenAPI document).
    public var key: APIKey?
    /// The peer's address, as the connection gave it.
    private let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address, for evidence of a person's own choice (stored truncated). Written out
    /// only by the routes that need it, not for every request.
    public var remoteIP: String? { remoteAddress?.ipAddress }

    /// Refuses the request (403) unless its key holds `scope`.
    public func require(_ scope: APIScope) throws {
        guard let key else { throw Problem.unauthenticated }
        guard scope.isGranted(by: key.scopes) else { throw Problem.forbidden(scope.rawValue) }
    }
}
