import OptGateLedger
import Testing

/// IP addresses are kept only to their network: the common dotted quad is cut at its last dot
/// directly, everything else as before.
@Suite("Evidence: IP truncation")
struct EvidenceTruncationTests {
    @Test("addresses keep their network only", arguments: [
        ("203.0.113.77", "203.0.113.0"), ("1.2.3.4", "1.2.3.0"), ("01.2.3.004", "01.2.3.0"), ("255.255.255.255", "255.255.255.0"),
        ("1..2.3.4", "1.2.3.0"), (".1.2.3.4", "1.2.3.0"), ("1.2.3.4.", "1.2.3.0"), ("1.2.3", "1.2.3"), ("1.2.3.4.5", "1.2.3.4.5"),
        ("a.b.c.d", "a.b.c.0"), ("2001:db8:85a3:8d3::1", "2001:db8:85a3::"), ("::1", "::1::"), ("not an address at all", "not an address a"),
    ])
    func truncation(_ address: String, _ kept: String) {
        #expect(EventEvidence.truncate(address) == kept)
        #expect(EventEvidence(ip: address).ip == kept)
    }
}
