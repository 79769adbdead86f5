import Foundation
import OptGateCLI
import OptGateCore
import Testing

/// `optgate rules`: the rule catalogue, printed from the rules the engine runs on.
@Suite("rules")
struct RulesCommandTests {
    private func run(_ arguments: [String]) throws -> [String] {
        let command = try RulesCommand.parse(arguments)
        let console = CapturingConsole()
        command.execute(console: console)
        #expect(console.stderr.isEmpty)
        return console.stdout
    }

    private func catalogue(_ arguments: [String] = []) throws -> [[String: Any]] {
        let output = try run(arguments + ["--format", "json"]).joined(separator: "\n")
        let parsed = try JSONSerialization.jsonObject(with: Data(output.utf8))
        return try #require(parsed as? [[String: Any]])
    }

    /// Every law the rule book holds: each covered country's and the strictest.
    private var laws: [any JurisdictionLaw] {
        let countries = ["GB", "US", "CA"] + EuropeanUnionLaw.memberStates.sorted()
        return countries.map { RuleBook.standard.law(for: JurisdictionCode($0)) } + [RuleBook.standard.law(for: nil)]
    }

    // MARK: The rules themselves

    @Test func everyRuleIDIsUniqueInTheCatalogue() throws {
        let ids = try catalogue().compactMap { $0["id"] as? String }
        #expect(ids.count == RuleBook.standard.allRules.count)
        #expect(Set(ids).count == ids.count)
    }

    @Test func anIDNamesOneRuleAcrossEveryLaw() {
        // Laws share rules (the EU member states share the directive's); an id must never name two different rules.
        var byID: [String: Rule] = [:]
        for law in laws {
            for rule in law.rules {
                if let seen = byID[rule.id] {
                    #expect(
                        seen === rule || (seen.citation == rule.citation && seen.summary == rule.summary && seen.jurisdiction == rule.jurisdiction),
                        "\(rule.id) names two different rules: \(seen.citation) / \(rule.citation)")
                } else {
                    byID[rule.id] = rule
                }
            }
        }
        #expect(Set(byID.keys) == Set(RuleBook.standard.allRules.map(\.id)))
    }

    @Test func everyRuleHasAnIDCitationSummaryAndSaneDates() {
        for rule in RuleBook.standard.allRules {
            #expect(!rule.id.trimmingCharacters(in: .whitespaces).isEmpty)
            #expect(!rule.jurisdiction.isEmpty, "\(rule.id)")
            #expect(!rule.citation.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(rule.id) has no citation")
            #expect(!rule.summary.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(rule.id) has no summary")
            #expect(!rule.id.contains(" "), "\(rule.id)")
            if let until = rule.inForceUntil { #expect(until > rule.inForceFrom, "\(rule.id)") }
        }
    }

    @Test func everyRuleInTheJSONHasACitationAndSummary() throws {
        for rule in try catalogue() {
            #expect((rule["citation"] as? String)?.isEmpty == false, "\(rule)")
            #expect((rule["summary"] as? String)?.isEmpty == false, "\(rule)")
        }
    }

    // MARK: --jurisdiction GB

    @Test func gbListsOnlyGBRules() throws {
        let rules = try catalogue(["--jurisdiction", "GB"])
        #expect(!rules.isEmpty)
        #expect(rules.allSatisfy { $0["jurisdiction"] as? String == "GB" })
        #expect(rules.count == RuleBook.standard.allRules.filter { $0.jurisdiction == "GB" }.count)
    }

    @Test func gbIncludesTheSoftOptInAndTheCharitySoftOptIn() throws {
        let rules = try catalogue(["--jurisdiction", "GB"])
        let byID = Dictionary(uniqueKeysWithValues: rules.map { ($0["id"] as? String ?? "", $0) })
        let sale = try #require(byID["UK-PECR-22-SOI-1"])
        #expect(sale["citation"] as? String == "PECR reg 22(3)(a)")
        #expect(sale["in_force_from"] as? String == "2003-12-11")
        #expect(sale["in_force_until"] is NSNull)
        let charity = try #require(byID["UK-PECR-22-3A"])
        #expect(charity["in_force_from"] as? String == "2026-02-05")
        #expect(charity["in_force_until"] is NSNull)
        #expect((charity["citation"] as? String)?.hasPrefix("PECR reg 22(3A)") == true)
    }

    @Test func theJurisdictionFilterIgnoresCase() throws {
        let upper = try run(["--jurisdiction", "GB"])
        let lower = try run(["--jurisdiction", "gb"])
        #expect(upper == lower)
    }

    @Test func gbAsText() throws {
        let lines = try run(["--jurisdiction", "GB"])
        let count = RuleBook.standard.allRules.filter { $0.jurisdiction == "GB" }.count
        #expect(lines.last == "\(count) rules")
        #expect(lines.count == count * 3 + 1)
        let charity = try #require(lines.firstIndex { $0.hasPrefix("UK-PECR-22-3A  [GB]  PECR reg 22(3A)") })
        #expect(lines[charity + 1] == "    in force from 2026-02-05")
        #expect(lines[charity + 2].hasPrefix("    ") && lines[charity + 2].count > 4)
        let sale = try #require(lines.firstIndex(of: "UK-PECR-22-SOI-1  [GB]  PECR reg 22(3)(a)"))
        #expect(lines[sale + 1] == "    in force from 2003-12-11")
    }

    @Test func aRuleNoLongerInForceShowsItsLastDay() throws {
        let lines = try run(["--jurisdiction", "FR"])
        let rule = try #require(RuleBook.standard.allRules.first { $0.jurisdiction == "FR" && $0.inForceUntil != nil })
        let index = try #require(lines.firstIndex { $0.hasPrefix("\(rule.id)  [FR]") })
        let lastDay = rule.inForceUntil!.adding(days: -1).dayText
        #expect(lines[index + 1] == "    in force from \(rule.inForceFrom.dayText) until \(lastDay)")
    }

    @Test func anUncoveredJurisdictionListsNothing() throws {
        #expect(try run(["--jurisdiction", "XX"]) == ["0 rules"])
        #expect(try catalogue(["--jurisdiction", "XX"]).isEmpty)
    }

    // MARK: Formats

    @Test func jsonParsesAndHasEveryRule() throws {
        let rules = try catalogue()
        #expect(rules.count == RuleBook.standard.allRules.count)
        #expect(rules.compactMap { $0["id"] as? String } == RuleBook.standard.allRules.map(\.id))
        for rule in rules {
            #expect(Set(rule.keys) == ["id", "jurisdiction", "citation", "in_force_from", "in_force_until", "summary"])
        }
        let jurisdictions = Set(rules.compactMap { $0["jurisdiction"] as? String })
        #expect(jurisdictions.isSuperset(of: ["GB", "EU", "IE", "DE", "FR", "NL", "IT", "US", "CA", "*"]))
    }

    @Test func markdownHasOneRowPerRule() throws {
        let lines = try run(["--format", "markdown", "--jurisdiction", "GB"])
        let count = RuleBook.standard.allRules.filter { $0.jurisdiction == "GB" }.count
        #expect(lines.first == "| id | jurisdiction | citation | in force | summary |")
        #expect(lines.dropFirst().first == "|---|---|---|---|---|")
        #expect(lines.count == count + 2)
        #expect(lines.contains { $0.hasPrefix("| UK-PECR-22-3A | GB | ") && $0.contains("| from 2026-02-05 |") })
        for row in lines.dropFirst(2) {
            // Five cells: six unescaped pipes.
            let unescaped = row.replacingOccurrences(of: "\\|", with: "")
            #expect(unescaped.filter { $0 == "|" }.count == 6, "\(row)")
        }
    }

    @Test func anUnknownFormatIsRejected() {
        #expect(throws: (any Error).self) { try RulesCommand.parse(["--format", "html"]) }
    }

    @Test func theRootCommandRoutesToRules() throws {
        let parsed = try OptGateCommand.parseAsRoot(["rules", "--jurisdiction", "CA", "--format", "json"])
        let command = try #require(parsed as? RulesCommand)
        let console = CapturingConsole()
        command.execute(console: console)
        let rules = try #require(try JSONSerialization.jsonObject(with: Data(console.stdout.joined().utf8)) as? [[String: Any]])
        #expect(!rules.isEmpty)
        #expect(rules.allSatisfy { $0["jurisdiction"] as? String == "CA" })
    }
}
