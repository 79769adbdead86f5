import Foundation
import OptGateCore
import OptGateLedger

/// The API keys a running server accepts: read from the key store, kept in memory, and read again
/// at most `refreshInterval` seconds after the last read, so that a key created or revoked with
/// `optgate keys` takes effect on a running server within that interval without a query per request.
public final class APIKeyring: @unchecked Sendable {
    private let store: any APIKeyStore
    private let refreshInterval: Double
    private let lock = NSLock()
    private var keys: [String: APIKey] = [:]
    /// Tokens already checked against their key's digest since the last read (only valid tokens,
    /// so at most one per key).
    private var verified: [String: APIKey] = [:]
    private var loadedAt: Double = -.infinity
    private let monotonicNow: @Sendable () -> Double

    public init(store: any APIKeyStore, refreshInterval: Double = 1.0, monotonicNow: @escaping @Sendable () -> Double = APIKeyring.uptime) {
        self.store = store
        self.refreshInterval = refreshInterval
        self.monotonicNow = monotonicNow
    }

    public static let uptime: @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// The key a bearer token belongs to, if the token is valid and the key not revoked.
    /// One lock per request: a token already verified since the last read is answered from memory.
    public func authenticate(token: String) throws -> APIKey? {
        let now = monotonicNow()
        lock.lock()
        defer { lock.unlock() }
        try refresh(now)
        if let key = verified[token] { return key }
        guard let (id, secret) = APIKey.parse(token: token) else { return nil }
        guard let key = keys[id], key.revokedAt == nil, key.accepts(secret: secret) else { return nil }
        verified[token] = key
        return key
    }

    /// Forgets the cached keys: the next request reads them again.
    public func invalidate() {
        lock.lock()
        loadedAt = -.infinity
        lock.unlock()
    }

    /// Reads the keys again if `refreshInterval` has passed since the last read. Call with the lock held.
    private func refresh(_ now: Double) throws {
        guard now - loadedAt >= refreshInterval else { return }
        keys = Dictionary(try store.keys().map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        verified.removeAll()
        loadedAt = now
    }
}
