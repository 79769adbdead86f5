import Foundation
import OptGateCore
import OptGateScenario
import Testing

/// The decision as the contract's JSON (stable key order, escaped strings, parseable by any JSON
/// reader) and as text for people.
@Suite("DecisionEncoder")
struct DecisionEncoderTests {
    static let sale = Rule(
        "UK-PECR-22-SOI-1", "GB", "PECR reg 22(3)(a)", "Soft opt-in: details obtained in a sale.",
        from: Timestamp(year: 2003, month: 12, day: 11)!)
    static let optedOut = Rule(
        "UK-GDPR-21-3", "GB", "UK GDPR Art 21(3)", "An objection to direct marketing is absolute.",
        from: Timestamp(year: 2018, month: 5, day: 25)!)

    static let saleReason = Reason(
        .softOptInSale, sale,
        Evidence(eventIndex: 0, eventAt: Timestamp(year: 2025, month: 11, day: 2, hour: 12), entity: "acme", product: "laptops"))

    static let allowed = Decision(
        allowed: true, basis: .softOptIn, reasons: [saleReason],
        requirements: [.identifySender, .includeOptOut],
        validUntil: Timestamp(year: 2027, month: 11, day: 2, hour: 12), rules: "GB/PECR as amended 2026-02-05")

    static let denied = Decision(
        allowed: false, basis: nil,
        reasons: [
            Reason(.optedOut, optedOut, Evidence(eventIndex: 1, eventAt: Timestamp(year: 2026, month: 1, day: 10), route: .link)),
            Reason(.softOptInDissimilarProduct, sale, Evidence(product: "holidays", matchedProduct: "laptops")),
        ],
        requirements: [], validUntil: nil, rules: "GB/PECR as amended 2026-02-05")

    private func object(_ json: String) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8))
        return try #require(parsed as? [String: Any])
    }

    /// Member names in the order written, read with the package's order-keeping parser.
    private func keys(_ value: JSONValue) -> [String] {
        guard case .object(let members) = value.kind else { return [] }
        return members.map(\.key)
    }

    // MARK: JSON

    @Test func prettyJSONIsExactlyTheContractShape() {
        let detail = Self.saleReason.detail
        let expected = """
            {
              "allowed": true,
              "basis": "soft_opt_in",
              "reasons": [
                {
                  "code": "soft_opt_in.sale",
                  "rule": "PECR reg 22(3)(a)",
                  "rule_id": "UK-PECR-22-SOI-1",
                  "detail": "\(detail)"
                }
              ],
              "requirements": ["include_opt_out", "identify_sender"],
              "valid_until": "2027-11-02T12:00:00Z",
              "rules": "GB/PECR as amended 2026-02-05"
            }
            """
        #expect(DecisionEncoder.json(Self.allowed) == expected)
    }

    @Test func keysAreInTheContractsOrder() throws {
        for decision in [Self.allowed, Self.denied] {
            for pretty in [true, false] {
                let root = try JSONParser.parse(DecisionEncoder.json(decision, pretty: pretty))
                #expect(keys(root) == ["allowed", "basis", "reasons", "requirements", "valid_until", "rules"])
                guard case .object(let members) = root.kind, case .array(let reasons) = members[2].value.kind else {
                    Issue.record("reasons is not an array")
                    continue
                }
                #expect(reasons.count == decision.reasons.count)
                for reason in reasons {
                    #expect(keys(reason) == ["code", "rule", "rule_id", "detail"])
                }
            }
        }
    }

    @Test func anAllowedDecisionParsesBackWithFoundation() throws {
        let json = try object(DecisionEncoder.json(Self.allowed))
        #expect(json["allowed"] as? Bool == true)
        #expect(json["basis"] as? String == "soft_opt_in")
        #expect(json["requirements"] as? [String] == ["include_opt_out", "identify_sender"])
        #expect(json["valid_until"] as? String == "2027-11-02T12:00:00Z")
        #expect(json["rules"] as? String == "GB/PECR as amended 2026-02-05")
        let reasons = try #require(json["reasons"] as? [[String: Any]])
        #expect(reasons.count == 1)
        #expect(reasons[0]["code"] as? String == "soft_opt_in.sale")
        #expect(reasons[0]["rule"] as? String == "PECR reg 22(3)(a)")
        #expect(reasons[0]["rule_id"] as? String == "UK-PECR-22-SOI-1")
        #expect(reasons[0]["detail"] as? String == Self.saleReason.detail)
        #expect((reasons[0]["detail"] as? String)?.isEmpty == false)
    }

    @Test func aDenialHasNullBasisAndValidUntil() throws {
        let text = DecisionEncoder.json(Self.denied)
        let json = try object(text)
        #expect(json["allowed"] as? Bool == false)
        #expect(json["basis"] is NSNull)
        #expect(json["valid_until"] is NSNull)
        #expect(json["requirements"] as? [Any] != nil)
        #expect((json["requirements"] as? [Any])?.isEmpty == true)
        let reasons = try #require(json["reasons"] as? [[String: Any]])
        #expect(reasons.compactMap { $0["code"] as? String } == ["opt_out.objection", "soft_opt_in.dissimilar_product"])
        #expect(text.contains(#""basis": null"#))
        #expect(text.contains(#""valid_until": null"#))
        #expect(text.contains(#""requirements": []"#))
    }

    @Test func compactJSONHasNoWhitespaceAndTheSameContent() throws {
        let compact = DecisionEncoder.json(Self.allowed, pretty: false)
        #expect(!compact.contains("\n"))
        #expect(compact.hasPrefix(#"{"allowed":true,"basis":"soft_opt_in","reasons":[{"code":"soft_opt_in.sale","#))
        #expect(compact.hasSuffix(#""requirements":["include_opt_out","identify_sender"],"valid_until":"2027-11-02T12:00:00Z","rules":"GB/PECR as amended 2026-02-05"}"#))
        let compactValue = Plain(try JSONParser.parse(compact))
        let prettyValue = Plain(try JSONParser.parse(DecisionEncoder.json(Self.allowed, pretty: true)))
        #expect(compactValue == prettyValue)
    }

    @Test func emptyReasonsAreAnEmptyArray() throws {
        let decision = Decision(allowed: true, basis: .notMarketing, reasons: [], requirements: [], validUntil: nil, rules: "X")
        let text = DecisionEncoder.json(decision)
        #expect(text.contains(#""reasons": []"#))
        #expect((try object(text)["reasons"] as? [Any])?.isEmpty == true)
    }

    @Test func stringsAreEscaped() throws {
        let nasty = "He said \"stop\" \\ now\nthen\ttab\r\u{01}\u{1F} é😀 </script>"
        let rule = Rule("ID-\"1\"", "GB", nasty, "summary", from: Timestamp(year: 2020, month: 1, day: 1)!)
        let reason = Reason(.consentNone, rule, Evidence(entity: "acme \"quoted\"\n"))
        let decision = Decision(allowed: false, basis: nil, reasons: [reason], requirements: [], validUntil: nil, rules: nasty)
        for pretty in [true, false] {
            let text = DecisionEncoder.json(decision, pretty: pretty)
            #expect(text.contains(#"He said \"stop\" \\ now\nthen\ttab\r\u0001\u001f é😀 </script>"#))
            let json = try object(text)
            #expect(json["rules"] as? String == nasty)
            let reasons = try #require(json["reasons"] as? [[String: Any]])
            #expect(reasons[0]["rule"] as? String == nasty)
            #expect(reasons[0]["rule_id"] as? String == "ID-\"1\"")
            #expect(reasons[0]["detail"] as? String == reason.detail)
        }
    }

    @Test func noRawControlCharacterEverReachesTheOutput() {
        let all = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })
        let decision = Decision(allowed: false, basis: nil, reasons: [], requirements: [], validUntil: nil, rules: all)
        let text = DecisionEncoder.json(decision, pretty: false)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 })
        #expect(text.contains(#"\u0000\u0001"#))
        #expect(text.contains(#"\b"#) || text.contains(#"\u0008"#))
    }

    @Test(arguments: Basis.allCases)
    func everyBasisIsWrittenByItsContractName(_ basis: Basis) throws {
        let decision = Decision(allowed: true, basis: basis, reasons: [], requirements: [], validUntil: nil, rules: "X")
        #expect(try object(DecisionEncoder.json(decision))["basis"] as? String == basis.rawValue)
    }

    @Test func requirementsAreListedInDeclarationOrder() throws {
        let decision = Decision(
            allowed: true, basis: .noConsentNeeded, reasons: [],
            requirements: [.keepConsentRecord, .postalAddress, .includeOptOut], validUntil: nil, rules: "X")
        #expect(try object(DecisionEncoder.json(decision))["requirements"] as? [String] == ["include_opt_out", "postal_address", "keep_consent_record"])
    }

    // MARK: Decisions of the engine

    @Test(arguments: ContractExamples.names)
    func theEnginesDecisionOnEachExampleEncodesToTheContract(_ name: String) throws {
        let file = try decoded(try ContractExamples.text(name))
        let decision = DecisionEngine().decide(file.scenario)
        let text = DecisionEncoder.json(decision)
        #expect(keys(try JSONParser.parse(text)) == ["allowed", "basis", "reasons", "requirements", "valid_until", "rules"])
        let json = try object(text)
        #expect(json["allowed"] as? Bool == decision.allowed)
        if decision.allowed {
            #expect(json["basis"] as? String == decision.basis?.rawValue)
        } else {
            #expect(json["basis"] is NSNull)
        }
        let reasons = try #require(json["reasons"] as? [[String: Any]])
        #expect(!reasons.isEmpty, "a decision always says why")
        for reason in reasons {
            for key in ["code", "rule", "rule_id", "detail"] {
                #expect((reason[key] as? String)?.isEmpty == false, "\(name): reason without \(key)")
            }
        }
        #expect((json["rules"] as? String)?.isEmpty == false)
    }

    // MARK: Text

    @Test func textOfAnAllowedDecision() {
        let text = DecisionEncoder.text(Self.allowed)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "ALLOWED on the basis of the soft opt-in (existing customer)")
        #expect(lines.contains("Rule set: GB/PECR as amended 2026-02-05"))
        #expect(lines.contains { $0.hasPrefix("Valid until: 2027-11-02T12:00:00Z") })
        #expect(lines.contains("Why:"))
        #expect(lines.contains("  + \(Self.saleReason.detail)"))
        #expect(lines.contains("      soft_opt_in.sale, PECR reg 22(3)(a) [UK-PECR-22-SOI-1]"))
        #expect(lines.contains("The message must:"))
        #expect(lines.contains("  * \(Requirement.includeOptOut.explanation) [include_opt_out]"))
        #expect(lines.contains("  * \(Requirement.identifySender.explanation) [identify_sender]"))
        #expect(!text.contains("NOT ALLOWED"))
    }

    @Test func textOfADenialListsEveryFailedCondition() {
        let text = DecisionEncoder.text(Self.denied)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "NOT ALLOWED")
        #expect(lines.contains("Every condition that failed:"))
        for reason in Self.denied.reasons {
            #expect(lines.contains("  - \(reason.detail)"))
            #expect(lines.contains("      \(reason.code.rawValue), \(reason.rule.citation) [\(reason.rule.id)]"))
        }
        #expect(!text.contains("Valid until"))
        #expect(!text.contains("The message must:"))
    }

    @Test(arguments: Basis.allCases)
    func textNamesEveryBasis(_ basis: Basis) {
        let decision = Decision(allowed: true, basis: basis, reasons: [], requirements: [], validUntil: nil, rules: "X")
        let first = DecisionEncoder.text(decision).split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("ALLOWED on the basis of "))
        #expect(!first.hasSuffix("?"))
    }
}
