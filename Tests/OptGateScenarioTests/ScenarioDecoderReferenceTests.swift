import OptGateScenario
import Testing

/// Entity and product ids are declared once and every reference must name a declared one: a typo
/// in an id must never silently change a decision.
@Suite("ScenarioDecoder: references and declarations")
struct ScenarioDecoderReferenceTests {
    // MARK: Undeclared entities

    @Test func messageFromAnUndeclaredEntity() {
        let text = ScenarioText.with {
            $0.message = #"{"from": "acme-retial", "channel": "email", "purpose": "marketing"}"#
        }.text
        expectSingleProblem(
            in: text, path: "message.from", at: #""acme-retial""#,
            message: #"unknown entity "acme-retial" (declared entities: acme)"#)
    }

    @Test func theDeclaredEntitiesAreListedSorted() {
        let text = ScenarioText.with {
            $0.entities = [#"{"id": "zeta", "kind": "company"}"#, #"{"id": "acme", "kind": "company"}"#]
            $0.message = #"{"from": "nobody", "channel": "email", "purpose": "marketing"}"#
        }.text
        expectSingleProblem(in: text, path: "message.from", at: #""nobody""#, message: #"unknown entity "nobody" (declared entities: acme, zeta)"#)
    }

    @Test func noDeclaredEntitiesAtAll() {
        let text = ScenarioText.with {
            $0.entities = []
            $0.events = []
        }.text
        expectSingleProblem(in: text, path: "message.from", at: #""acme", "channel""#, message: #"unknown entity "acme" (declared entities: none)"#)
    }

    @Test func eventByAnUndeclaredEntity() {
        let text = ScenarioText.with {
            $0.events = [
                #"{"type": "opt_out", "at": "2025-01-01T00:00:00Z"}"#,
                #"{"type": "details_collected", "at": "2025-11-02T12:00:00Z", "by": "acme-shop", "context": "sale", "channels": ["email"]}"#,
            ]
        }.text
        expectSingleProblem(in: text, path: "events[1].by", at: #""acme-shop""#, message: #"unknown entity "acme-shop" (declared entities: acme)"#)
    }

    @Test func marketingSentByAnUndeclaredEntity() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "marketing_sent", "at": "2025-11-02T12:00:00Z", "by": "ghost", "channel": "email"}"#]
        }.text
        expectSingleProblem(in: text, path: "events[0].by", at: #""ghost""#, prefix: #"unknown entity "ghost""#)
    }

    @Test func consentToAnUndeclaredEntity() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "consent_given", "at": "2025-06-01T00:00:00Z", "to": ["acme", "partner-co"], "channels": ["email"], "purposes": ["marketing"], "method": "signed_form"}"#]
        }.text
        expectSingleProblem(in: text, path: "events[0].to[1]", at: #""partner-co""#, message: #"unknown entity "partner-co" (declared entities: acme)"#)
    }

    @Test func consentCollectedByAnUndeclaredEntity() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "consent_given", "at": "2025-06-01T00:00:00Z", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"], "method": "signed_form", "collected_by": "lists-ltd"}"#]
        }.text
        expectSingleProblem(in: text, path: "events[0].collected_by", at: #""lists-ltd""#, prefix: #"unknown entity "lists-ltd""#)
    }

    @Test func optOutFromAnUndeclaredEntity() {
        let text = ScenarioText.with {
            $0.events = [#"{"type": "opt_out", "at": "2025-06-01T00:00:00Z", "entity": "acme-uk"}"#]
        }.text
        expectSingleProblem(in: text, path: "events[0].entity", at: #""acme-uk""#, prefix: #"unknown entity "acme-uk""#)
    }

    @Test func onBehalfOfAnUndeclaredEntity() {
        let text = ScenarioText.with {
            $0.message = #"{"from": "acme", "channel": "email", "purpose": "marketing", "on_behalf_of": "partner"}"#
        }.text
        expectSingleProblem(in: text, path: "message.on_behalf_of", at: #""partner""#, prefix: #"unknown entity "partner""#)
    }

    // MARK: Undeclared products

    @Test func messageProductNotInTheCatalogue() {
        let text = ScenarioText.with {
            $0.message = #"{"from": "acme", "channel": "email", "purpose": "marketing", "products": ["bags", "tablets"]}"#
        }.text
        expectSingleProblem(in: text, path: "message.products[1]", at: #""tablets""#, message: #"unknown product "tablets" (not in the catalogue)"#)
    }

    @Test func eventProductsNotInTheCatalogue() {
        let text = ScenarioText.with {
            $0.events = [
                #"{"type": "details_collected", "at": "2025-11-02T12:00:00Z", "by": "acme", "context": "sale", "products": ["laptop"], "channels": ["email"]}"#,
                #"{"type": "consent_given", "at": "2025-06-01T00:00:00Z", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"], "products": ["phones"], "method": "signed_form"}"#,
                #"{"type": "opt_out", "at": "2025-06-01T00:00:00Z", "products": ["cases"]}"#,
                #"{"type": "marketing_sent", "at": "2025-06-01T00:00:00Z", "by": "acme", "channel": "email", "products": ["mice"]}"#,
            ]
        }.text
        let found = problems(in: text)
        #expect(found.map(\.path) == ["events[0].products[0]", "events[1].products[0]", "events[2].products[0]", "events[3].products[0]"])
        #expect(found.map(\.position) == [
            position(of: #""laptop""#, in: text), position(of: #""phones""#, in: text),
            position(of: #""cases""#, in: text), position(of: #""mice""#, in: text),
        ])
        #expect(found.allSatisfy { $0.message.hasPrefix("unknown product \"") && $0.message.hasSuffix("\" (not in the catalogue)") })
    }

    @Test func productsWithoutACatalogue() {
        let text = ScenarioText.with {
            $0.catalogue = nil
            $0.events = []
        }.text
        expectSingleProblem(in: text, path: "message.products[0]", at: #""bags""#, message: #"unknown product "bags" (not in the catalogue)"#)
    }

    // MARK: Declarations

    @Test func duplicateEntityID() {
        let text = ScenarioText.with {
            $0.entities = [#"{"id": "acme", "kind": "company"}"#, #"{"id": "acme", "kind": "charity"}"#]
        }.text
        let found = problems(in: text)
        #expect(found.count == 1)
        #expect(found.first?.path == "entities[1].id")
        #expect(found.first?.message == #"duplicate entity id "acme""#)
        #expect(found.first?.position?.line == position(of: #"{"id": "acme", "kind": "charity"}"#, in: text)?.line)
    }

    @Test func duplicateProductID() {
        let text = ScenarioText.with {
            $0.catalogue = [#"{"id": "laptops"}"#, #"{"id": "bags"}"#, #"{"id": "laptops", "reasoning": "again"}"#]
        }.text
        let found = problems(in: text)
        #expect(found.count == 1)
        #expect(found.first?.path == "catalogue[2].id")
        #expect(found.first?.message == #"duplicate product id "laptops""#)
        #expect(found.first?.position?.line == position(of: #"{"id": "laptops", "reasoning": "again"}"#, in: text)?.line)
    }

    @Test func similarToAnUnknownProduct() {
        let text = ScenarioText.with {
            $0.catalogue = [#"{"id": "laptops"}"#, #"{"id": "bags", "similar_to": ["laptops", "laptop-bags"]}"#]
        }.text
        let found = problems(in: text)
        #expect(found.count == 1)
        #expect(found.first?.path == "catalogue[1].similar_to[1]")
        #expect(found.first?.message == #"unknown product "laptop-bags" (not in the catalogue)"#)
    }

    /// The position names the offending id itself, as every other reference problem does: in a
    /// pretty-printed catalogue (like the contract's examples) the item's brace is lines away.
    @Test func similarToAnUnknownProductIsLocatedAtTheUnknownID() {
        let text = """
            {
              "format": "scenario/v1",
              "now": "2026-03-01T10:00:00Z",
              "entities": [{"id": "acme", "kind": "company"}],
              "catalogue": [
                {
                  "id": "bags",
                  "similar_to": [
                    "laptop-bags"
                  ]
                }
              ],
              "contact": {"id": "c-1"},
              "message": {"from": "acme", "channel": "email", "purpose": "marketing"}
            }
            """
        let found = problems(in: text)
        #expect(found.map(\.path) == ["catalogue[0].similar_to[0]"])
        #expect(found.first?.position == SourcePosition(line: 9, column: 9))
    }

    /// The path of a declaration problem counts every item of the document, including one that was
    /// itself rejected.
    @Test func declarationProblemsNameTheRightItemAfterARejectedOne() {
        let text = ScenarioText.with {
            $0.catalogue = [#"{"reasoning": "no id"}"#, #"{"id": "laptops"}"#, #"{"id": "bags", "similar_to": ["laptop-bags"]}"#]
            $0.events = []
            $0.message = #"{"from": "acme", "channel": "email", "purpose": "marketing"}"#
        }.text
        let found = problems(in: text)
        #expect(Set(found.map(\.path)) == ["catalogue[0].id", "catalogue[2].similar_to[0]"])
        let similar = found.first { $0.message.contains("laptop-bags") }
        #expect(similar?.path == "catalogue[2].similar_to[0]")
        #expect(similar?.position?.line == position(of: #""laptop-bags""#, in: text)?.line)
    }

    @Test func duplicateEntityPathCountsARejectedEntity() {
        let text = ScenarioText.with {
            $0.entities = [
                #"{"id": "broken", "kind": "guild"}"#, #"{"id": "acme", "kind": "company"}"#, #"{"id": "acme", "kind": "charity"}"#,
            ]
        }.text
        let found = problems(in: text)
        let duplicate = found.first { $0.message.hasPrefix("duplicate entity id") }
        #expect(duplicate?.path == "entities[2].id")
        #expect(duplicate?.position?.line == position(of: #"{"id": "acme", "kind": "charity"}"#, in: text)?.line)
    }

    @Test func aProductMayBeSimilarToOneDeclaredAfterIt() throws {
        let file = try decoded(ScenarioText.with {
            $0.catalogue = [#"{"id": "bags", "similar_to": ["laptops"]}"#, #"{"id": "laptops"}"#]
        }.text)
        #expect(file.scenario.catalogue.isSameOrSimilar("laptops", "bags"))
    }

    @Test func referencesMayAppearBeforeTheDeclarationsInTheText() throws {
        // Member order in an object carries no meaning: entities declared after the message still count.
        let text = """
            {"message": {"from": "acme", "channel": "email", "purpose": "marketing", "products": ["bags"]},
             "contact": {"id": "c-1"}, "now": "2026-03-01T10:00:00Z", "format": "scenario/v1",
             "catalogue": [{"id": "bags"}], "entities": [{"id": "acme", "kind": "company"}]}
            """
        let file = try decoded(text)
        #expect(file.scenario.message.from == "acme")
    }
}
