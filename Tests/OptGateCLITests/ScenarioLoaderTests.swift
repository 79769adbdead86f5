import Foundation
import OptGateCLI
import Testing

/// Reading a scenario from a file or standard input (`-`), with problems as `NAME:LINE:COLUMN: PATH: MESSAGE`.
@Suite("ScenarioLoader")
struct ScenarioLoaderTests {
    @Test func readsAFile() throws {
        let file = try ScenarioLoader.load(ContractExamples.path("uk-charity-soft-opt-in.json"))
        #expect(file.expect?.allowed == true)
        #expect(file.scenario.contact.jurisdiction?.country == "GB")
    }

    @Test func readsStandardInputForADash() throws {
        let file = try ScenarioLoader.load("-", standardInput: { Data(scenario(expect: #"{"allowed": true}"#).utf8) })
        #expect(file.scenario.message.products == ["bags"])
        #expect(file.expect?.allowed == true)
    }

    @Test func standardInputIsNamedInProblems() {
        let text = scenario().replacingOccurrences(of: #""purpose": "marketing""#, with: #""purpose": "advertising""#)
        do {
            _ = try ScenarioLoader.load("-", standardInput: { Data(text.utf8) })
            Issue.record("loaded an invalid scenario")
        } catch {
            #expect(error.lines.count == 1)
            #expect(error.lines.first?.hasPrefix("<stdin>:8:") == true)
            #expect(error.lines.first?.contains(#": message.purpose: unknown purpose "advertising""#) == true)
            #expect(error.description == error.lines.joined(separator: "\n"))
        }
    }

    @Test func aFileIsNotReadFromStandardInput() throws {
        _ = try ScenarioLoader.load(ContractExamples.path("uk-post-no-consent.json"), standardInput: {
            Issue.record("standard input was read for a named file")
            return Data()
        })
    }

    @Test func invalidJSONOnStandardInputHasNoPath() {
        do {
            _ = try ScenarioLoader.load("-", standardInput: { Data("{\"format\": }".utf8) })
            Issue.record("loaded invalid JSON")
        } catch {
            #expect(error.lines == ["<stdin>:1:12: invalid JSON: unexpected character '}': a value was expected"])
        }
    }

    @Test func aByteOrderMarkIsAccepted() throws {
        let data = Data([0xEF, 0xBB, 0xBF]) + Data(scenario().utf8)
        let file = try ScenarioLoader.load("-", standardInput: { data })
        #expect(file.scenario.contact.id == "c-1")
    }

    @Test func everyProblemBecomesOneLine() throws {
        let text = scenario()
            .replacingOccurrences(of: #""subscriber": "individual""#, with: #""subscriber": "people""#)
            .replacingOccurrences(of: #""by": "acme""#, with: #""by": "acne""#)
        try withTemporaryDirectory { dir in
            let path = try write(text, to: "two.json", in: dir)
            do {
                _ = try ScenarioLoader.load(path)
                Issue.record("loaded an invalid scenario")
            } catch let error as ScenarioLoader.LoadError {
                #expect(error.lines.count == 2)
                #expect(error.lines.contains { $0.hasPrefix("\(path):6:") && $0.contains(": contact.subscriber: unknown subscriber type \"people\"") })
                #expect(error.lines.contains { $0.hasPrefix("\(path):7:") && $0.contains(": events[0].by: unknown entity \"acne\" (declared entities: acme)") })
            }
        }
    }
}
