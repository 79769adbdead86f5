import Foundation
import OptGateScenario
import Testing

/// A scenario/v1 document built from parts, one member per line, so that a test can change one
/// part and find the line and column of what it changed.
///
/// Defaults describe a valid scenario: acme (a company) sold laptops to a GB individual by email in
/// November 2025 and now wants to email them about bags, declared similar to laptops.
struct ScenarioText {
    var format: String? = #""scenario/v1""#
    var now: String? = #""2026-03-01T10:00:00Z""#
    var entities: [String]? = [#"{"id": "acme", "kind": "company", "group": "acme-group"}"#]
    var catalogue: [String]? = [
        #"{"id": "laptops"}"#,
        #"{"id": "bags", "similar_to": ["laptops"], "reasoning": "carried with laptops"}"#,
    ]
    var policy: String?
    var contact: String? = #"{"id": "c-1", "jurisdiction": "GB", "subscriber": "individual"}"#
    var events: [String]? = [
        #"{"type": "details_collected", "at": "2025-11-02T12:00:00Z", "by": "acme", "context": "sale", "products": ["laptops"], "channels": ["email"], "refusal_offered": true}"#
    ]
    var message: String? = #"{"from": "acme", "channel": "email", "purpose": "marketing", "products": ["bags"]}"#
    var expect: String?
    var note: String?
    /// Further top-level members, as `"key": value` text, written last.
    var extra: [String] = []

    var text: String {
        func list(_ items: [String]) -> String {
            items.isEmpty ? "[]" : "[\n" + items.map { "    " + $0 }.joined(separator: ",\n") + "\n  ]"
        }
        var members: [String] = []
        if let format { members.append(#""format": "# + format) }
        if let now { members.append(#""now": "# + now) }
        if let entities { members.append(#""entities": "# + list(entities)) }
        if let catalogue { members.append(#""catalogue": "# + list(catalogue)) }
        if let policy { members.append(#""policy": "# + policy) }
        if let contact { members.append(#""contact": "# + contact) }
        if let events { members.append(#""events": "# + list(events)) }
        if let message { members.append(#""message": "# + message) }
        if let expect { members.append(#""expect": "# + expect) }
        if let note { members.append(#""note": "# + note) }
        members += extra
        return "{\n" + members.map { "  " + $0 }.joined(separator: ",\n") + "\n}\n"
    }

    /// Builds the default document, changed by `change`.
    static func with(_ change: (inout ScenarioText) -> Void) -> ScenarioText {
        var text = ScenarioText()
        change(&text)
        return text
    }
}

/// The 1-based line and column (counted in Unicode scalars, as the parser counts characters) at
/// which the `occurrence`th copy of `needle` starts in `text`.
func position(of needle: String, in text: String, occurrence: Int = 1) -> SourcePosition? {
    let scalars = Array(text.unicodeScalars)
    let wanted = Array(needle.unicodeScalars)
    var line = 1
    var column = 1
    var found = 0
    for i in scalars.indices {
        if scalars[i...].starts(with: wanted) {
            found += 1
            if found == occurrence { return SourcePosition(line: line, column: column) }
        }
        if scalars[i] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }
    return nil
}

/// The problems reported for `text`, recording an issue if it decodes without any.
func problems(in text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [ScenarioError.Problem] {
    do {
        _ = try ScenarioDecoder.decode(text)
        Issue.record("expected the document to be rejected, but it decoded", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.problems
    }
}

/// Expects exactly one problem in `text`: at `path`, at the start of the `needle`th occurrence,
/// with `message` (exactly) or a message starting with `prefix`.
func expectSingleProblem(
    in text: String, path: String, at needle: String, occurrence: Int = 1,
    message: String? = nil, prefix: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let found = problems(in: text, sourceLocation: sourceLocation)
    #expect(found.count == 1, "expected one problem, got \(found.map(\.description))", sourceLocation: sourceLocation)
    guard let problem = found.first else { return }
    #expect(problem.path == path, sourceLocation: sourceLocation)
    let expected = position(of: needle, in: text, occurrence: occurrence)
    #expect(expected != nil, "test bug: \(needle) is not in the document", sourceLocation: sourceLocation)
    #expect(problem.position == expected, sourceLocation: sourceLocation)
    if let message { #expect(problem.message == message, sourceLocation: sourceLocation) }
    if let prefix {
        #expect(problem.message.hasPrefix(prefix), "\(problem.message)", sourceLocation: sourceLocation)
    }
}

/// Decodes `text`, recording an issue (with every problem) if it is rejected.
func decoded(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ScenarioFile {
    do {
        return try ScenarioDecoder.decode(text)
    } catch {
        Issue.record("rejected: \(error.description)", sourceLocation: sourceLocation)
        throw error
    }
}

/// The contract's example scenarios, in `../shared/contract/examples` beside the repository.
enum ContractExamples {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // OptGateScenarioTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the repository
        .deletingLastPathComponent()  // beside it
        .appendingPathComponent("shared/contract/examples", isDirectory: true)

    /// File names, sorted; empty if the directory is missing (a separate test fails then).
    static let names: [String] = {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return all.filter { $0.hasSuffix(".json") }.sorted()
    }()

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }
}

/// A JSON value without positions, comparable with `==`, for asserting what the parser built.
indirect enum Plain: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([Plain])
    case object([Member])

    struct Member: Equatable {
        var key: String
        var value: Plain
    }

    init(_ value: JSONValue) {
        switch value.kind {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let text): self = .number(text)
        case .string(let text): self = .string(text)
        case .array(let elements): self = .array(elements.map(Plain.init))
        case .object(let members): self = .object(members.map { Member(key: $0.key, value: Plain($0.value)) })
        }
    }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return "\(flag)"
        case .number(let text): return text
        case .string(let text): return "\"\(text)\""
        case .array(let elements): return "[" + elements.map(\.description).joined(separator: ",") + "]"
        case .object(let members): return "{" + members.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        }
    }
}

/// The syntax error `text` raises, recording an issue if it parses.
func syntaxError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONParser.SyntaxError? {
    syntaxError(Array(text.utf8), sourceLocation: sourceLocation)
}

func syntaxError(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> JSONParser.SyntaxError? {
    do {
        let value = try JSONParser.parse(bytes)
        Issue.record("expected a syntax error, but parsed \(Plain(value))", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
