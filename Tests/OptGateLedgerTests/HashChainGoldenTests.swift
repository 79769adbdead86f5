import Foundation
import OptGateCore
import OptGateLedger
import Testing

/// The chain's hashes are fixed forever: ledgers written by earlier versions must verify. These
/// vectors were computed independently of OptGate (SHA-256 over the length-prefixed fields, as
/// `HashChain` documents) and checked against the hashes of a ledger written before the import
/// was made faster.
@Suite("Hash chain: fixed vectors")
struct HashChainGoldenTests {
    static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }

    @Test("entries hash to the same bytes as ever")
    func vectors() {
        let first = HashChain.hash(
            previous: HashChain.genesis, seq: 1, recordedAt: Timestamp(secondsSinceEpoch: 1_767_225_600), kind: .event,
            contactID: "c-1", entryID: "event:e1", occurredAt: Timestamp(secondsSinceEpoch: 1_609_459_200),
            body: #"{"contact":"c-1"}"#, personalDataDigest: nil)
        #expect(Self.hex(first) == "51034392e8ed323bd397e8f213ad0fd50068c8c8acf69b9e75ff5b39884cb02a")

        let beforeEpoch = HashChain.hash(
            previous: Data(0..<32), seq: 42, recordedAt: Timestamp(secondsSinceEpoch: 1_767_225_600), kind: .event,
            contactID: "c-1", entryID: "event:e1", occurredAt: Timestamp(secondsSinceEpoch: -86_401),
            body: #"{"contact":"c-ü"}"#, personalDataDigest: Data(repeating: 7, count: 32))
        #expect(Self.hex(beforeEpoch) == "92a11fb1d5408d6b254f193102406d42db9475f786806090c1a7020e174ca74c")

        let withoutTime = HashChain.hash(
            previous: HashChain.genesis, seq: 7, recordedAt: Timestamp(secondsSinceEpoch: 0), kind: .contact,
            contactID: "c-2", entryID: nil, occurredAt: nil, body: #"{"id":"c-2"}"#, personalDataDigest: Data(repeating: 1, count: 32))
        #expect(Self.hex(withoutTime) == "c46097a86d33dac1b458dee3f877eaa166547458edd3b06c8effe9bdc8b77eac")
    }
}
