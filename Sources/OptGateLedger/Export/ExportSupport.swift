import Crypto
import Foundation
import OptGateCore
import OptGateScenario

/// Small helpers shared by the export formats (evidence pack, consent receipts).
enum ExportJSON {
    static func q(_ text: String) -> String { JSONWriter.quoted(text) }
    static func optional(_ text: String?) -> String { text.map(q) ?? "null" }
    static func bool(_ flag: Bool) -> String { flag ? "true" : "false" }
    static func time(_ instant: Timestamp?) -> String { instant.map { q($0.rfc3339) } ?? "null" }
    /// A one-line array of strings: `["a", "b"]`.
    static func strings(_ list: [String]) -> String { "[" + list.map(q).joined(separator: ", ") + "]" }
    /// A one-line object of already-encoded (one-line) values: `{"a": 1, "b": "x"}`.
    static func inline(_ members: [(String, String)]) -> String {
        "{" + members.map { "\(q($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// Lower-case hex of bytes.
    static func hex(_ bytes: Data) -> String { Hex.string(bytes) }

    /// SHA-256 of a text's UTF-8, hex.
    static func sha256(_ text: String) -> String { hex(Data(SHA256.hash(data: Data(text.utf8)))) }

    /// The notice versions a contact's consents refer to, in order of first reference.
    static func referencedNoticeVersions(_ history: ContactHistory) -> [String] {
        var seen: Set<String> = []
        var versions: [String] = []
        for event in history.events {
            guard case .consentGiven(let consent) = event.kind, let version = consent.noticeVersion else { continue }
            if seen.insert(version).inserted { versions.append(version) }
        }
        return versions
    }

    /// The contact's latest recorded profile (chain order).
    static func latestProfile(_ history: ContactHistory) -> ContactProfile? {
        history.entries.last { if case .contact = $0.record { return true } else { return false } }.flatMap {
            if case .contact(let profile) = $0.record { return profile } else { return nil }
        }
    }
}
