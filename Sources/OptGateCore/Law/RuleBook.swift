/// Every jurisdiction's law, and which one applies to a recipient.
public struct RuleBook: Sendable {
    private let laws: [String: any JurisdictionLaw]
    /// The same laws indexed by the two letters of the country code (26 × 26 slots), so that
    /// finding a recipient's law costs an index, not a string hash.
    private let byLetters: [(any JurisdictionLaw)?]
    private let strictest: StrictestLaw

    /// The rule book OptGate ships: GB, the EU member states (IE, DE, FR, NL and IT with their
    /// documented variants), US, CA, and the strictest rules for everywhere else.
    public static let standard = RuleBook()

    public init() {
        var laws: [String: any JurisdictionLaw] = [:]
        laws["GB"] = UnitedKingdomLaw()
        laws["US"] = UnitedStatesLaw()
        laws["CA"] = CanadaLaw()
        let documented: [String: MemberStateLaw] = [
            "IE": .ireland, "DE": .germany, "FR": .france, "NL": .netherlands, "IT": .italy,
        ]
        for country in EuropeanUnionLaw.memberStates {
            laws[country] = documented[country] ?? MemberStateLaw.directiveDefault(country)
        }
        self.laws = laws
        var table = [(any JurisdictionLaw)?](repeating: nil, count: 26 * 26)
        for (country, law) in laws { if let slot = Self.slot(country) { table[slot] = law } }
        self.byLetters = table
        self.strictest = StrictestLaw()
    }

    private static func slot(_ country: String) -> Int? {
        var letters = country.utf8.makeIterator()
        guard let first = letters.next(), let second = letters.next(), letters.next() == nil,
              (65...90).contains(first), (65...90).contains(second)
        else { return nil }
        return Int(first - 65) * 26 + Int(second - 65)
    }

    /// The law for a recipient's jurisdiction; the strictest rules when it is unknown or not covered.
    public func law(for jurisdiction: JurisdictionCode?) -> any JurisdictionLaw {
        guard let code = jurisdiction, let law = byLetters[code.countryIndex] else { return strictest }
        return law
    }


    /// Every rule, each once, grouped by jurisdiction in a stable order.
    public var allRules: [Rule] {
        var seen = Set<String>()
        var result: [Rule] = []
        let order = ["GB"] + EuropeanUnionLaw.memberStates.sorted() + ["US", "CA"]
        for country in order {
            for rule in laws[country]!.rules where seen.insert(rule.id).inserted { result.append(rule) }
        }
        for rule in strictest.rules where seen.insert(rule.id).inserted { result.append(rule) }
        return result
    }
}
