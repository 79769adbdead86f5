import Foundation

/// The recipients of a campaign, from a CSV file with a header naming the column that identifies
/// them: `email`, `phone` (E.164, or national with a `country` column) or `contact` (OptGate's id).
/// Other columns are ignored. Read as a stream over the mapped file, a row at a time.
///
/// A row whose address cannot be read is not an error of the file: it is a recipient to exclude,
/// with the reason. A header without an identifying column is an error naming the line.
public struct AudienceReader: Sendable {
    /// What identifies the recipients.
    public enum Key: String, CaseIterable, Sendable {
        case email, phone, contact
    }

    /// How a row names its recipient.
    public enum Lookup: Hashable, Sendable {
        case contact(String)
        case identifier(Identifier)
        /// The address cannot be read: why.
        case invalid(String)
    }

    public struct Row: Hashable, Sendable {
        /// The line of the file the row is on.
        public var line: Int
        /// The recipient as the file gives it (echoed in the outputs).
        public var recipient: String
        public var lookup: Lookup

        public init(line: Int, recipient: String, lookup: Lookup) {
            self.line = line
            self.recipient = recipient
            self.lookup = lookup
        }
    }

    /// A file that is not an audience: the line and what is wrong.
    public struct HeaderError: Error, CustomStringConvertible, Sendable {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    public let key: Key
    private var records: CSVRecords
    private let column: Int
    private let countryColumn: Int?

    public init(data: Data) throws(HeaderError) {
        var records = CSVRecords(data: data)
        guard let header = records.next() else { throw HeaderError(line: 1, message: "the file is empty: a header line is expected") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let keys = Key.allCases.filter { names.contains($0.rawValue) }
        guard keys.count == 1, let key = keys.first else {
            throw HeaderError(line: header.line, message: keys.isEmpty
                ? "no column names the recipients: the header needs one of email, phone, contact (found: \(names.joined(separator: ", ")))"
                : "several columns name the recipients (\(keys.map(\.rawValue).joined(separator: ", "))): keep one")
        }
        guard names.filter({ $0 == key.rawValue }).count == 1 else {
            throw HeaderError(line: header.line, message: "the column \(key.rawValue) appears twice")
        }
        self.key = key
        self.records = records
        column = names.firstIndex(of: key.rawValue)!
        countryColumn = names.firstIndex(of: "country")
    }

    /// Bytes consumed so far (for progress).
    public var bytesRead: Int { records.bytesRead }

    /// Whether every row has been read.
    public var isAtEnd: Bool { records.isAtEnd }

    /// A reader of the next `count` lines' records only (fewer at the end), which this reader then
    /// skips: parts of one audience, read on different threads, each row with its own line.
    public mutating func split(records count: Int) -> AudienceReader {
        var part = self
        part.records = records.split(records: count)
        return part
    }

    /// Every row left.
    public mutating func rows() -> [Row] {
        var rows: [Row] = []
        while let row = next() { rows.append(row) }
        return rows
    }

    /// The next recipient; blank lines are skipped.
    public mutating func next() -> Row? {
        while let record = records.next() {
            if record.fields.count == 1 && Self.trimmed(record.fields[0]).isEmpty { continue }
            let text = column < record.fields.count ? Self.trimmed(record.fields[column]) : ""
            return Row(line: record.line, recipient: text, lookup: lookup(text, record))
        }
        return nil
    }

    /// A field without the spaces and tabs around it (Foundation's `.whitespaces`); the usual field,
    /// with none, is returned as it is without Foundation's work.
    static func trimmed(_ field: String) -> String {
        if let first = field.utf8.first, let last = field.utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return field }
        return field.trimmingCharacters(in: .whitespaces)
    }

    private func lookup(_ text: String, _ record: CSVRecords.Record) -> Lookup {
        if record.unterminated { return .invalid("a quoted field is not closed") }
        guard !text.isEmpty else { return .invalid("no \(key.rawValue) on this row") }
        switch key {
        case .contact:
            return .contact(text)
        case .email:
            do { return .identifier(try Identifier.email(text)) } catch { return .invalid(error.description) }
        case .phone:
            let country = countryColumn.flatMap { $0 < record.fields.count ? Self.trimmed(record.fields[$0]) : nil }
            do { return .identifier(try Identifier.phone(text, country: country?.isEmpty == false ? country : nil)) } catch {
                return .invalid(error.description)
            }
        }
    }
}
