import OptGateCore

/// The result of verifying the whole chain.
public struct AuditReport: Hashable, Sendable {
    /// What was found wrong, at the first place it shows.
    public enum Problem: Hashable, Sendable, CustomStringConvertible {
        /// Entry `seq` no longer hashes to its stored hash: its contents were changed.
        case changed(seq: Int64)
        /// Entry `seq` is missing: deleted.
        case missing(seq: Int64)
        /// Entry `seq` does not chain from its predecessor: an entry was inserted or entries were reordered.
        case brokenLink(seq: Int64)
        /// The personal data of entry `seq` no longer matches its digest.
        case personalDataChanged(seq: Int64)
        /// The personal data of entry `seq` is gone, but no erasure was recorded after it.
        case personalDataMissing(seq: Int64)
        /// A checkpoint at `seq` does not match the chain or its seal is invalid: history was rewritten.
        case checkpointMismatch(seq: Int64)
        /// The chain ends at `actual`, before the last sealed checkpoint at `expected`: its end was cut off.
        case truncated(expected: Int64, actual: Int64)
        /// Entries from `seq` on are not covered by any checkpoint: they were added outside OptGate.
        case unsealed(seq: Int64)

        public var seq: Int64 {
            switch self {
            case .changed(let s), .missing(let s), .brokenLink(let s), .personalDataChanged(let s), .personalDataMissing(let s),
                 .checkpointMismatch(let s),
                 .unsealed(let s): return s
            case .truncated(_, let actual): return actual + 1
            }
        }

        public var description: String {
            switch self {
            case .changed(let s): return "entry \(s) was changed: it no longer matches its hash"
            case .missing(let s): return "entry \(s) is missing: it was deleted"
            case .brokenLink(let s): return "entry \(s) does not follow from entry \(s - 1): an entry was inserted or entries were reordered"
            case .personalDataChanged(let s): return "the personal data of entry \(s) was changed"
            case .personalDataMissing(let s): return "the personal data of entry \(s) was deleted without an erasure being recorded"
            case .checkpointMismatch(let s): return "the checkpoint at entry \(s) does not match the chain: history before it was rewritten"
            case .truncated(let expected, let actual): return "the chain ends at entry \(actual) but was sealed up to entry \(expected): entries after \(actual) were removed"
            case .unsealed(let s): return "entries from \(s) on are not sealed by any checkpoint: they were added outside OptGate"
            }
        }
    }

    public var entries: Int64
    public var checkpoints: Int
    /// Entries whose personal data was erased (their digests still verify the chain).
    public var erasedPersonalData: Int64
    /// The first problem, or nil when the chain verifies.
    public var problem: Problem?
    /// The chain's head hash, hex.
    public var headHash: String

    public var isValid: Bool { problem == nil }
}
