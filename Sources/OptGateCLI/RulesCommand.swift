import ArgumentParser
import OptGateCore
import OptGateScenario

/// `optgate rules`: the rule catalogue, printed from the rule definitions the engine runs on.
public struct RulesCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules OptGate applies: id, jurisdiction, citation, in-force dates and summary."
    )

    public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case text, json, markdown
    }

    @Option(name: .long, help: "Only rules of this jurisdiction (GB, EU, IE, DE, FR, NL, IT, US, CA, or * for OptGate's defaults).")
    public var jurisdiction: String?

    @Option(name: .long, help: "Output format: text, json or markdown.")
    public var format: Format = .text

    public init() {}

    public func run() throws {
        execute(console: StandardConsole())
    }

    public func execute(console: Console, ruleBook: RuleBook = .standard) {
        let rules = ruleBook.allRules.filter { jurisdiction == nil || $0.jurisdiction == jurisdiction!.uppercased() }
        switch format {
        case .text:
            for rule in rules {
                console.out("\(rule.id)  [\(rule.jurisdiction)]  \(rule.citation)")
                console.out("    in force \(inForce(rule))")
                console.out("    \(rule.summary)")
            }
            console.out("\(rules.count) rules")
        case .markdown:
            console.out("| id | jurisdiction | citation | in force | summary |")
            console.out("|---|---|---|---|---|")
            for rule in rules {
                let cells = [rule.id, rule.jurisdiction, rule.citation, inForce(rule), rule.summary]
                console.out("| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
            }
        case .json:
            console.out(RuleCatalogueEncoder.json(rules))
        }
    }

    private func inForce(_ rule: Rule) -> String {
        "from \(rule.inForceFrom.dayText)" + (rule.inForceUntil.map { " until \($0.adding(days: -1).dayText)" } ?? "")
    }
}
