import Foundation
import OptGateScenario

/// Reads events (and contact profiles) from CSV, one row each, with a header naming the columns
/// (RFC 4180: comma-separated, double-quoted fields may hold commas, quotes and newlines).
///
/// Columns (any order, all optional but those an event type needs; unknown columns are an error):
/// `contact, email, phone, jurisdiction, subscriber` name and describe the contact;
/// `type, at, id, by, from, context, products, channels, refusal_offered, refused, to, purposes,
/// method, notice_version, source, collected_by, expires_at, via, until, entity, register, channel, value,
/// max_per_30_days`
/// are the contract's event fields; `collection_point, actor, ip, user_agent` are its evidence.
/// Lists (`products`, `channels`, `to`, `purposes`) separate items with `;`. Booleans are
/// `true`/`false` (also `yes`/`no`, `1`/`0`). An empty cell is an absent field. A row with no
/// `type` records only the contact.
public struct CSVReader: ImportFormatReader, Sendable {
    public static let contactColumns = ["contact", "email", "phone", "jurisdiction", "subscriber"]
    public static let eventColumns = [
        "type", "at", "id", "by", "from", "context", "products", "channels", "refusal_offered", "refused", "to", "purposes",
        "method", "notice_version", "source", "collected_by", "expires_at", "via", "until", "entity", "register", "channel", "value", "max_per_30_days",
    ]
    public static let evidenceColumns = ["collection_point", "actor", "ip", "user_agent"]
    static let listColumns: Set<String> = ["products", "channels", "to", "purposes"]
    static let boolColumns: Set<String> = ["refusal_offered", "refused", "value"]
    static let numberColumns: Set<String> = ["max_per_30_days"]

    private var records: CSVRecords
    private var header: [String]?
    private var headerProblems: [ImportProblem] = []
    /// Columns that are unknown or repeated: reported once, skipped in every row.
    private var unknownColumns: Set<Int> = []
    public var bytesRead: Int { records.bytesRead }

    public init(data: Data) {
        records = CSVRecords(data: data)
    }

    public mutating func next() -> ImportLine? {
        if header == nil {
            guard let record = records.next() else { return nil }
            header = record.fields.map { $0.trimmingWhitespace().lowercased() }
            let known = Set(Self.contactColumns + Self.eventColumns + Self.evidenceColumns)
            var seen = Set<String>()
            for (i, name) in header!.enumerated() {
                if !known.contains(name) {
                    unknownColumns.insert(i)
                    headerProblems.append(ImportProblem(line: record.line, column: i + 1, field: name,
                        message: "unknown column \"\(name)\" (expected: \((Self.contactColumns + Self.eventColumns + Self.evidenceColumns).joined(separator: ", ")))"))
                } else if !seen.insert(name).inserted {
                    unknownColumns.insert(i)
                    headerProblems.append(ImportProblem(line: record.line, column: i + 1, field: name, message: "duplicate column \"\(name)\""))
                }
            }
            // The rows are still read and checked (without those columns), so that one pass
            // reports every problem in the file.
            if !headerProblems.isEmpty { return ImportLine(line: record.line, problems: headerProblems) }
        }
        guard let header else { return nil }
        while let record = records.next() {
            if record.unterminated {
                return ImportLine(line: record.line, problems: [ImportProblem(line: record.line, field: "",
                    message: "a quoted field is not closed: the closing \" is missing (everything after it was read as one field)")])
            }
            let fields = record.fields
            if fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            guard fields.count == header.count else {
                return ImportLine(line: record.line, problems: [ImportProblem(line: record.line, field: "",
                    message: "\(fields.count) fields where the header has \(header.count)")])
            }
            let typeColumn = header.firstIndex(of: "type").flatMap { unknownColumns.contains($0) ? nil : $0 }
            let hasType = typeColumn.map { !fields[$0].trimmingWhitespace().isEmpty } ?? false
            return ImportLineDecoder.items(object(header, fields, line: record.line, hasType: hasType), line: record.line,
                                           defaultRecord: hasType ? "event" : "contact", identifiersDescribeContact: true)
        }
        return nil
    }

    /// The row as the JSON object an NDJSON line would hold.
    private func object(_ header: [String], _ fields: [String], line: Int, hasType: Bool) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        var evidence: [(key: String, value: JSONValue)] = []
        for (i, name) in header.enumerated() where !unknownColumns.contains(i) {
            let text = fields[i].trimmingWhitespace()
            guard !text.isEmpty else { continue }
            let position = SourcePosition(line: line, column: i + 1)
            let value: JSONValue
            if Self.listColumns.contains(name) {
                let items = text.split(separator: ";").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
                value = JSONValue(kind: .array(items.map { JSONValue(kind: .string($0), position: position) }), position: position)
            } else if Self.boolColumns.contains(name) {
                switch text.lowercased() {
                case "true", "yes", "1": value = JSONValue(kind: .bool(true), position: position)
                case "false", "no", "0": value = JSONValue(kind: .bool(false), position: position)
                default: value = JSONValue(kind: .string(text), position: position)
                }
            } else if Self.numberColumns.contains(name), Int(text) != nil {
                value = JSONValue(kind: .number(text), position: position)
            } else {
                value = JSONValue(kind: .string(text), position: position)
            }
            if Self.evidenceColumns.contains(name) {
                evidence.append((name, value))
            } else if name == "contact" && !hasType {
                members.append(("id", value))
            } else {
                members.append((name, value))
            }
        }
        if !evidence.isEmpty {
            members.append(("evidence", JSONValue(kind: .object(evidence), position: SourcePosition(line: line, column: 1))))
        }
        return JSONValue(kind: .object(members), position: SourcePosition(line: line, column: 1))
    }
}
