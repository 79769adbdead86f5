/// A propagation request that cannot be carried out, naming what is wrong.
public enum PropagationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A destination of that name exists (or existed: names of removed destinations stay taken).
    case duplicateDestination(String)
    case unknownDestination(String)
    /// No dead-lettered delivery has that key.
    case noDeadDelivery(String)

    public var description: String {
        switch self {
        case .duplicateDestination(let name): return "a destination named \"\(name)\" exists already (names of removed destinations stay taken)"
        case .unknownDestination(let name): return "no destination named \"\(name)\""
        case .noDeadDelivery(let key): return "no dead-lettered delivery with the key \"\(key)\""
        }
    }
}
