import Foundation
import OptGateCore
import OptGateLedger

/// The link keys a running server seals and opens links with: read from the store, kept in memory,
/// read again at most `refreshInterval` seconds after the last read (so `optgate links rotate` or
/// `retire` takes effect on a running server within that interval). The first key is made on first
/// use, so links work with no setup.
public final class LinkKeyring: @unchecked Sendable {
    private let store: any LinkKeyStore
    private let secret: LedgerSecret
    private let validityDays: Int
    private let refreshInterval: Double
    private let clock: @Sendable () -> Timestamp
    private let lock = NSLock()
    private var sealer: LinkSealer?
    private var loadedAt: Double = -.infinity

    public init(store: any LinkKeyStore, secret: LedgerSecret, validityDays: Int, refreshInterval: Double = 1.0,
                clock: @escaping @Sendable () -> Timestamp) {
        self.store = store
        self.secret = secret
        self.validityDays = validityDays
        self.refreshInterval = refreshInterval
        self.clock = clock
    }

    /// The current sealer.
    public func current() throws -> LinkSealer {
        let now = APIKeyring.uptime()
        lock.lock()
        defer { lock.unlock() }
        if let sealer, now - loadedAt < refreshInterval { return sealer }
        let keys = try store.linkKeysCreatingFirst(secret: secret, at: clock())
        let fresh = LinkSealer(keys: keys, secret: secret, validityDays: validityDays)
        sealer = fresh
        loadedAt = now
        return fresh
    }

    /// The token a link stands for, or nil for any link that does not open.
    public func open(_ text: String, at instant: Timestamp) -> LinkToken? {
        (try? current())?.open(text, at: instant)
    }
}
