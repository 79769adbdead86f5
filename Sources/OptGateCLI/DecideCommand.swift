import ArgumentParser
import OptGateCore
import OptGateScenario

/// `optgate decide FILE|-` and `optgate decide --check FILE...`.
public struct DecideCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Decide whether a scenario's message may be sent, on what basis, and why.",
        discussion: """
            Reads a scenario/v1 JSON document (see docs/scenario-format.md) and prints the decision as JSON. \
            Exits 0 whether or not the send is allowed; exits 1 if the document is not valid, printing \
            every problem on standard error as FILE:LINE:COLUMN: PATH: MESSAGE, with nothing on standard output.

            With --check, decides each file against its "expect" verdict, prints one line per file and a \
            closing "N passed, N failed" line, and exits 1 if any file failed or could not be read.
            """
    )

    public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case json, text
    }

    @Flag(name: .long, help: "Compare each file's decision with its \"expect\" verdict.")
    public var check = false

    @Option(name: .long, help: "Output format: json (the contract's decision) or text (for people).")
    public var format: Format = .json

    @Flag(name: .long, help: "With --check, print the full decision of every failing file.")
    public var verbose = false

    @Argument(help: "Scenario files; - reads standard input.")
    public var files: [String] = []

    public init() {}

    public func validate() throws {
        if files.isEmpty { throw ValidationError("name a scenario file, or - for standard input") }
        if !check && files.count > 1 {
            throw ValidationError("decide takes one file; use --check to test several against their expected verdicts")
        }
    }

    public func run() throws {
        let code = execute(console: StandardConsole())
        if code != 0 { throw ExitCode(code) }
    }

    /// Runs the command against a console; returns the process exit code.
    public func execute(console: Console, engine: DecisionEngine = DecisionEngine()) -> Int32 {
        check ? runCheck(console, engine) : runDecide(console, engine)
    }

    private func runDecide(_ console: Console, _ engine: DecisionEngine) -> Int32 {
        let file: ScenarioFile
        do {
            file = try ScenarioLoader.load(files[0])
        } catch {
            error.lines.forEach(console.err)
            return 1
        }
        let decision = engine.decide(file.scenario)
        console.out(format == .json ? DecisionEncoder.json(decision) : DecisionEncoder.text(decision))
        return 0
    }

    private func runCheck(_ console: Console, _ engine: DecisionEngine) -> Int32 {
        var passed = 0
        var failed = 0
        for path in files {
            let file: ScenarioFile
            do {
                file = try ScenarioLoader.load(path)
            } catch {
                failed += 1
                console.out("FAIL \(path): not a valid scenario")
                error.lines.forEach { console.out("     \($0)") }
                continue
            }
            let decision = engine.decide(file.scenario)
            let got = verdict(decision.allowed, decision.basis)
            guard let expect = file.expect else {
                failed += 1
                console.out("FAIL \(path): no \"expect\" verdict to check against (got \(got))")
                continue
            }
            if expect.isMet(by: decision) {
                passed += 1
                console.out("ok   \(path): \(got)")
            } else {
                failed += 1
                let codes = decision.reasons.map(\.code.rawValue).joined(separator: ", ")
                console.out("FAIL \(path): expected \(verdict(expect.allowed, expect.basis)), got \(got) [\(codes)]")
                if verbose { console.out(DecisionEncoder.text(decision).split(separator: "\n").map { "     " + $0 }.joined(separator: "\n")) }
            }
        }
        console.out("\(passed) passed, \(failed) failed")
        return failed == 0 ? 0 : 1
    }

    private func verdict(_ allowed: Bool, _ basis: Basis?) -> String {
        allowed ? "allowed" + (basis.map { " (\($0.rawValue))" } ?? "") : "not allowed"
    }
}
