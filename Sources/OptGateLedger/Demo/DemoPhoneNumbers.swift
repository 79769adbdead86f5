import OptGateCore

/// Phone numbers for demo contacts: E.164 mobile numbers of each contact's country, in its real
/// numbering plan (UK 077, Irish 087, German 0151, North American area codes with a valid exchange),
/// unique per contact.
///
/// The subscriber digits are an affine bijection of the contact's index (multiplied by 48271, a
/// prime, modulo the size of the block), so neighbouring contacts get unrelated-looking numbers and
/// no two contacts below `DemoContacts.maximumCount` share one. Numbers no contact has (for audience
/// files) come from a block no contact draws from: UK 078.
enum DemoPhoneNumbers {
    /// The number of contact `index` in `jurisdiction`; `pick` chooses among the country's area codes.
    static func number(index: Int, jurisdiction: JurisdictionCode, pick: Int) -> String {
        switch jurisdiction.country {
        case "GB": return "+4477" + digits(scramble(index, block: 100_000_000), width: 8)
        case "IE": return "+35387" + digits(scramble(index, block: 10_000_000), width: 7)
        case "DE": return "+49151" + digits(scramble(index, block: 100_000_000), width: 8)
        case "CA": return northAmerican(index: index, areaCodes: canadianAreaCodes, pick: pick)
        default:
            let codes = jurisdiction.subdivision == "CA" ? californianAreaCodes : usAreaCodes
            return northAmerican(index: index, areaCodes: codes, pick: pick)
        }
    }

    /// The `k`-th number no contact has.
    static func unknown(_ k: Int) -> String {
        "+4478" + digits(scramble(k, block: 100_000_000), width: 8)
    }

    static let usAreaCodes = ["212", "312", "617", "206", "713", "305", "404", "602"]
    static let californianAreaCodes = ["415", "310", "213", "916", "619"]
    static let canadianAreaCodes = ["416", "604", "514", "403", "613"]

    /// Central office codes run 200 to 999 except the N11 service codes (211, 311, ... 911): 792 of
    /// them, each with 10,000 line numbers.
    private static let exchanges: [Int] = (200...999).filter { $0 % 100 != 11 }

    private static func northAmerican(index: Int, areaCodes: [String], pick: Int) -> String {
        let local = scramble(index, block: exchanges.count * 10_000)
        return "+1" + areaCodes[pick % areaCodes.count] + String(exchanges[local / 10_000]) + digits(local % 10_000, width: 4)
    }

    /// A bijection of `0..<block` (48271 is prime and divides no block size used here).
    private static func scramble(_ index: Int, block: Int) -> Int {
        (index % block * 48271 + 1_234_567) % block
    }

    /// `value` in decimal, zero-padded to `width` digits.
    static func digits(_ value: Int, width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
