import Foundation
import HTTPTypes
import Hummingbird

/// The fields of an HTML form post: `application/x-www-form-urlencoded`, or `multipart/form-data`
/// (which RFC 8058 §3.2 says one-click unsubscribe posts SHOULD use). Repeated names keep every
/// value in order.
struct FormBody {
    private(set) var fields: [(name: String, value: String)] = []

    init(bytes: [UInt8], contentType: String?) {
        let type = contentType?.lowercased() ?? ""
        if type.hasPrefix("multipart/form-data"), let boundary = Self.boundary(contentType ?? "") {
            fields = Self.multipart(bytes, boundary: boundary)
        } else {
            fields = Self.urlencoded(String(decoding: bytes, as: UTF8.self))
        }
    }

    func first(_ name: String) -> String? { fields.first { $0.name == name }?.value }
    func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    static func urlencoded(_ text: String) -> [(name: String, value: String)] {
        // What every mailbox provider posts: no decoding needed.
        if text == "List-Unsubscribe=One-Click" { return [("List-Unsubscribe", "One-Click")] }
        return text.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), !name.isEmpty else { return nil }
            return (name, parts.count > 1 ? decode(parts[1]) ?? "" : "")
        }
    }

    private static func decode(_ text: Substring) -> String? {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(text) }
        return text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    private static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            return value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? String(value.dropFirst().dropLast()) : value
        }
        return nil
    }

    /// Parts separated by `--boundary`, each with headers, a blank line and its value.
    private static func multipart(_ bytes: [UInt8], boundary: String) -> [(name: String, value: String)] {
        let text = String(decoding: bytes, as: UTF8.self)
        var fields: [(String, String)] = []
        for part in text.components(separatedBy: "--" + boundary).dropFirst() {
            if part.hasPrefix("--") { break }
            guard let split = part.range(of: "\r\n\r\n") ?? part.range(of: "\n\n") else { continue }
            let headers = part[..<split.lowerBound]
            var value = String(part[split.upperBound...])
            // "\r\n" is one Character in Swift.
            if value.hasSuffix("\r\n") || value.hasSuffix("\n") { value.removeLast() }
            guard let disposition = headers.split(whereSeparator: \.isNewline).first(where: {
                      $0.lowercased().hasPrefix("content-disposition:")
                  }),
                  let nameRange = disposition.range(of: "name=\"")
            else { continue }
            let rest = disposition[nameRange.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { continue }
            fields.append((String(rest[..<end]), value))
        }
        return fields
    }
}

extension HTTPField.Name {
    /// Global Privacy Control (GPC spec §"The Sec-GPC Header Field").
    static var secGPC: Self { .init("Sec-GPC")! }
    /// Fetch metadata: where a request came from (`same-origin`, `cross-site`, `none`).
    static var secFetchSite: Self { .init("Sec-Fetch-Site")! }
}
