/// Why a scenario document was rejected: every problem found, each naming where it is.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The JSON path, e.g. `events[2].channels[0]`; empty for the document itself.
        public var path: String
        public var position: SourcePosition?
        public var message: String

        public var description: String {
            var text = ""
            if let position { text += "line \(position.line), column \(position.column): " }
            if !path.isEmpty { text += "\(path): " }
            return text + message
        }
    }

    public var problems: [Problem]

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
