/// An audience file for the demo organisation: one row per contact (by email address, phone number
/// or contact id), in a shuffled order fixed by the seed, with a share of rows that match no contact,
/// as a list bought or exported from another system would have. Erased contacts are included: their
/// addresses are on the suppression list, which is what a filter must find.
///
/// Rows are computed one at a time (a seeded permutation of contacts and unknown rows), so a file of
/// any size is written in constant memory.
public struct DemoAudience: Sequence, Sendable {
    /// What each row names.
    public enum Key: String, CaseIterable, Sendable {
        case email, phone, contact
    }

    /// One row: its value, and the contact it names (nil for a row no contact has).
    public struct Row: Hashable, Sendable {
        public var value: String
        public var contactIndex: Int?
    }

    public let contacts: DemoContacts
    public let key: Key
    /// Rows naming a contact (every contact; by phone, the contacts with a phone number).
    public let knownCount: Int
    /// Rows naming no contact: `unknownShare` of all rows, rounded.
    public let unknownCount: Int
    private let permutation: DemoPermutation

    /// `unknownShare`: the share of rows that name no contact, from 0 up to (not including) 1.
    public init(contacts: DemoContacts, key: Key, unknownShare: Double) {
        precondition(unknownShare >= 0 && unknownShare < 1, "unknownShare must be at least 0 and below 1")
        self.contacts = contacts
        self.key = key
        var known = contacts.count
        if key == .phone {
            known = (0..<contacts.count).reduce(0) { $0 + (contacts.profile($1).identifiers.count > 1 ? 1 : 0) }
        }
        knownCount = known
        unknownCount = Int((Double(known) * unknownShare / (1 - unknownShare)).rounded())
        permutation = DemoPermutation(size: contacts.count + unknownCount, seed: contacts.seed)
    }

    /// The header line of the CSV file.
    public var header: String { key.rawValue }

    public var rowCount: Int { knownCount + unknownCount }

    public struct Iterator: IteratorProtocol {
        let audience: DemoAudience
        var position = 0

        public mutating func next() -> Row? {
            while position < audience.permutation.size {
                let index = audience.permutation(position)
                position += 1
                if let row = audience.row(index) { return row }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(audience: self) }

    /// The row of permuted element `index`: contact `index` below `contacts.count`, else an unknown
    /// row; nil for a contact without the key (no phone number).
    private func row(_ index: Int) -> Row? {
        guard index < contacts.count else {
            let k = index - contacts.count
            switch key {
            case .email: return Row(value: DemoContacts.unknownEmail(k), contactIndex: nil)
            case .phone: return Row(value: DemoContacts.unknownPhone(k), contactIndex: nil)
            case .contact: return Row(value: DemoContacts.unknownID(k), contactIndex: nil)
            }
        }
        switch key {
        case .contact: return Row(value: contacts.id(index), contactIndex: index)
        case .email, .phone:
            let kind: Identifier.Kind = key == .email ? .email : .phone
            guard let identifier = contacts.profile(index).identifiers.first(where: { $0.kind == kind }) else { return nil }
            return Row(value: identifier.value, contactIndex: index)
        }
    }
}
