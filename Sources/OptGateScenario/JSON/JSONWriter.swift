/// Writes JSON text with members in the order given, so output is stable byte for byte.
public struct JSONWriter: Sendable {
    public let pretty: Bool

    public init(pretty: Bool) { self.pretty = pretty }

    public static func quoted(_ string: String) -> String {
        var out = ""
        appendQuoted(string, to: &out)
        return out
    }

    /// Appends `string` as a JSON string literal, exactly as `quoted` writes it.
    public static func appendQuoted(_ string: String, to out: inout String) {
        // Most strings (ids, codes, dates, sentences) need no escaping: copy them whole.
        if isPlain(string) {
            out.append("\"")
            out.append(string)
            out.append("\"")
            return
        }
        out.append(escaped(string))
    }

    /// Whether `string` has no byte that JSON escapes (a quote, a backslash, a control character).
    /// Scans the contiguous UTF-8 (this runs for every string of every answer).
    static func isPlain(_ string: String) -> Bool {
        var string = string
        return string.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5C { return false }
            return true
        }
    }

    private static func escaped(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON object from already-encoded member values.
    public func object(_ members: [(String, String)]) -> String {
        if members.isEmpty { return "{}" }
        if !pretty {
            var capacity = 2
            for (key, value) in members { capacity += key.utf8.count + value.utf8.count + 4 }
            var out = ""
            out.reserveCapacity(capacity)
            out.append("{")
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(",") }
                Self.appendQuoted(key, to: &out)
                out.append(":")
                out.append(value)
            }
            out.append("}")
            return out
        }
        let body = members.map { "\(Self.quoted($0.0)): \($0.1)" }.joined(separator: ",\n")
        return "{\n" + indent(body) + "\n}"
    }

    /// A JSON array from already-encoded elements.
    public func array(_ elements: [String], multiline: Bool = true) -> String {
        if elements.isEmpty { return "[]" }
        if !pretty || !multiline { return "[" + elements.joined(separator: pretty ? ", " : ",") + "]" }
        return "[\n" + indent(elements.joined(separator: ",\n")) + "\n]"
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}
