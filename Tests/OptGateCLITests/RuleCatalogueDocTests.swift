import Foundation
import OptGateCLI
import Testing

/// docs/rules.md is generated from the rule definitions; it must never drift from them.
@Suite("docs/rules.md is current")
struct RuleCatalogueDocTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("docs/rules.md equals `optgate rules --format markdown` (regenerate it if this fails)")
    func catalogueIsCurrent() throws {
        let console = CapturingConsole()
        var command = try RulesCommand.parse(["--format", "markdown"])
        command.format = .markdown
        command.execute(console: console)
        let generated = console.stdout.joined(separator: "\n")
        let document = try String(contentsOf: Self.repository.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        let table = document.split(separator: "\n", omittingEmptySubsequences: false).drop { !$0.hasPrefix("| id") }.joined(separator: "\n")
        #expect(table.trimmingCharacters(in: .whitespacesAndNewlines) == generated.trimmingCharacters(in: .whitespacesAndNewlines),
                "docs/rules.md is stale: run `optgate rules --format markdown` and paste the table")
    }
}
