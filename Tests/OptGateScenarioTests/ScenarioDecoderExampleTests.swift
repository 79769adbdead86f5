import Foundation
import OptGateCore
import OptGateScenario
import Testing

/// Every example of the scenario/v1 contract (shared/contract/examples) is a valid document.
@Suite("ScenarioDecoder: contract examples")
struct ScenarioDecoderExampleTests {
    @Test func theContractExamplesAreThere() {
        #expect(
            ContractExamples.names.count == 20,
            "expected the 20 contract examples in \(ContractExamples.directory.path), found \(ContractExamples.names.count)")
    }

    @Test(arguments: ContractExamples.names)
    func decodes(_ name: String) throws {
        let file = try decoded(try ContractExamples.text(name))
        let expect = try #require(file.expect, "\(name) has no expect")
        if !expect.allowed { #expect(expect.basis == nil) }
        #expect(!file.scenario.entities.isEmpty)
        #expect(Set(file.scenario.entities.map(\.id)).contains(file.scenario.message.from))
    }

    @Test(arguments: ContractExamples.names)
    func decodesFromBytesAsFromText(_ name: String) throws {
        let text = try ContractExamples.text(name)
        let fromBytes = try ScenarioDecoder.decode(Array(text.utf8))
        let fromText = try ScenarioDecoder.decode(text)
        #expect(fromBytes.expect == fromText.expect)
        #expect(fromBytes.scenario.events == fromText.scenario.events)
        #expect(fromBytes.scenario.message == fromText.scenario.message)
        #expect(fromBytes.scenario.contact == fromText.scenario.contact)
    }

    @Test func theSoftOptInExampleDecodesToWhatItSays() throws {
        let file = try decoded(try ContractExamples.text("uk-soft-opt-in-similar-product.json"))
        let scenario = file.scenario
        #expect(scenario.now.rfc3339 == "2026-03-01T10:00:00Z")
        #expect(scenario.entities == [Entity(id: "acme-retail", kind: .company, group: "acme-group")])
        #expect(scenario.catalogue.products.map(\.id) == ["laptops", "laptop-accessories", "warranties", "holiday-packages"])
        #expect(scenario.catalogue.product("laptop-accessories")?.reasoning == "sold alongside laptops")
        #expect(scenario.catalogue.isSameOrSimilar("laptops", "laptop-accessories"))
        #expect(!scenario.catalogue.isSameOrSimilar("laptops", "holiday-packages"))
        #expect(scenario.contact == Contact(id: "c-1", jurisdiction: JurisdictionCode("GB"), subscriber: .individual))
        #expect(scenario.events == [
            Event(
                at: try Timestamp(rfc3339: "2025-11-02T12:00:00Z"),
                .detailsCollected(DetailsCollected(
                    by: "acme-retail", from: .recipient, context: .sale, products: ["laptops"],
                    channels: [.email, .sms], refusalOffered: true, refused: false)))
        ])
        #expect(scenario.message == Message(from: "acme-retail", channel: .email, purpose: .marketing, products: ["laptop-accessories"]))
        #expect(file.expect == ScenarioFile.Expectation(allowed: true, basis: .softOptIn))
        #expect(file.note == nil)
    }

    @Test func aDeniedExampleExpectsNoBasis() throws {
        let file = try decoded(try ContractExamples.text("uk-opted-out.json"))
        #expect(file.expect == ScenarioFile.Expectation(allowed: false, basis: nil))
    }
}
