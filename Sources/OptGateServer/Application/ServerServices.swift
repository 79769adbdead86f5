import Foundation
import OptGateCore
import OptGateLedger

/// What the routes work with: the ledger, the write path, the keys, the metrics, the limits and the
/// clock. Built once by `OptGateServer.makeApplication`; tests build it over a temporary ledger with
/// a fixed clock.
public final class ServerServices: Sendable {
    public let ledger: Ledger
    public let committer: GroupCommitter
    /// Folds the events the committer appends into the contacts' stored permission states.
    public let states: StateFolder
    public let keyring: APIKeyring
    public let limiter: RateLimiter
    public let metrics: ServerMetrics
    /// Contacts' timelines in memory, for decisions without database reads.
    public let timelines: TimelineCache
    /// The keys of unsubscribe and preference links.
    public let links: LinkKeyring
    let pages = PageRenderer()
    public let configuration: ServerConfiguration
    /// Signalled after every commit, so that the propagator sends new changes at once.
    public let propagationWake: WakeSignal
    /// The outbox of changes for destinations, when the store keeps one (SQLite does).
    public var outbox: Outbox? { (ledger.store as? any PropagationStore).map(Outbox.init) }
    /// The ledger's clock: when events are recorded and decisions are made "now".
    public let clock: @Sendable () -> Timestamp
    /// Reads other servers' writes before decisions, on a shared ledger only.
    private let sharedWatch: SharedLedgerWatch?

    public init(
        ledger: Ledger, keys: any APIKeyStore, linkKeys: any LinkKeyStore, configuration: ServerConfiguration = ServerConfiguration(),
        metrics: ServerMetrics = ServerMetrics(), keyRefreshInterval: Double = 1.0,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) },
        monotonicNow: @escaping @Sendable () -> Double = APIKeyring.uptime
    ) {
        self.ledger = ledger
        self.configuration = configuration
        self.metrics = metrics
        self.clock = clock
        keyring = APIKeyring(store: keys, refreshInterval: keyRefreshInterval)
        limiter = RateLimiter(monotonicNow: monotonicNow)
        links = LinkKeyring(
            store: linkKeys, secret: ledger.secret, validityDays: configuration.linkValidityDays,
            refreshInterval: keyRefreshInterval, clock: clock)
        let timelines = TimelineCache(capacity: configuration.decisionCacheContacts)
        self.timelines = timelines
        let propagationWake = WakeSignal()
        self.propagationWake = propagationWake
        let states = StateFolder(ledger: ledger, metrics: metrics)
        self.states = states
        committer = GroupCommitter(
            ledger: ledger, maxGroup: configuration.maxGroupCommit, defersStates: true, clock: clock,
            onBegin: { timelines.beginningCommit() }
        ) { [metrics, propagationWake] committed in
            guard let committed else {
                timelines.abandonedCommit()
                return
            }
            timelines.committed(
                startSeq: committed.startSeq, headSeq: committed.headSeq, contacts: committed.contacts,
                profiles: committed.profiles, organisationChanged: committed.organisationChanged)
            metrics.groupCommitted(requests: committed.requests)
            states.committed(entries: committed.headSeq - committed.startSeq, appended: committed.appended)
            propagationWake.signal()
        }
        var watch: SharedLedgerWatch?
        if ledger.store.isShared {
            watch = SharedLedgerWatch { [ledger, timelines] in try Self.catchUp(ledger: ledger, timelines: timelines) }
        }
        sharedWatch = watch
        watchForOtherWriters()
    }

    /// Notices writes made outside this server (so the timeline cache drops what they may have
    /// changed): now, and then every `watchInterval` seconds while the server runs.
    public func watchForOtherWriters() {
        try? Self.catchUp(ledger: ledger, timelines: timelines)
    }

    /// On a ledger other servers write to as well (`LedgerStore.isShared`), reads what they
    /// appended before answering from memory, so that an opt-out another server acknowledged binds
    /// here at once: one read of the ledger's head when nothing changed, shared by the requests
    /// that wait for it together (`SharedLedgerWatch`). On a ledger of its own the server reads
    /// only when one of its commits found another writer's entries before it (else the watch
    /// notices other writers).
    func catchUp() async throws {
        if let sharedWatch {
            try await sharedWatch.wait()
        } else if timelines.knowsOfUnseenEntries {
            try Self.catchUp(ledger: ledger, timelines: timelines)
        }
    }

    /// Stops reading for other servers (at shutdown).
    public func stopWatching() {
        sharedWatch?.stop()
    }

    /// Entries of other writers read one by one, at most; past this, the cache starts over.
    static let changesReadAtMost = 20_000

    private static func catchUp(ledger: Ledger, timelines: TimelineCache) throws {
        let store = ledger.store
        try timelines.check(
            readHead: { try store.read { try $0.head()?.seq ?? 0 } },
            readChanges: { from, through in
                struct Enough: Error {}
                var changes: [TimelineCache.Change] = []
                var tooMany = false
                do {
                    try store.read { reader in
                        try reader.forEachChange(from: from) { seq, kind, contactID in
                            guard seq <= through else { throw Enough() }
                            guard changes.count < Self.changesReadAtMost else {
                                tooMany = true
                                throw Enough()
                            }
                            changes.append((seq, kind, contactID))
                        }
                    }
                } catch is Enough {}
                return tooMany ? nil : changes
            })
    }

    /// What decisions need of a contact: from memory, else from the ledger.
    func timeline(_ contactID: String) throws -> (ContactTimeline, OrganisationHistory) {
        try timelines.timeline(contactID) { try ledger.timeline(contactID: contactID) }
    }

    /// The organisation's history.
    func organisation() throws -> OrganisationHistory {
        try timelines.organisation { try ledger.organisationHistory() }
    }

    /// The contact an identifier belongs to.
    func contactID(for identifier: Identifier) throws -> String? {
        try timelines.contactID(identifier) { try ledger.contactID(for: identifier) }
    }
}
