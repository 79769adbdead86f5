import OptGateCore
import OptGateScenario

/// The stored text of a `PermissionState`: compact JSON with the member names of its `Codable`
/// form (so either reads the other's output), written and read without Foundation's coders, which
/// cost more than the rest of recording an event when states are read and saved per write.
public enum PermissionStateCodec {
    public struct Unreadable: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Written into one string, in place: a write saves one state per contact it touches, so this
    /// runs once per event on the writer thread.
    public static func encode(_ state: PermissionState) -> String {
        var out = ""
        out.reserveCapacity(256)
        out += "{\"eventCount\":"
        out += String(state.eventCount)
        if let at = state.firstEventAt { out += ",\"firstEventAt\":"; out += String(at.secondsSinceEpoch) }
        if let at = state.lastEventAt { out += ",\"lastEventAt\":"; out += String(at.secondsSinceEpoch) }
        out += ",\"consents\":"
        appendMarks(state.consents, to: &out)
        out += ",\"optOuts\":"
        appendMarks(state.optOuts, to: &out)
        out += ",\"registers\":"
        appendMarks(state.registers, to: &out)
        if !state.frequencies.isEmpty { out += ",\"frequencies\":"; appendMarks(state.frequencies, to: &out) }
        if let signal = state.privacySignal { out += ",\"privacySignal\":"; appendMark(signal, to: &out) }
        out += ",\"lastSale\":{"
        for (index, entity) in sortedKeys(state.lastSale).enumerated() {
            if index > 0 { out += "," }
            JSONWriter.appendQuoted(entity, to: &out)
            out += ":"
            out += String(state.lastSale[entity]!.secondsSinceEpoch)
        }
        out += "},\"marketingSent\":"
        out += String(state.marketingSent)
        if let at = state.lastMarketingAt { out += ",\"lastMarketingAt\":"; out += String(at.secondsSinceEpoch) }
        out += "}"
        return out
    }

    private static func appendMark(_ mark: PermissionState.Mark<String>, to out: inout String) {
        out += "{\"at\":"
        out += String(mark.at.secondsSinceEpoch)
        out += ",\"value\":"
        JSONWriter.appendQuoted(mark.value, to: &out)
        out += "}"
    }

    private static func appendMarks(_ map: [String: PermissionState.Mark<String>], to out: inout String) {
        out += "{"
        for (index, key) in sortedKeys(map).enumerated() {
            if index > 0 { out += "," }
            JSONWriter.appendQuoted(key, to: &out)
            out += ":"
            appendMark(map[key]!, to: &out)
        }
        out += "}"
    }

    /// A map's keys in order; most maps hold none or one, which need no sort.
    private static func sortedKeys<V>(_ map: [String: V]) -> [String] {
        map.count < 2 ? Array(map.keys) : map.keys.sorted()
    }

    public static func decode(_ text: String) throws(Unreadable) -> PermissionState {
        if let state = DirectPermissionState.read(text) { return state }
        return try decodeFully(text)
    }

    /// `decode` by the full JSON reader, which reads any text `encode` or the `Codable` form wrote.
    static func decodeFully(_ text: String) throws(Unreadable) -> PermissionState {
        guard let root = try? JSONParser.parse(text), case .object(let members) = root.kind else {
            throw Unreadable(description: "a stored permission state is not a JSON object")
        }
        var state = PermissionState()
        for (key, value) in members {
            switch key {
            case "eventCount": state.eventCount = try int(value, key)
            case "firstEventAt": state.firstEventAt = try time(value, key)
            case "lastEventAt": state.lastEventAt = try time(value, key)
            case "consents": state.consents = try marks(value, key)
            case "optOuts": state.optOuts = try marks(value, key)
            case "registers": state.registers = try marks(value, key)
            case "frequencies": state.frequencies = try marks(value, key)
            case "privacySignal": state.privacySignal = try mark(value, key)
            case "lastSale":
                guard case .object(let sales) = value.kind else { throw Unreadable(description: "lastSale is not an object") }
                for (entity, at) in sales { state.lastSale[entity] = try time(at, key) }
            case "marketingSent": state.marketingSent = try int(value, key)
            case "lastMarketingAt": state.lastMarketingAt = try time(value, key)
            default: throw Unreadable(description: "unknown member \(key) in a stored permission state")
            }
        }
        return state
    }

    private static func int(_ value: JSONValue, _ key: String) throws(Unreadable) -> Int {
        guard case .number(let text) = value.kind, let number = Int(text) else { throw Unreadable(description: "\(key) is not a whole number") }
        return number
    }

    private static func time(_ value: JSONValue, _ key: String) throws(Unreadable) -> Timestamp {
        guard case .number(let text) = value.kind, let seconds = Int64(text) else { throw Unreadable(description: "\(key) is not a time") }
        return Timestamp(secondsSinceEpoch: seconds)
    }

    private static func mark(_ value: JSONValue, _ key: String) throws(Unreadable) -> PermissionState.Mark<String> {
        guard case .object(let members) = value.kind,
              let at = members.first(where: { $0.key == "at" })?.value,
              let text = members.first(where: { $0.key == "value" })?.value, case .string(let string) = text.kind
        else { throw Unreadable(description: "\(key) holds a malformed mark") }
        return PermissionState.Mark(at: try time(at, key), value: string)
    }

    private static func marks(_ value: JSONValue, _ key: String) throws(Unreadable) -> [String: PermissionState.Mark<String>] {
        guard case .object(let members) = value.kind else { throw Unreadable(description: "\(key) is not an object") }
        var result: [String: PermissionState.Mark<String>] = [:]
        for (name, mark) in members { result[name] = try self.mark(mark, key) }
        return result
    }
}
