import Foundation
import Fuzzing
import OptGateCore
import OptGateScenario
import Testing

/// Mutated JSON and scenario documents: the readers never trap, every error names a place inside
/// the text, and whatever they accept reads back the same when written out again.
///
/// Mutants are deterministic (`InputMutator`): a failure prints the seed and index that rebuild it.
@Suite("Fuzzing: the JSON parser and the scenario decoder")
struct ParserFuzzTests {
    /// JSON of every shape the contract and the API use, escapes and numbers included.
    static let json = [
        #"{"a": 1, "b": [true, false, null], "c": {"d": "e\u00e9\n", "f": -0.5e-3}}"#,
        #"[1, 2.5, -3e10, "x", [], {}, [[{"k": "\ud83d\ude00"}]]]"#,
        #""just a string with \"quotes\" and \\ slashes""#,
        "  \n\t{\"nested\": {\"deeper\": {\"deepest\": [0, 1, 2]}}}\r\n",
    ] + ContractExamples.names.prefix(4).compactMap { try? ContractExamples.text($0) }

    @Test("mutated JSON parses or fails at a line and column inside the text; what parses writes back to the same value")
    func jsonParser() {
        let mutator = InputMutator(inputs: Self.json)
        var parsed = 0, refused = 0
        for mutant in mutator.mutants(20_000) {
            do {
                let value = try JSONParser.parse(mutant.bytes)
                parsed += 1
                let written = Self.write(Plain(value))
                guard let again = try? JSONParser.parse(written) else {
                    Issue.record("written back, it does not parse: \(written)\n\(mutant)")
                    continue
                }
                #expect(Plain(again) == Plain(value), "\(mutant)")
            } catch {
                refused += 1
                let lines = mutant.bytes.count(where: { $0 == UInt8(ascii: "\n") }) + 1
                #expect(error.position.line >= 1 && error.position.line <= lines, "line \(error.position.line) of \(lines): \(mutant)")
                #expect(error.position.column >= 1, "column \(error.position.column): \(mutant)")
                #expect(!error.message.isEmpty, "\(mutant)")
            }
        }
        // Both outcomes occur, or the mutants test nothing.
        #expect(parsed > 200 && refused > 5_000, "parsed \(parsed), refused \(refused)")
    }

    @Test("mutated contract examples decode or fail with every problem placed; what decodes, the engine decides and the encoder writes")
    func scenarioDecoder() throws {
        let examples = try ContractExamples.names.map(ContractExamples.text)
        try #require(!examples.isEmpty)
        let mutator = InputMutator(inputs: examples)
        let engine = DecisionEngine()
        var decoded = 0, refused = 0
        for mutant in mutator.mutants(20_000) {
            do {
                let file = try ScenarioDecoder.decode(mutant.bytes)
                decoded += 1
                let decision = engine.decide(file.scenario)
                let written = DecisionEncoder.json(decision)
                #expect((try? JSONParser.parse(written)) != nil, "the decision does not write as JSON: \(mutant)")
            } catch {
                refused += 1
                #expect(!error.problems.isEmpty, "\(mutant)")
                for problem in error.problems {
                    #expect(problem.position != nil || !problem.path.isEmpty, "a problem with no place: \(problem) in \(mutant)")
                    #expect(!problem.message.isEmpty, "\(mutant)")
                }
            }
        }
        #expect(decoded > 200 && refused > 5_000, "decoded \(decoded), refused \(refused)")
    }

    /// `value` as JSON text, strings through the writer's escaping.
    static func write(_ value: Plain) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let text): text
        case .string(let text): JSONWriter.quoted(text)
        case .array(let elements): "[" + elements.map(write).joined(separator: ",") + "]"
        case .object(let members): "{" + members.map { JSONWriter.quoted($0.key) + ":" + write($0.value) }.joined(separator: ",") + "}"
        }
    }
}
