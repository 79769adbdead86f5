/// Collects problems while a document is decoded, so that one pass reports every one of them.
public final class Diagnostics {
    public init() {}
    public private(set) var problems: [ScenarioError.Problem] = []

    public func report(_ path: String, _ position: SourcePosition?, _ message: String) {
        problems.append(ScenarioError.Problem(path: path, position: position, message: message))
    }

    public var isEmpty: Bool { problems.isEmpty }
}

/// Reads the members of one JSON object, remembering which were read so that the rest can be
/// reported as unknown fields.
public struct ObjectReader {
    public let path: String
    public let value: JSONValue
    public let diagnostics: Diagnostics
    /// Members in document order. Objects here have a handful of members, so a scan beats hashing.
    private let members: [(key: String, value: JSONValue)]
    private var read: [Bool]

    /// nil (after reporting) when `value` is not an object.
    public init?(_ value: JSONValue, path: String, _ diagnostics: Diagnostics) {
        guard case .object(let members) = value.kind else {
            diagnostics.report(path, value.position, "expected an object, found \(value.typeName)")
            return nil
        }
        self.path = path
        self.value = value
        self.diagnostics = diagnostics
        self.members = members
        self.read = Array(repeating: false, count: members.count)
    }

    public func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member, if present and not null. Marks it read.
    public mutating func member(_ key: String) -> JSONValue? {
        for i in members.indices where members[i].key == key {
            read[i] = true
            if case .null = members[i].value.kind { return nil }
            return members[i].value
        }
        return nil
    }

    /// The member, reporting it missing when absent or null.
    public mutating func required(_ key: String, _ what: String) -> JSONValue? {
        guard let value = member(key) else {
            diagnostics.report(childPath(key), self.value.position, "missing required field (\(what))")
            return nil
        }
        return value
    }

    /// Reports every member that was never read.
    public func rejectUnknown(allowed: [String]) {
        for i in members.indices where !read[i] {
            let key = members[i].key
            diagnostics.report(
                childPath(key), members[i].value.position,
                "unknown field \"\(key)\" (expected one of: \(allowed.joined(separator: ", ")))")
        }
    }

    public func rejectUnknown() {
        rejectUnknown(allowed: members.indices.filter { read[$0] }.map { members[$0].key }.sorted())
    }
}

/// Typed reads of single values, each reporting a located problem on mismatch.
public enum Read {
    public static func string(_ value: JSONValue, _ path: String, _ d: Diagnostics) -> String? {
        guard case .string(let text) = value.kind else {
            d.report(path, value.position, "expected a string, found \(value.typeName)")
            return nil
        }
        if text.isEmpty {
            d.report(path, value.position, "must not be empty")
            return nil
        }
        return text
    }

    public static func bool(_ value: JSONValue, _ path: String, _ d: Diagnostics) -> Bool? {
        guard case .bool(let flag) = value.kind else {
            d.report(path, value.position, "expected true or false, found \(value.typeName)")
            return nil
        }
        return flag
    }

    public static func integer(_ value: JSONValue, _ path: String, _ d: Diagnostics, in range: ClosedRange<Int>) -> Int? {
        guard case .number(let text) = value.kind, let number = Int(text) else {
            d.report(path, value.position, "expected a whole number, found \(describe(value))")
            return nil
        }
        guard range.contains(number) else {
            d.report(path, value.position, "\(number) is out of range (\(range.lowerBound) to \(range.upperBound))")
            return nil
        }
        return number
    }

    public static func timestamp(_ value: JSONValue, _ path: String, _ d: Diagnostics) -> OptGateCore.Timestamp? {
        guard let text = string(value, path, d) else { return nil }
        do {
            return try OptGateCore.Timestamp(rfc3339: text)
        } catch {
            d.report(path, value.position, "\"\(text)\": \(error)")
            return nil
        }
    }

    public static func enumeration<E: RawRepresentable & CaseIterable>(
        _ value: JSONValue, _ path: String, _ d: Diagnostics, _ what: String, as: E.Type
    ) -> E? where E.RawValue == String {
        guard let text = string(value, path, d) else { return nil }
        guard let result = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            d.report(path, value.position, "unknown \(what) \"\(text)\" (expected one of: \(allowed))")
            return nil
        }
        return result
    }

    public static func array(_ value: JSONValue, _ path: String, _ d: Diagnostics) -> [JSONValue]? {
        guard case .array(let elements) = value.kind else {
            d.report(path, value.position, "expected an array, found \(value.typeName)")
            return nil
        }
        return elements
    }

    /// An array whose elements each map through `element`; nil if the value is not an array.
    public static func list<T>(
        _ value: JSONValue, _ path: String, _ d: Diagnostics, _ element: (JSONValue, String) -> T?
    ) -> [T]? {
        guard let elements = array(value, path, d) else { return nil }
        var result: [T] = []
        for (i, item) in elements.enumerated() {
            if let mapped = element(item, "\(path)[\(i)]") { result.append(mapped) }
        }
        return result
    }

    public static func describe(_ value: JSONValue) -> String {
        if case .number(let text) = value.kind { return text }
        return value.typeName
    }
}

import OptGateCore
