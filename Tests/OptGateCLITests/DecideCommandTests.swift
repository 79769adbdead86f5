import ArgumentParser
import Foundation
import OptGateCLI
import Testing

/// `optgate decide FILE`: the decision as JSON on standard output, exit 0 whether or not the send
/// is allowed; an invalid document exits 1 with located problems on standard error and nothing on
/// standard output.
@Suite("decide")
struct DecideCommandTests {
    private func run(_ arguments: [String]) throws -> (code: Int32, console: CapturingConsole) {
        let command = try DecideCommand.parse(arguments)
        let console = CapturingConsole()
        let code = command.execute(console: console)
        return (code, console)
    }

    // MARK: Decisions

    @Test func anAllowedSendPrintsTheDecisionAndExitsZero() throws {
        let (code, console) = try run([ContractExamples.path("uk-soft-opt-in-similar-product.json")])
        #expect(code == 0)
        #expect(console.stderr.isEmpty)
        #expect(console.stdout.count == 1)
        let json = try jsonObject(console.stdout.joined(separator: "\n"))
        #expect(json["allowed"] as? Bool == true)
        #expect(json["basis"] as? String == "soft_opt_in")
        #expect((json["reasons"] as? [[String: Any]])?.first?["code"] as? String == "soft_opt_in.sale")
        #expect(json["valid_until"] as? String == "2027-11-02T12:00:00Z")
        #expect(json["rules"] as? String == "GB/PECR as amended 2026-02-05")
    }

    @Test func aDeniedSendAlsoExitsZero() throws {
        let (code, console) = try run([ContractExamples.path("uk-opted-out.json")])
        #expect(code == 0)
        #expect(console.stderr.isEmpty)
        let json = try jsonObject(console.stdout.joined(separator: "\n"))
        #expect(json["allowed"] as? Bool == false)
        #expect(json["basis"] is NSNull)
        #expect(json["valid_until"] is NSNull)
        let reasons = try #require(json["reasons"] as? [[String: Any]])
        #expect(!reasons.isEmpty)
    }

    @Test(arguments: ContractExamples.paths)
    func everyContractExampleIsDecidedAsItExpects(_ path: String) throws {
        let expected = try jsonObject(try String(contentsOfFile: path, encoding: .utf8))["expect"] as? [String: Any]
        let (code, console) = try run([path])
        #expect(code == 0)
        #expect(console.stderr.isEmpty)
        let json = try jsonObject(console.stdout.joined(separator: "\n"))
        #expect(json["allowed"] as? Bool == expected?["allowed"] as? Bool)
        if let basis = expected?["basis"] as? String {
            #expect(json["basis"] as? String == basis)
        }
    }

    @Test func textFormatForAnAllowedSend() throws {
        let (code, console) = try run(["--format", "text", ContractExamples.path("uk-soft-opt-in-similar-product.json")])
        #expect(code == 0)
        let text = console.stdout.joined(separator: "\n")
        #expect(text.hasPrefix("ALLOWED on the basis of the soft opt-in"))
        #expect(text.contains("soft_opt_in.sale"))
        #expect(!text.contains("NOT ALLOWED"))
    }

    @Test func textFormatForADenial() throws {
        let (code, console) = try run(["--format", "text", ContractExamples.path("uk-opted-out.json")])
        #expect(code == 0)
        let text = console.stdout.joined(separator: "\n")
        #expect(text.hasPrefix("NOT ALLOWED"))
        #expect(text.contains("Every condition that failed:"))
    }

    @Test func theExpectationDoesNotChangeWhatDecidePrints() throws {
        try withTemporaryDirectory { dir in
            let wrong = try write(scenario(expect: #"{"allowed": false}"#), to: "wrong.json", in: dir)
            let none = try write(scenario(), to: "none.json", in: dir)
            let a = try run([wrong])
            let b = try run([none])
            #expect(a.code == 0)
            #expect(a.console.stdout == b.console.stdout)
            #expect(try jsonObject(a.console.stdout.joined())["allowed"] as? Bool == true)
        }
    }

    // MARK: Invalid documents

    @Test func anInvalidDocumentExitsOneWithLocatedProblemsOnStandardError() throws {
        let text = """
            {
              "format": "scenario/v1",
              "now": "2026-03-01T10:00:00Z",
              "entities": [{"id": "acme", "kind": "company"}],
              "contact": {"id": "c-1", "jurisdiction": "GB"},
              "message": {"from": "acme", "channel": "e-mail", "purpose": "marketing"},
              "colour": "red"
            }
            """
        try withTemporaryDirectory { dir in
            let path = try write(text, to: "bad.json", in: dir)
            let (code, console) = try run([path])
            #expect(code == 1)
            #expect(console.stdout.isEmpty)
            #expect(console.stderr == [
                #"\#(path):6:42: message.channel: unknown channel "e-mail" (expected one of: email, sms, voicemail, in_app, social_dm, live_call, automated_call, fax, post, online_ad)"#,
                #"\#(path):7:13: colour: unknown field "colour" (expected one of: format, now, entities, catalogue, policy, contact, events, message, expect, note)"#,
            ])
        }
    }

    @Test func everyProblemLineHasTheFileLineColumnPathMessageForm() throws {
        let text = scenario(expect: #"{"allowed": false, "basis": "consent", "why": 1}"#)
            .replacingOccurrences(of: #""now": "2026-03-01T10:00:00Z""#, with: #""now": "2026-02-30T10:00:00Z""#)
            .replacingOccurrences(of: #""subscriber": "individual""#, with: #""subscriber": "person""#)
            .replacingOccurrences(of: #""context": "sale""#, with: #""context": "purchase""#)
        try withTemporaryDirectory { dir in
            let path = try write(text, to: "many problems.json", in: dir)
            let (code, console) = try run([path])
            #expect(code == 1)
            #expect(console.stdout.isEmpty)
            #expect(console.stderr.count == 5)
            let form = try Regex(#"^(.+):([0-9]+):([0-9]+): ([A-Za-z_\[\]0-9.]+): (.+)$"#)
            for line in console.stderr {
                let match = try #require(line.wholeMatch(of: form), "not FILE:LINE:COLUMN: PATH: MESSAGE: \(line)")
                #expect(String(match.output[1].substring ?? "") == path)
            }
            let paths = console.stderr.compactMap { line in
                line.wholeMatch(of: form).flatMap { $0.output[4].substring.map(String.init) }
            }
            #expect(Set(paths) == ["now", "contact.subscriber", "events[0].context", "expect.why", "expect.basis"])
        }
    }

    @Test func invalidJSONNamesTheFileAndPosition() throws {
        try withTemporaryDirectory { dir in
            let path = try write("{\n  \"format\": \"scenario/v1\",\n}\n", to: "syntax.json", in: dir)
            let (code, console) = try run([path])
            #expect(code == 1)
            #expect(console.stdout.isEmpty)
            #expect(console.stderr == ["\(path):3:1: invalid JSON: expected a quoted member name"])
        }
    }

    @Test func anEmptyFileIsInvalid() throws {
        try withTemporaryDirectory { dir in
            let path = try write("", to: "empty.json", in: dir)
            let (code, console) = try run([path])
            #expect(code == 1)
            #expect(console.stdout.isEmpty)
            #expect(console.stderr == ["\(path):1:1: invalid JSON: unexpected end of document: a value was expected"])
        }
    }

    @Test func aMissingFileIsReported() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("nowhere.json").path
            let (code, console) = try run([path])
            #expect(code == 1)
            #expect(console.stdout.isEmpty)
            #expect(console.stderr == ["\(path): no such file"])
        }
    }

    @Test func aDirectoryIsReported() throws {
        try withTemporaryDirectory { dir in
            let (code, console) = try run([dir.path])
            #expect(code == 1)
            #expect(console.stdout.isEmpty)
            #expect(console.stderr == ["\(dir.path): is a directory, not a scenario file"])
        }
    }

    // MARK: Arguments

    @Test func twoFilesWithoutCheckFailValidation() {
        do {
            _ = try DecideCommand.parse(["a.json", "b.json"])
            Issue.record("two files were accepted without --check")
        } catch {
            #expect(DecideCommand.message(for: error).contains("decide takes one file"))
            #expect(DecideCommand.exitCode(for: error) != .success)
        }
    }

    @Test func noFileFailsValidation() {
        do {
            _ = try DecideCommand.parse([])
            Issue.record("no file was accepted")
        } catch {
            #expect(DecideCommand.message(for: error).contains("name a scenario file"))
        }
    }

    @Test func anUnknownFormatIsRejected() {
        #expect(throws: (any Error).self) { try DecideCommand.parse(["--format", "yaml", "a.json"]) }
    }

    @Test func anUnknownOptionIsRejected() {
        #expect(throws: (any Error).self) { try DecideCommand.parse(["--chek", "a.json"]) }
    }

    @Test func parsedOptions() throws {
        let plain = try DecideCommand.parse(["x.json"])
        #expect(plain.check == false)
        #expect(plain.format == .json)
        #expect(plain.verbose == false)
        #expect(plain.files == ["x.json"])
        let check = try DecideCommand.parse(["--check", "--verbose", "--format", "text", "a.json", "b.json"])
        #expect(check.check)
        #expect(check.verbose)
        #expect(check.format == .text)
        #expect(check.files == ["a.json", "b.json"])
    }

    @Test func theRootCommandRoutesToDecide() throws {
        let parsed = try OptGateCommand.parseAsRoot(["decide", ContractExamples.path("uk-post-no-consent.json")])
        let command = try #require(parsed as? DecideCommand)
        let console = CapturingConsole()
        #expect(command.execute(console: console) == 0)
        let json = try jsonObject(console.stdout.joined(separator: "\n"))
        #expect(json["allowed"] as? Bool == true)
        #expect(json["basis"] as? String == "no_consent_needed")
    }

    @Test func decideParsedAsRoot() throws {
        let parsed = try DecideCommand.parseAsRoot([ContractExamples.path("uk-opted-out.json")])
        let command = try #require(parsed as? DecideCommand)
        let console = CapturingConsole()
        #expect(command.execute(console: console) == 0)
        #expect(try jsonObject(console.stdout.joined(separator: "\n"))["allowed"] as? Bool == false)
    }
}
