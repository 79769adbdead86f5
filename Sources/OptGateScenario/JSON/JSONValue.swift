/// A parsed JSON value that remembers where it stood in the text, so that every error can name the
/// line and column as well as the field.
public struct JSONValue: Sendable {
    public enum Kind: Sendable {
        case null
        case bool(Bool)
        /// The number's text as written; callers parse it to the type they need.
        case number(String)
        case string(String)
        case array([JSONValue])
        /// Members in document order (duplicates are rejected by the parser).
        case object([(key: String, value: JSONValue)])
    }

    public var kind: Kind
    public var position: SourcePosition

    public init(kind: Kind, position: SourcePosition) {
        self.kind = kind
        self.position = position
    }

    public var typeName: String {
        switch kind {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// 1-based line and column (in characters) of a value in its source text.
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}
