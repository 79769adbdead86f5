import Foundation
import OptGateCore
@testable import OptGateLedger
import OptGateScenario
import Testing

/// The NDJSON reader reads event and contact lines straight from their bytes; every line must come
/// out exactly as the full reader (`JSONParser`, then `ImportLineDecoder`) reads it: the same items,
/// or the same problems named by line, column and field.
@Suite("NDJSON direct reading")
struct DirectLineDecoderTests {
    /// What the full reader makes of one line (the path every line took before direct reading).
    static func fullReading(_ text: String, line: Int) -> ImportLine {
        do {
            return ImportLineDecoder.items(try JSONParser.parse(text), line: line)
        } catch {
            return ImportLine(line: line, problems: [ImportProblem(line: line, column: error.position.column, field: "", message: "invalid JSON: \(error.message)")])
        }
    }

    static func reading(_ text: String) -> [ImportLine] {
        var reader = NDJSONReader(data: Data(text.utf8))
        var lines: [ImportLine] = []
        while let line = reader.next() { lines.append(line) }
        return lines
    }

    /// Lines as a large import has them: every event type, contacts, evidence, identifiers.
    static let goodLines: [String] = [
        #"{"record":"contact","id":"c0","email":"person0@example.com","phone":"+447000000000","jurisdiction":"GB","subscriber":"individual"}"#,
        #"{"record":"contact","id":"c1","email":"Person1@Example.com","phone":"+447000000001","jurisdiction":"US-CA","subscriber":"corporate"}"#,
        #"{"record": "contact", "id": "c-2", "email": "Bob@Example.org", "phone": "07700 900123", "jurisdiction": "GB"}"#,
        #"{"record": "contact", "email": "carol@example.net"}"#,
        #"{"record": "contact", "id": "c-3", "subscriber": "sole_trader"}"#,
        #"{"record":"event","contact":"c1","id":"e0","at":"2024-10-08T06:16:28Z","type":"details_collected","by":"acme-retail","context":"newsletter_signup","products":["p9"],"channels":["email","sms"],"refusal_offered":true,"evidence":{"collection_point":"web checkout","ip":"203.0.220.126"}}"#,
        #"{"record":"event","contact":"c1","id":"e1","at":"2021-09-10T18:00:13Z","type":"marketing_sent","by":"acme-finance","channel":"email","products":["p18"]}"#,
        #"{"record":"event","contact":"c0","id":"e2","at":"2022-01-01T00:00:00Z","type":"consent_given","to":["acme-retail"],"channels":["sms"],"purposes":["marketing"],"method":"double_opt_in","notice_version":"v2","source":"web","evidence":{"collection_point":"signup form","ip":"198.51.7.9","user_agent":"Mozilla/5.0"}}"#,
        #"{"record":"event","contact":"c0","id":"e3","at":"2022-01-01T00:00:00Z","type":"consent_given","to":["a","b"],"channels":["email","post"],"purposes":["marketing","fundraising","marketing"],"products":["p1"],"method":"signed_form","collected_by":"a","expires_at":"2024-01-01T00:00:00Z"}"#,
        #"{"record":"event","contact":"c0","id":"e4","at":"2023-05-05T10:00:00Z","type":"opt_out","channels":["live_call"],"via":"sms_stop"}"#,
        #"{"record":"event","contact":"c0","id":"e5","at":"2023-05-05T10:00:00Z","type":"opt_out"}"#,
        #"{"record":"event","contact":"c0","id":"e6","at":"2023-05-05T10:00:00Z","type":"opt_out","products":["p1","p2"],"entity":"acme","via":"preference_centre","until":"2023-08-01T00:00:00Z"}"#,
        #"{"record":"event","contact":"c0","id":"e7","at":"2023-05-05T10:00:00Z","type":"register_listed","register":"tps"}"#,
        #"{"record":"event","contact":"c0","id":"e8","at":"2023-05-05T10:00:00Z","type":"register_removed","register":"us_dnc"}"#,
        #"{"record":"event","contact":"c0","id":"e9","at":"2023-05-05T10:00:00Z","type":"gpc_signal","value":false}"#,
        #"{"record":"event","contact":"c0","at":"2023-05-05T10:00:00Z","type":"gpc_signal","value":true}"#,
        #"{"contact":"c0","id":"e10","at":"2023-05-05T10:00:00Z","type":"details_collected","by":"acme","from":"third_party","context":"sale","channels":[],"refused":true}"#,
        #"{"record": "event", "email": " Ann@Example.com", "id": "e11", "type": "opt_out", "at": "2026-01-02T00:00:00Z", "via": "link", "evidence": {"collection_point": "footer", "ip": "203.0.113.9"}}"#,
        #"{"record": "event", "phone": "+447700900123", "id": "e12", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}"#,
        #"{"record": "event", "contact": "c-2", "jurisdiction": "IE", "subscriber": "individual", "email": "x@example.ie", "id": "e13", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": false}"#,
        #"{"record": "event", "contact": "c-2", "id": "e14", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": false, "evidence": {}}"#,
        #"{"record": "event", "contact": "c-2", "id": "e15", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": false, "evidence": {"actor": "agent 7", "reason": "phoned in", "user_agent": "Phone"}}"#,
        "\t{ \"record\" : \"event\" ,\"contact\":\"c-2\",\r\"id\":\"e16\" , \"type\":\"gpc_signal\",\"at\":\"2026-01-02T00:00:00Z\",\"value\" : true }  ",
        #"{"record": "event", "contact": "c-ü", "id": "é-17", "type": "marketing_sent", "at": "2026-01-02T00:00:00+01:00", "by": "acme", "channel": "post", "products": ["Füße"]}"#,
        #"{"record": "event", "contact": "c-2", "id": "e18", "type": "consent_given", "at": "2026-01-02T00:00:00.5Z", "to": ["acme"], "channels": ["email"], "purposes": ["campaigning"], "method": "verbal_recorded"}"#,
        #"{"record": "event", "contact": "c-2", "id": "e19", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "max_per_30_days": 4}"#,
        #"{"record": "event", "contact": "c-2", "id": "e20", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "entity": "acme", "channels": ["email", "sms"], "max_per_30_days": 10000}"#,
        #"{"record": "event", "contact": "c-2", "id": "e21", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "channels": []}"#,
        #"{"record": "event", "contact": "c-2", "id": "e22", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "max_per_30_days": 1 }"#,
    ]

    /// Lines the direct reader leaves to the full reader: other records, escapes, nulls, numbers,
    /// and every kind of mistake.
    static let otherLines: [String] = [
        #"{"record": "entity", "id": "acme", "kind": "company"}"#,
        #"{"record": "product", "id": "p", "similar_to": []}"#,
        #"{"record": "policy", "uk_soft_opt_in_months": 12}"#,
        #"{"record": "notice", "version": "v1", "text": "Tick"}"#,
        #"{"record": "event", "contact": "c-1", "id": "f1", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "max_per_30_days": 0}"#,
        #"{"record": "event", "contact": "c-1", "id": "f1a", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "max_per_30_days": 10001}"#,
        #"{"record": "event", "contact": "c-1", "id": "f1b", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "max_per_30_days": 4.0}"#,
        #"{"record": "event", "contact": "c-1", "id": "f1c", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "max_per_30_days": 4e1}"#,
        #"{"record": "event", "contact": "c-1", "id": "f1d", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "max_per_30_days": -4}"#,
        #"{"record": "event", "contact": "c-1", "id": "f1e", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "max_per_30_days": "4"}"#,
        #"{"record": "event", "contact": "c-1", "id": "f1f", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "max_per_30_days": null}"#,
        #"{"record": "event", "contact": "c-1", "id": "f1g", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "max_per_30_days": 0004}"#,
        #"{"record": "event", "contact": "c-1", "id": "f1h", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "max_per_30_days": 4x}"#,
        #"{"record": "event", "contact": "c-1", "id": "f1k", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "max_per_30_days": 99999999999999999999999}"#,
        #"{"record": "event", "contact": "c-1", "id": "f1i", "type": "frequency_set", "at": "2026-01-02T00:00:00Z", "channels": ["pigeon"]}"#,
        #"{"record": "event", "contact": "c-1", "id": "f1j", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": 4}"#,
        #"{"record": "event", "contact": "c-1", "id": "f2", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true, "evidence": {"collection_point": "line\nbreak"}}"#,
        #"{"record": "event", "contact": "c\u002D1", "id": "f3", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}"#,
        #"{"record": "event", "contact": "c-1", "id": null, "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}"#,
        #"{"record": "event", "contact": "c-1", "id": "f5", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": 1}"#,
        #"{"record": "event", "contact": "c-1", "id": "f6", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true, "value": false}"#,
        #"{"record": "event", "contact": "c-1", "id": "f7", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true, "colour": "blue"}"#,
        #"{"record": "event", "contact": "c-1", "id": "f8", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true, "register": "tps"}"#,
        #"{"record": "event", "contact": "c-1", "id": "", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}"#,
        #"{"record": "event", "contact": "c-1", "id": "f10", "type": "gpc_signal", "at": "2026-02-30T00:00:00Z", "value": true}"#,
        #"{"record": "event", "contact": "c-1", "id": "f11", "type": "opt_out", "at": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"}"#,
        #"{"record": "event", "contact": "c-1", "id": "f12", "type": "consent_given", "at": "2026-01-02T00:00:00Z", "to": [], "channels": ["email"], "purposes": ["marketing"], "method": "unticked_box"}"#,
        #"{"record": "event", "contact": "c-1", "id": "f13", "type": "consent_given", "at": "2026-01-02T00:00:00Z", "to": ["acme"], "channels": ["email"], "purposes": ["marketing"]}"#,
        #"{"record": "event", "contact": "c-1", "id": "f14", "type": "marketing_sent", "at": "2026-01-02T00:00:00Z", "by": "acme", "channel": "pigeon"}"#,
        #"{"record": "event", "contact": "c-1", "id": "f15", "type": "details_collected", "at": "2026-01-02T00:00:00Z", "by": "acme", "context": "sale", "channels": ["email", "telegram"]}"#,
        #"{"record": "event", "contact": "c-1", "id": "f16", "type": "purchase", "at": "2026-01-02T00:00:00Z"}"#,
        #"{"record": "event", "id": "f17", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}"#,
        #"{"record": "event", "contact": "c-1", "jurisdiction": "UK", "id": "f18", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}"#,
        #"{"record": "event", "contact": "c-1", "phone": "07700 900124", "id": "f19", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}"#,
        #"{"record": "event", "contact": "c-1", "id": "f20", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true, "evidence": {"ip": "192.0.2.1", "browser": "x"}}"#,
        #"{"record": "event", "contact": "c-1", "id": "f21", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true, "evidence": "web"}"#,
        #"{"record": "event", "contact": "c-1", "id": "f22", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true} x"#,
        #"{"record": "event", "contact": "c-1", "id": "f23", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": tru}"#,
        #"{"record": "event", "contact": "c-1", "id": "f24", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true"#,
        #"{"record": "event", "contact": "c-1", "id": "f25", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true,}"#,
        #"{"record": "contact", "id": "c-5", "email": "not an email"}"#,
        #"{"record": "contact", "id": "c-6", "colour": "blue"}"#,
        #"{"record": "contact", "id": "c-7", "type": "gpc_signal"}"#,
        #"{"record": "contact"}"#,
        #"{"record": "person", "id": "c-8"}"#,
        #"{"id": "c-9"}"#,
        #"{}"#,
        #"[]"#,
        #""record""#,
        #"{"record": "contact", "id": "c-10", "subscriber": "company"}"#,
        #"{"record": "event", "contact": "c-1", "id": "f26", "type": "register_listed", "at": "2026-01-02T00:00:00Z"}"#,
        #"{"record": "event", "contact": "c-1", "id": "f27", "type": "opt_out", "at": "2026-01-02T00:00:00Z", "via": "pigeon"}"#,
        #"{"record": ["event"], "contact": "c-1", "id": "f28", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true}"#,
        "{\"record\": \"event\", \"contact\": \"c-1\", \"id\": \"f29\", \"type\": \"gpc_signal\", \"at\": \"2026-01-02T00:00:00Z\", \"value\": true, \"evidence\": {\"actor\": \"\u{7}\"}}",
    ]

    static func direct(_ text: String, line: Int) -> ImportLine? {
        Array(text.utf8).withUnsafeBufferPointer { DirectLineDecoder.items($0, line: line) }
    }

    @Test("the common lines are read directly; the others are left to the full reader")
    func whichLinesAreDirect() {
        for (index, text) in Self.goodLines.enumerated() {
            #expect(Self.direct(text, line: index + 1) != nil, "line \(index + 1) should be read directly")
        }
        for (index, text) in Self.otherLines.enumerated() {
            #expect(Self.direct(text, line: index + 1) == nil, "line \(index + 1) should be left to the full reader")
        }
    }

    @Test("event and contact lines read directly into the full reader's items")
    func goodLinesMatchTheFullReader() {
        let lines = Self.reading(Self.goodLines.joined(separator: "\n") + "\n")
        #expect(lines.count == Self.goodLines.count)
        for (index, line) in lines.enumerated() {
            let full = Self.fullReading(Self.goodLines[index], line: index + 1)
            #expect(full.problems.isEmpty, "line \(index + 1) is meant to be good: \(full.problems)")
            #expect(line.line == index + 1)
            #expect(line.items == full.items, "line \(index + 1)")
            #expect(line.problems.isEmpty)
        }
    }

    @Test("every other line reads as the full reader reads it, with its problems at the same line, column and field")
    func otherLinesMatchTheFullReader() {
        let lines = Self.reading(Self.otherLines.joined(separator: "\n") + "\n")
        #expect(lines.count == Self.otherLines.count)
        for (index, line) in lines.enumerated() {
            let full = Self.fullReading(Self.otherLines[index], line: index + 1)
            #expect(line.items == full.items, "line \(index + 1)")
            #expect(line.problems == full.problems, "line \(index + 1)")
        }
    }

    @Test("mistakes are still named by line and field", arguments: [
        (#"{"record": "event", "contact": "c-1", "id": "x", "type": "gpc_signal", "at": "2026-02-30T00:00:00Z", "value": true}"#, "at"),
        (#"{"record": "event", "contact": "c-1", "id": "x", "type": "marketing_sent", "at": "2026-01-02T00:00:00Z", "by": "acme", "channel": "pigeon"}"#, "channel"),
        (#"{"record": "event", "contact": "c-1", "id": "x", "type": "gpc_signal", "at": "2026-01-02T00:00:00Z", "value": true, "evidence": {"ip": 1}}"#, "evidence.ip"),
        (#"{"record": "contact", "id": "c-5", "email": "not an email"}"#, "email"),
        (#"{"record": "event", "contact": "c-1", "id": "x", "type": "details_collected", "at": "2026-01-02T00:00:00Z", "by": "acme", "context": "sale", "channels": ["email", "telegram"]}"#, "channels[1]"),
    ])
    func mistakes(_ text: String, _ field: String) {
        let lines = Self.reading("\n" + text + "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.items.isEmpty == true)
        #expect(lines.first?.problems.map(\.field) == [field])
        #expect(lines.first?.problems.map(\.line) == [2])
        #expect(lines.first?.problems.first?.column != nil)
    }

    @Test("a generated file reads the same line by line as through the full reader")
    func generatedFile() {
        let text = BulkImportTests.generatedFile(contacts: 40, events: 400)
        let lines = Self.reading(text)
        let source = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == source.count - 1)
        for line in lines {
            let full = Self.fullReading(source[line.line - 1], line: line.line)
            #expect(line.items == full.items, "line \(line.line)")
            #expect(line.problems == full.problems && full.problems.isEmpty, "line \(line.line)")
        }
    }

    /// What `POST /v1/events` made of a body before direct reading: the full reader, with "event"
    /// as the default record.
    static func fullEventReading(_ text: String) -> ImportLine? {
        guard let value = try? JSONParser.parse(text) else { return nil }
        return ImportLineDecoder.items(value, line: 1, defaultRecord: "event")
    }

    static func directEvent(_ text: String) -> ImportLine? {
        Array(text.utf8).withUnsafeBufferPointer { DirectLineDecoder.event($0, line: 1) }
    }

    @Test("an API event body read directly gives the full reader's items; other records and every mistake are left to it")
    func apiEventBodies() {
        let generated = BulkImportTests.generatedFile(contacts: 40, events: 400).split(separator: "\n").map(String.init)
        // Each line as written, and each event line without its "record" member, as API clients send it.
        let bodies = Self.goodLines + Self.otherLines + generated + (Self.goodLines + generated).map {
            $0.replacingOccurrences(of: #""record":"event","#, with: "").replacingOccurrences(of: #""record": "event", "#, with: "")
        }
        var direct = 0
        for body in bodies {
            let full = Self.fullEventReading(body)
            // Left to the full reader: always allowed (it reads everything, as before).
            guard let read = Self.directEvent(body) else { continue }
            direct += 1
            #expect(read.problems.isEmpty, "\(body)")
            #expect(full?.problems == [], "read directly, but the full reader finds problems: \(body)")
            #expect(read.items == full?.items, "\(body)")
            #expect(read.items.contains { if case .event = $0 { true } else { false } }, "\(body)")
        }
        #expect(direct > 400, "most event bodies are read directly (\(direct) were)")
        for body in Self.goodLines where body.contains(#""record":"contact""#) || body.contains(#""record": "contact""#) {
            #expect(Self.directEvent(body) == nil, "a contact record is not an event: \(body)")
        }
        #expect(Self.directEvent(#"{"contact": "c-1", "id": "x", "at": "2026-01-02T00:00:00Z"}"#) == nil, "no type")
    }

}
