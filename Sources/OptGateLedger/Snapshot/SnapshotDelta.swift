import Foundation

/// What the ledger gained after a snapshot's position: the contacts whose timelines changed, and
/// whether any identifier may have been linked, unlinked or suppressed. Caught up inside each read
/// transaction, so that what is judged from the snapshot is exactly what the ledger would say in
/// that transaction; everything else is read from the ledger itself.
public struct SnapshotDelta: Sendable {
    /// The newest entry taken into account.
    public private(set) var head: Int64
    /// Contacts with any entry after the snapshot.
    public private(set) var touched: Set<String> = []
    /// A profile or an erasure was recorded after the snapshot: a key it does not hold, or holds
    /// as suppressed, must be looked up in the ledger.
    public private(set) var identifiersChanged = false

    public init(snapshot: TimelineSnapshot) {
        head = snapshot.seq
    }

    /// Takes in the entries appended since the last catch-up.
    public mutating func catchUp(_ reader: any LedgerReader) throws {
        var head = self.head
        var touched = self.touched
        var identifiersChanged = self.identifiersChanged
        try reader.forEachChange(from: head + 1) { seq, kind, contactID in
            head = seq
            if let contactID { touched.insert(contactID) }
            if kind == .contact || kind == .erasure { identifiersChanged = true }
        }
        self.head = head
        self.touched = touched
        self.identifiersChanged = identifiersChanged
    }
}
