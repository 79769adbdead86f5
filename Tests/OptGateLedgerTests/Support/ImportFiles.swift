import Foundation
import OptGateCore
import OptGateLedger

/// Import file texts the tests share.
enum ImportFiles {
    /// The organisation as NDJSON: 8 records.
    static let organisation = """
        {"record": "entity", "id": "acme", "kind": "company", "group": "acme-group", "valid_from": "2024-01-01T00:00:00Z"}
        {"record": "entity", "id": "acme-travel", "kind": "company", "group": "acme-group", "valid_from": "2024-01-01T00:00:00Z"}
        {"record": "entity", "id": "helping-hands", "kind": "charity", "valid_from": "2024-01-01T00:00:00Z"}
        {"record": "product", "id": "laptops", "valid_from": "2024-01-01T00:00:00Z"}
        {"record": "product", "id": "accessories", "similar_to": ["laptops"], "reasoning": "bought with laptops", "valid_from": "2024-01-01T00:00:00Z"}
        {"record": "product", "id": "holidays", "valid_from": "2024-01-01T00:00:00Z"}
        {"record": "policy", "valid_from": "2024-01-01T00:00:00Z", "uk_soft_opt_in_months": 24}
        {"record": "notice", "version": "v1", "text": "Tick to get our offers by email.", "valid_from": "2024-01-01T00:00:00Z"}

        """

    /// Ann (c-1, GB) bought a laptop from acme with her email and phone, and consented to acme's
    /// email marketing; Bob (c-2, IE) bought one too. 5 entries with personal data: both profiles,
    /// and the three events' IP addresses and user agents.
    static let people = """
        {"record": "contact", "id": "c-1", "email": "Ann.Smith@Example.com", "phone": "+44 7700 900123", "jurisdiction": "GB", "subscriber": "individual"}
        {"record": "event", "contact": "c-1", "id": "ord-1", "type": "details_collected", "at": "2025-11-02T12:00:00Z", "by": "acme", "context": "sale", "products": ["laptops"], "channels": ["email", "sms"], "refusal_offered": true, "evidence": {"collection_point": "web checkout", "ip": "203.0.113.77", "user_agent": "Mozilla/5.0"}}
        {"record": "event", "email": "ann.smith@example.com", "id": "cons-1", "type": "consent_given", "at": "2025-11-02T12:01:00Z", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"], "method": "unticked_box", "notice_version": "v1", "evidence": {"collection_point": "web checkout", "ip": "203.0.113.77"}}
        {"record": "contact", "id": "c-2", "email": "bob@example.org", "jurisdiction": "IE", "subscriber": "individual"}
        {"record": "event", "contact": "c-2", "id": "ord-2", "type": "details_collected", "at": "2025-10-01T09:00:00Z", "by": "acme", "context": "sale", "products": ["laptops"], "channels": ["email"], "refusal_offered": true, "evidence": {"ip": "198.51.100.7"}}

        """

    /// One NDJSON event line.
    static func event(_ fields: String) -> String { "{\"record\": \"event\", \(fields)}\n" }
}

extension Message {
    /// acme's email marketing of laptops.
    static let acmeLaptopsByEmail = Message(from: Org.acme, channel: .email, products: ["laptops"])
}

extension Decision {
    var reasonCodes: [ReasonCode] { reasons.map(\.code) }
}
