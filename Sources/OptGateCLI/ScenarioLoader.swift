import Foundation
import OptGateScenario

/// Reads scenario files (or standard input for `-`) and reports problems as `file:line:column: path: message`.
public enum ScenarioLoader {
    public struct LoadError: Error, CustomStringConvertible {
        public var lines: [String]
        public var description: String { lines.joined(separator: "\n") }
    }

    /// The largest scenario accepted, to refuse a runaway input before reading it whole.
    public static let maxBytes = 64 * 1024 * 1024

    public static func load(_ path: String, standardInput: () -> Data = { FileHandle.standardInput.readDataToEndOfFile() }) throws(LoadError) -> ScenarioFile {
        let name = path == "-" ? "<stdin>" : path
        let data: Data
        if path == "-" {
            data = standardInput()
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw LoadError(lines: ["\(name): no such file"])
            }
            guard !isDirectory.boolValue else { throw LoadError(lines: ["\(name): is a directory, not a scenario file"]) }
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw LoadError(lines: ["\(name): cannot be read (permission denied?)"])
            }
            data = contents
        }
        guard data.count <= maxBytes else {
            throw LoadError(lines: ["\(name): \(data.count) bytes is larger than the \(maxBytes)-byte limit for a scenario"])
        }
        do {
            return try ScenarioDecoder.decode([UInt8](data))
        } catch {
            throw LoadError(lines: error.problems.map { problem in
                var location = name
                if let position = problem.position { location += ":\(position.line):\(position.column)" }
                return problem.path.isEmpty ? "\(location): \(problem.message)" : "\(location): \(problem.path): \(problem.message)"
            })
        }
    }
}
