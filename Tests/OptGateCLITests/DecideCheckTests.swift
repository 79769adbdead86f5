import Foundation
import OptGateCLI
import Testing

/// `optgate decide --check FILE...`: each file's decision against its `expect`, one line per file,
/// a closing `N passed, N failed`, exit 1 if any file failed or could not be read.
@Suite("decide --check")
struct DecideCheckTests {
    private func check(_ files: [String], options: [String] = []) throws -> (code: Int32, lines: [String]) {
        let command = try DecideCommand.parse(["--check"] + options + files)
        let console = CapturingConsole()
        let code = command.execute(console: console)
        #expect(console.stderr.isEmpty, "--check reports on standard output")
        // One `out` call may carry several lines (--verbose).
        return (code, console.stdout.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) })
    }

    @Test func theContractExamplesAllPass() throws {
        #expect(ContractExamples.paths.count == 20, "expected the 20 contract examples in \(ContractExamples.directory.path)")
        let (code, lines) = try check(ContractExamples.paths)
        #expect(code == 0)
        #expect(lines.last == "20 passed, 0 failed")
        #expect(lines.count == 21)
        for (path, line) in zip(ContractExamples.paths, lines) {
            #expect(line.hasPrefix("ok   \(path): "), "\(line)")
        }
    }

    @Test func eachLineStatesTheVerdict() throws {
        let (_, lines) = try check([
            ContractExamples.path("uk-soft-opt-in-similar-product.json"), ContractExamples.path("uk-opted-out.json"),
        ])
        #expect(lines == [
            "ok   \(ContractExamples.path("uk-soft-opt-in-similar-product.json")): allowed (soft_opt_in)",
            "ok   \(ContractExamples.path("uk-opted-out.json")): not allowed",
            "2 passed, 0 failed",
        ])
    }

    @Test func aWrongVerdictFails() throws {
        try withTemporaryDirectory { dir in
            let path = try write(scenario(expect: #"{"allowed": false}"#), to: "wrong.json", in: dir)
            let (code, lines) = try check([path])
            #expect(code == 1)
            #expect(lines.count == 2)
            #expect(lines.first?.hasPrefix("FAIL \(path): expected not allowed, got allowed (soft_opt_in) [") == true)
            #expect(lines.first?.contains("soft_opt_in.sale") == true)
            #expect(lines.last == "0 passed, 1 failed")
        }
    }

    @Test func aWrongBasisFails() throws {
        try withTemporaryDirectory { dir in
            let path = try write(scenario(expect: #"{"allowed": true, "basis": "consent"}"#), to: "basis.json", in: dir)
            let (code, lines) = try check([path])
            #expect(code == 1)
            #expect(lines.first?.hasPrefix("FAIL \(path): expected allowed (consent), got allowed (soft_opt_in)") == true)
            #expect(lines.last == "0 passed, 1 failed")
        }
    }

    @Test func anExpectationWithoutABasisAcceptsAnyBasis() throws {
        try withTemporaryDirectory { dir in
            let path = try write(scenario(expect: #"{"allowed": true}"#), to: "any.json", in: dir)
            let (code, lines) = try check([path])
            #expect(code == 0)
            #expect(lines == ["ok   \(path): allowed (soft_opt_in)", "1 passed, 0 failed"])
        }
    }

    @Test func aFileWithoutAnExpectationCountsAsFailed() throws {
        try withTemporaryDirectory { dir in
            let path = try write(scenario(), to: "no-expect.json", in: dir)
            let (code, lines) = try check([path])
            #expect(code == 1)
            #expect(lines == [
                "FAIL \(path): no \"expect\" verdict to check against (got allowed (soft_opt_in))",
                "0 passed, 1 failed",
            ])
        }
    }

    @Test func anInvalidFileFailsWithItsProblemsAndTheRestAreStillChecked() throws {
        try withTemporaryDirectory { dir in
            let bad = try write(
                scenario(expect: #"{"allowed": true}"#).replacingOccurrences(of: #""channel": "email""#, with: #""channel": "e-mail""#),
                to: "bad.json", in: dir)
            let good = try write(scenario(expect: #"{"allowed": true, "basis": "soft_opt_in"}"#), to: "good.json", in: dir)
            let (code, lines) = try check([bad, good])
            #expect(code == 1)
            #expect(lines.count == 4)
            #expect(lines[0] == "FAIL \(bad): not a valid scenario")
            #expect(lines[1].hasPrefix("     \(bad):8:"))
            #expect(lines[1].contains(#"message.channel: unknown channel "e-mail""#))
            #expect(lines[2] == "ok   \(good): allowed (soft_opt_in)")
            #expect(lines[3] == "1 passed, 1 failed")
        }
    }

    @Test func aMissingFileFails() throws {
        try withTemporaryDirectory { dir in
            let missing = dir.appendingPathComponent("missing.json").path
            let (code, lines) = try check([missing])
            #expect(code == 1)
            #expect(lines == ["FAIL \(missing): not a valid scenario", "     \(missing): no such file", "0 passed, 1 failed"])
        }
    }

    @Test func oneFailureAmongTheExamplesFailsTheRun() throws {
        try withTemporaryDirectory { dir in
            let wrong = try write(scenario(expect: #"{"allowed": false}"#), to: "wrong.json", in: dir)
            let (code, lines) = try check(ContractExamples.paths + [wrong])
            #expect(code == 1)
            #expect(lines.last == "20 passed, 1 failed")
            #expect(lines.filter { $0.hasPrefix("FAIL ") }.count == 1)
        }
    }

    @Test func aFlippedContractExampleFails() throws {
        // An example whose expectation is turned around must be caught, so --check really compares.
        let original = try ContractExamples.text("uk-opted-out.json")
        let flipped = original.replacingOccurrences(of: #""allowed": false"#, with: #""allowed": true"#)
        #expect(flipped != original)
        try withTemporaryDirectory { dir in
            let path = try write(flipped, to: "flipped.json", in: dir)
            let (code, lines) = try check([path])
            #expect(code == 1)
            #expect(lines.first?.hasPrefix("FAIL \(path): expected allowed, got not allowed [") == true)
        }
    }

    @Test func verbosePrintsTheDecisionOfAFailingFile() throws {
        try withTemporaryDirectory { dir in
            let path = try write(scenario(expect: #"{"allowed": false}"#), to: "wrong.json", in: dir)
            let quiet = try check([path])
            let (code, lines) = try check([path], options: ["--verbose"])
            #expect(code == 1)
            #expect(lines.count > quiet.lines.count)
            #expect(lines.contains("     ALLOWED on the basis of the soft opt-in (existing customer)"))
            #expect(!quiet.lines.contains { $0.contains("ALLOWED on the basis") })
            #expect(lines.last == "0 passed, 1 failed")
        }
    }

    @Test func verboseAddsNothingForPassingFiles() throws {
        let quiet = try check([ContractExamples.path("uk-corporate-subscriber.json")])
        let verbose = try check([ContractExamples.path("uk-corporate-subscriber.json")], options: ["--verbose"])
        #expect(quiet.lines == verbose.lines)
        #expect(verbose.code == 0)
    }
}
