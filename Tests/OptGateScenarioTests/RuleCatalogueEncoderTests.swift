import Foundation
import OptGateCore
import OptGateScenario
import Testing

/// The rule catalogue as JSON: one object per rule, members in a fixed order.
@Suite("RuleCatalogueEncoder")
struct RuleCatalogueEncoderTests {
    @Test func writesEveryRuleWithItsDates() throws {
        let open = Rule("A-1", "GB", "PECR reg 22(3A)", "Charity \"soft\" opt-in.", from: Timestamp(year: 2026, month: 2, day: 5)!)
        let closed = Rule(
            "B-2", "FR", "Code de la consommation L.223-1", "Bloctel.",
            from: Timestamp(year: 2016, month: 6, day: 1)!, until: Timestamp(year: 2026, month: 8, day: 11)!)
        let text = RuleCatalogueEncoder.json([open, closed])

        let root = try JSONParser.parse(text)
        guard case .array(let items) = root.kind else { Issue.record("not an array"); return }
        #expect(items.count == 2)
        for item in items {
            guard case .object(let members) = item.kind else { Issue.record("not an object"); continue }
            #expect(members.map(\.key) == ["id", "jurisdiction", "citation", "in_force_from", "in_force_until", "summary"])
        }

        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(parsed[0]["id"] as? String == "A-1")
        #expect(parsed[0]["jurisdiction"] as? String == "GB")
        #expect(parsed[0]["citation"] as? String == "PECR reg 22(3A)")
        #expect(parsed[0]["summary"] as? String == "Charity \"soft\" opt-in.")
        #expect(parsed[0]["in_force_from"] as? String == "2026-02-05")
        #expect(parsed[0]["in_force_until"] is NSNull)
        #expect(parsed[1]["in_force_from"] as? String == "2016-06-01")
        #expect(parsed[1]["in_force_until"] as? String == "2026-08-11")
    }

    @Test func anEmptyCatalogueIsAnEmptyArray() {
        #expect(RuleCatalogueEncoder.json([]) == "[]")
    }
}
