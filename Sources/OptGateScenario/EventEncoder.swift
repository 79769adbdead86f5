import OptGateCore

/// Writes events in the contract's JSON shape, with members in a fixed order and no whitespace:
/// the canonical form the ledger hashes and stores. `EventDecoder` reads it back.
public enum EventEncoder {
    /// The event's members, in canonical order.
    public static func members(_ event: Event) -> [(String, String)] {
        var m: [(String, String)] = [("type", q(event.typeName)), ("at", q(event.at.rfc3339))]
        if let id = event.id { m.append(("id", q(id))) }
        switch event.kind {
        case .detailsCollected(let d):
            m += [("by", q(d.by)), ("from", q(d.from.rawValue)), ("context", q(d.context.rawValue)),
                  ("products", strings(d.products)), ("channels", channels(d.channels)),
                  ("refusal_offered", bool(d.refusalOffered)), ("refused", bool(d.refused))]
        case .consentGiven(let c):
            m += [("to", strings(c.to)), ("channels", channels(c.channels)),
                  ("purposes", strings(Purpose.allCases.filter(c.purposes.contains).map(\.rawValue)))]
            if let products = c.products { m.append(("products", strings(products))) }
            m.append(("method", q(c.method.rawValue)))
            if let v = c.noticeVersion { m.append(("notice_version", q(v))) }
            if let v = c.source { m.append(("source", q(v))) }
            if let v = c.collectedBy { m.append(("collected_by", q(v))) }
            if let v = c.expiresAt { m.append(("expires_at", q(v.rfc3339))) }
        case .optOut(let o):
            if let c = o.channels { m.append(("channels", channels(c))) }
            if let p = o.products { m.append(("products", strings(p))) }
            if let e = o.entity { m.append(("entity", q(e))) }
            m.append(("via", q(o.via.rawValue)))
            if let until = o.until { m.append(("until", q(until.rfc3339))) }
        case .registerListed(let r), .registerRemoved(let r):
            m.append(("register", q(r.rawValue)))
        case .marketingSent(let s):
            m += [("by", q(s.by)), ("channel", q(s.channel.rawValue)), ("products", strings(s.products))]
        case .gpcSignal(let value):
            m.append(("value", bool(value)))
        case .frequencySet(let f):
            if let e = f.entity { m.append(("entity", q(e))) }
            if let c = f.channels { m.append(("channels", channels(c))) }
            if let max = f.maxPer30Days { m.append(("max_per_30_days", String(max))) }
        }
        return m
    }

    /// The event as compact canonical JSON.
    public static func json(_ event: Event) -> String {
        JSONWriter(pretty: false).object(members(event))
    }

    static func q(_ text: String) -> String { JSONWriter.quoted(text) }
    static func bool(_ flag: Bool) -> String { flag ? "true" : "false" }
    static func strings(_ list: [String]) -> String { "[" + list.map(q).joined(separator: ",") + "]" }
    static func channels(_ set: ChannelSet) -> String { strings(set.channels.map(\.rawValue)) }
}

/// Reads events in the contract's JSON shape, outside a scenario.
public enum EventDecoder {
    /// Reads one event object. With `entities` or `products` nil, references are not checked (for
    /// events that were validated when they were recorded).
    public static func decode(
        _ value: JSONValue, path: String = "", entities: Set<String>? = nil, products: Set<String>? = nil,
        extraFields: [String] = []
    ) throws(ScenarioError) -> Event {
        let d = Diagnostics()
        let references = References(entityIDs: entities, productIDs: products, d: d)
        let event = ScenarioDecoder.readEvent(value, path, references, extraFields: extraFields)
        guard d.isEmpty, let event else { throw ScenarioError(problems: d.problems) }
        return event
    }

    /// Reads one event from JSON text.
    public static func decode(_ text: String) throws(ScenarioError) -> Event {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw ScenarioError(problems: [.init(path: "", position: error.position, message: "invalid JSON: \(error.message)")])
        }
        return try decode(value)
    }
}
