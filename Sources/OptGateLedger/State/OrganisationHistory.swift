import Foundation
import OptGateCore

/// The organisation's entities, catalogue, policy and notice texts as versioned records, so that the
/// organisation of any past day can be rebuilt: a decision replayed at a past moment uses the
/// similarity assessments and settings that were in effect then.
public struct OrganisationHistory: Sendable {
    private var entities: [String: [(from: Timestamp, seq: Int64, entity: Entity)]] = [:]
    private var products: [String: [(from: Timestamp, seq: Int64, product: Product, retired: Bool)]] = [:]
    private var policies: [(from: Timestamp, seq: Int64, policy: Policy)] = []
    private var notices: [String: NoticeText] = [:]
    /// Entity ids ever recorded (for validating references).
    public private(set) var entityIDs: Set<String> = []
    /// Product ids ever recorded.
    public private(set) var productIDs: Set<String> = []

    /// The organisation of the last interval asked for (it is the same between two effective dates).
    private var memo = OrganisationMemo()

    public init() {}

    /// Adds an organisation record (other records are ignored). `seq` orders versions with the same date.
    public mutating func add(_ record: LedgerRecord, seq: Int64) {
        memo = OrganisationMemo()
        switch record {
        case .entity(let entity, let from):
            entities[entity.id, default: []].append((from, seq, entity))
            entityIDs.insert(entity.id)
        case .product(let product, let from, let retired):
            products[product.id, default: []].append((from, seq, product, retired))
            productIDs.insert(product.id)
        case .policy(let policy, let from): policies.append((from, seq, policy))
        case .notice(let notice): notices[notice.version] = notice
        default: break
        }
    }

    /// The organisation as it stood at `instant`: each entity's and product's latest version in
    /// effect then, and the policy in effect then (defaults before the first).
    public func organisation(at instant: Timestamp) -> Organisation {
        if let organisation = memo.organisation(at: instant) { return organisation }
        // The organisation is constant from the latest effective date at or before `instant` to the
        // next one after it.
        var from = Timestamp(secondsSinceEpoch: .min)
        var until = Timestamp(secondsSinceEpoch: .max)
        func bound(_ date: Timestamp) {
            if date <= instant { from = Swift.max(from, date) } else { until = Swift.min(until, date) }
        }
        for versions in entities.values { for version in versions { bound(version.from) } }
        for versions in products.values { for version in versions { bound(version.from) } }
        for version in policies { bound(version.from) }
        let organisation = build(at: instant)
        memo.store(organisation, from: from, until: until)
        return organisation
    }

    private func build(at instant: Timestamp) -> Organisation {
        func latest<T>(_ versions: [T], from: (T) -> Timestamp, seq: (T) -> Int64) -> T? {
            versions.filter { from($0) <= instant }.max { (from($0), seq($0)) < (from($1), seq($1)) }
        }
        let entityList = entities.keys.sorted().compactMap { id in
            latest(entities[id]!, from: \.from, seq: \.seq)?.entity
        }
        let productList = products.keys.sorted().compactMap { id -> Product? in
            guard let version = latest(products[id]!, from: \.from, seq: \.seq), !version.retired else { return nil }
            return version.product
        }
        let policy = latest(policies, from: \.from, seq: \.seq)?.policy ?? Policy()
        return Organisation(entities: entityList, catalogue: Catalogue(productList), policy: policy)
    }

    public func notice(_ version: String) -> NoticeText? { notices[version] }
    public var noticeVersions: [String] { notices.keys.sorted() }
    public var hasNotices: Bool { !notices.isEmpty }
}

/// One organisation and the interval it stands for, shared by copies of a history until it changes.
final class OrganisationMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var interval: (from: Timestamp, until: Timestamp)?
    private var value: Organisation?

    func organisation(at instant: Timestamp) -> Organisation? {
        lock.lock()
        defer { lock.unlock() }
        guard let interval, interval.from <= instant, instant < interval.until else { return nil }
        return value
    }

    func store(_ organisation: Organisation, from: Timestamp, until: Timestamp) {
        lock.lock()
        defer { lock.unlock() }
        interval = (from, until)
        value = organisation
    }
}
