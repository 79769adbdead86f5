import Foundation
import Testing

/// The contract's example scenarios, in `../shared/contract/examples` beside the repository.
enum ContractExamples {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // OptGateCLITests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the repository
        .deletingLastPathComponent()  // beside it
        .appendingPathComponent("shared/contract/examples", isDirectory: true)

    /// Full paths, sorted; empty if the directory is missing (a separate test fails then).
    static let paths: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { directory.appendingPathComponent($0).path }
    }()

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }
}

/// Runs `body` with a fresh directory that is removed afterwards, even if `body` throws.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("optgate-cli-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// Writes `text` to `name` in `directory`, returning the file's path.
@discardableResult
func write(_ text: String, to name: String, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}

/// A small valid scenario: acme sold laptops to a GB individual, who gave their email then; the
/// message offers bags (declared similar), so the soft opt-in allows it. `expect` is written as given.
func scenario(expect: String? = nil, jurisdiction: String = "GB") -> String {
    var members = [
        #""format": "scenario/v1""#,
        #""now": "2026-03-01T10:00:00Z""#,
        #""entities": [{"id": "acme", "kind": "company"}]"#,
        #""catalogue": [{"id": "laptops"}, {"id": "bags", "similar_to": ["laptops"]}]"#,
        #""contact": {"id": "c-1", "jurisdiction": "\#(jurisdiction)", "subscriber": "individual"}"#,
        #""events": [{"type": "details_collected", "at": "2025-11-02T12:00:00Z", "by": "acme", "context": "sale", "products": ["laptops"], "channels": ["email"], "refusal_offered": true}]"#,
        #""message": {"from": "acme", "channel": "email", "purpose": "marketing", "products": ["bags"]}"#,
    ]
    if let expect { members.append(#""expect": "# + expect) }
    return "{\n" + members.map { "  " + $0 }.joined(separator: ",\n") + "\n}\n"
}

/// Parses one JSON object printed by a command.
func jsonObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(parsed as? [String: Any], sourceLocation: sourceLocation)
}
