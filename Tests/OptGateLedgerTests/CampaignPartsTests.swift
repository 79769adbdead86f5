import Fuzzing
import Crypto
import Foundation
import OptGateCore
@testable import OptGateLedger
import Testing

/// The pieces the campaign check splits its work into (issue 6) must change nothing: an audience
/// read in parts is the same rows, counts and samples merged from parts are the counts and samples
/// of the whole, and the shortcuts taken for the usual address give what the general path gives.
@Suite("Campaign check in parts")
struct CampaignPartsTests {
    /// A CSV with quoted fields holding commas, doubled quotes and line breaks, CRLF and LF endings,
    /// blank lines and an unterminated quote at the end.
    static func awkwardCSV(_ rng: inout SeededGenerator) -> String {
        var text = "\u{FEFF}email,name\n"
        for n in 0..<Int.random(in: 1...60, using: &rng) {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: text += "\"p\(n)@example.com\",\"a, \"\"b\"\"\nc\"\r\n"
            case 1: text += "\n"
            case 2: text += "p\(n)@example.com,\"\"\n"
            case 3: text += " P\(n)@Example.COM ,x\"y\n"
            default: text += "p\(n)@example.com,plain\n"
            }
        }
        if Bool.random(using: &rng) { text += "\"last@example.com,never closed\n" }
        return text
    }

    @Test("an audience read in parts of any size gives the rows, with their lines, of one read", arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func audienceInParts(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let data = Data(Self.awkwardCSV(&rng).utf8)
        var whole = try AudienceReader(data: data)
        let expected = whole.rows()
        for size in [1, 2, 3, 7, 1000] {
            var reader = try AudienceReader(data: data)
            var rows: [AudienceReader.Row] = []
            while !reader.isAtEnd {
                var part = reader.split(records: size)
                rows += part.rows()
            }
            #expect(rows == expected, "parts of \(size)")
            #expect(reader.bytesRead == data.count)
        }
    }

    @Test("counts and samples merged from consecutive parts are those of the whole audience", arguments: [UInt64(31), 32, 33])
    func summaryInParts(seed: UInt64) throws {
        let scratch = try CampaignFilterTests.ledger(seed: seed, count: 30)
        var rng = SeededGenerator(seed: seed)
        let rows = try CampaignFilterTests.audience(&rng, contacts: 30)
        let now = Day.at(2026, 3, 1)
        var filter = CampaignFilter(ledger: scratch.ledger, message: CampaignFilterTests.message(&rng), at: now)
        let verdicts = try filter.check(rows)
        var whole = CampaignSummary()
        var wholeSamples = CampaignSamples(perReason: 2)
        for verdict in verdicts {
            whole.add(verdict, now: now)
            wholeSamples.add(verdict)
        }
        var merged = CampaignSummary()
        var mergedSamples = CampaignSamples(perReason: 2)
        var start = 0
        while start < verdicts.count {
            let end = min(verdicts.count, start + Int.random(in: 1...9, using: &rng))
            var part = CampaignSummary()
            var partSamples = CampaignSamples(perReason: 2)
            for verdict in verdicts[start..<end] {
                part.add(verdict, now: now)
                partSamples.add(verdict)
            }
            merged.merge(part)
            mergedSamples.merge(partSamples)
            start = end
        }
        #expect(merged.members.map(\.1) == whole.members.map(\.1))
        #expect(mergedSamples.byReason.mapValues { $0.map(\.line) } == wholeSamples.byReason.mapValues { $0.map(\.line) })
        // Each excluded recipient is counted once under each distinct code it fails.
        let expected = verdicts.filter { !$0.send }.reduce(into: [String: Int]()) { counts, verdict in
            for code in Set(verdict.exclusionCodes) { counts[code, default: 0] += 1 }
        }
        #expect(whole.byReason == expected)
    }

    @Test("reason codes need no CSV quoting (excluded.csv writes them as they are)")
    func reasonCodesArePlain() {
        for code in ReasonCode.allCases {
            #expect(code.rawValue.utf8.allSatisfy { $0 != 0x2C && $0 != 0x22 && $0 != 0x0A && $0 != 0x0D && $0 != 0x3B }, "\(code)")
        }
    }

    /// The general path `Identifier.email` had before its shortcut for plain ASCII addresses.
    static func referenceEmail(_ raw: String) -> String? {
        var slice = Substring(raw)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        let text = String(slice).lowercased()
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
              !parts[1].hasSuffix("."), !text.contains(where: { $0 == " " || $0 == "," || $0 == ";" })
        else { return nil }
        return text
    }

    @Test("email addresses read as the general path reads them, whatever their bytes")
    func emailShortcut() {
        var rng = SeededGenerator(seed: 77)
        let pieces = ["a", "B", "z", "Z", "0", ".", "@", "@", " ", ",", ";", "-", "_", "+", "é", "É", "\t", "\u{00A0}", "ß", "İ", "\r\n", "x"]
        var inputs = ["Ann@Example.com", "ann@example.com.", ".@a.b", "a@.b", "a@b.", "a@b", "@b.c", "a@@b.c", " a@b.c", "a@b.c ", "ÅSA@EXAMPLE.COM"]
        for _ in 0..<3000 {
            inputs.append((0..<Int.random(in: 1...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
        for raw in inputs {
            let value = try? Identifier.email(raw).value
            #expect(value == Self.referenceEmail(raw), "\(raw.debugDescription)")
        }
    }

    @Test("identifier and contact keys are HMAC-SHA256 under the secret of kind:value, as stored ledgers have them")
    func keys() throws {
        let secret = LedgerSecret(bytes: Array(0..<32))
        func mac(_ text: String) -> Data {
            Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Array(UInt8(0)..<32))))
        }
        #expect(secret.key(for: try Identifier.email("Ann@Example.com")) == mac("email:ann@example.com"))
        #expect(secret.key(for: try Identifier.phone("+44 7700 900123")) == mac("phone:+447700900123"))
        #expect(secret.key(forContactID: "c-ü-1") == mac("contact:c-ü-1"))
        // A secret longer than SHA-256's block is hashed first, as RFC 2104 says.
        let long = LedgerSecret(bytes: (0..<100).map { UInt8($0) })
        #expect(long.key(for: try Identifier.email("a@b.co")) ==
            Data(HMAC<SHA256>.authenticationCode(for: Data("email:a@b.co".utf8), using: SymmetricKey(data: (0..<100).map { UInt8($0) }))))
    }
}
